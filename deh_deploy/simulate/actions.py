"""Channel-neutral widgets: split, set-variables, messages, run-function, make-http-request, send-to-flex."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from deh_deploy.errors import SimulationError
from deh_deploy.simulate.compiled import CompiledState
from deh_deploy.simulate.conditions import VALUELESS, check
from deh_deploy.simulate.model import (
    FlexTask,
    FunctionCall,
    FunctionResult,
    HttpCall,
    Input,
    Message,
    Prompt,
    Send,
    Silence,
)
from deh_deploy.simulate.runtime import Runtime
from deh_deploy.simulate.specs import (
    FlexSpec,
    FunctionSpec,
    HttpSpec,
    MessageSpec,
    SetVariablesSpec,
    SplitSpec,
)
from deh_deploy.simulate.templates import compact_json, liquid_data
from deh_deploy.simulate.voice import Step


def split(rt: Runtime, state: CompiledState) -> Step:
    """The first match transition whose conditions all hold wins; otherwise noMatch."""
    spec = state.spec
    assert isinstance(spec, SplitSpec)
    ctx, name = rt.ctx, state.name
    subject = spec.input.render(ctx, name, "input")
    for match in spec.matches:
        for cond in match.conditions:
            arg = cond.argument
            left = subject if arg is None or arg is spec.input else arg.render(ctx, name, "arguments")
            right = "" if cond.kind in VALUELESS else cond.value.render(ctx, name, "value")
            try:
                holds = check(cond.kind, left, right)
            except SimulationError as exc:
                raise SimulationError(f"widget {name!r}: condition {cond.friendly_name!r}: {exc}") from None
            if not holds:
                break
        else:
            return ("match", match.next)
    return "noMatch"


def set_variables(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, SetVariablesSpec)
    for key, value in spec.variables:
        rt.variables[key] = value.render(rt.ctx, state.name, key)
    return "next"


def _message(rt: Runtime, state: CompiledState, spec: MessageSpec) -> Message:
    ctx, name = rt.ctx, state.name
    return Message(
        body=spec.body.render(ctx, name, "body"),
        widget=name,
        to=spec.to.render(ctx, name, "to"),
        from_=spec.from_.render(ctx, name, "from"),
        media_url=spec.media_url.render(ctx, name, "media_url"),
    )


def send_message(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, MessageSpec)
    msg = _message(rt, state, spec)
    if not msg.to.strip():
        return "failed"
    rt.emit(msg)
    return "sent"


def send_and_wait(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, MessageSpec)
    if rt.trigger == "incomingCall":
        raise SimulationError(f"widget {state.name!r} (send-and-wait-for-reply) needs a message channel")
    msg = _message(rt, state, spec)
    if not msg.to.strip():
        return "deliveryFailure"
    rt.emit(msg)
    rt.widgets[state.name] = {"outbound": {"Body": msg.body, "To": msg.to, "From": msg.from_}}
    return Prompt(kind="text", widget=state.name, timeout=spec.timeout, accepts=("text",))


def reply_input(rt: Runtime, state: CompiledState, inp: Input) -> str:
    """Send -> incomingMessage with ``widgets.<name>.inbound``; Silence -> timeout."""
    data = rt.widgets.setdefault(state.name, {})
    if isinstance(inp, Send):
        data["inbound"] = {"Body": inp.text, "From": rt.contact, "To": rt.address, "Author": rt.contact}
        return "incomingMessage"
    if isinstance(inp, Silence):
        return "timeout"
    raise SimulationError(
        f"widget {state.name!r} waits for a text message; {type(inp).__name__} cannot answer it"
    )


@lru_cache(maxsize=256)
def _path(url: str) -> str:
    """The path a handler is looked up by (a flow calls the same few URLs in every conversation)."""
    path = urlsplit(url).path or "/"
    return path.rstrip("/") or "/"


def _lookup(handlers: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        for variant in (key, key.rstrip("/"), key + "/"):
            found = handlers.get(variant)
            if found is not None:
                return found
    return None


def _response(body: Any) -> tuple[str, Any]:
    """(body text, parsed JSON or None), as Studio exposes ``.body`` and ``.parsed``."""
    if body is None:
        return "", None
    if isinstance(body, (str, bytes)):  # a tuple: a union would be built at every call
        text = body.decode() if isinstance(body, bytes) else body
        try:
            return text, liquid_data(json.loads(text))
        except ValueError:
            return text, None
    return compact_json(body), liquid_data(body)


def _call(handler: Any, params: Mapping[str, Any], context: Any) -> tuple[int, Any, str]:
    """Call a hook: (status, body, error). A hook that raises answers 500, like a crashed function."""
    try:
        result = handler(params, context)
    except Exception as exc:  # a failing function is data for the flow, not a crash of the simulator
        return 500, None, f"{type(exc).__name__}: {exc}"
    if not isinstance(result, FunctionResult):
        return 500, None, f"handler returned {type(result).__name__}, not FunctionResult"
    return result.status_code, result.body, ""


def _store(rt: Runtime, name: str, status: int, body: Any) -> None:
    text, parsed = _response(body)
    data: dict[str, Any] = {"status_code": status, "body": text}
    if parsed is not None:
        data["parsed"] = parsed
        data["content_type"] = "application/json"
    rt.widgets[name] = data


def run_function(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, FunctionSpec)
    ctx, name = rt.ctx, state.name
    url = spec.url.render(ctx, name, "url")
    path = _path(url)
    params = {key: value.render(ctx, name, key) for key, value in spec.parameters}
    handler = _lookup(rt.functions, path)
    if handler is None:
        rt.missing.append(path)
        status, body, error, missing = 404, None, f"no function serves {path}", True
    else:
        status, body, error = _call(handler, params, rt.call_context(name, url=url))
        missing = False
    rt.emit(FunctionCall(path, params, status, body, name, missing=missing, error=error))
    _store(rt, name, status, body)
    return "success" if status < 400 else "fail"


def _http_params(spec: HttpSpec, rt: Runtime, name: str) -> tuple[dict[str, Any], str]:
    params: dict[str, Any] = {key: value.render(rt.ctx, name, key) for key, value in spec.parameters}
    body = spec.body.render(rt.ctx, name, "body")
    if not body.strip():
        return params, ""
    if "json" not in spec.content_type.lower():
        params["body"] = body
        return params, ""
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        return params, f"request body is not valid JSON: {exc}"
    if isinstance(parsed, dict):
        params.update(parsed)
    else:
        params["body"] = parsed
    return params, ""


def http_request(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, HttpSpec)
    name = state.name
    url = spec.url.render(rt.ctx, name, "url")
    bare = url.split("?", 1)[0]
    path = _path(url)
    params, error = _http_params(spec, rt, name)
    handler = _lookup(rt.http, bare, path)
    missing = False
    if error:
        status, body = 400, None
    elif handler is None:
        rt.missing.append(bare)
        status, body, error, missing = 404, None, f"no handler serves {bare}", True
    else:
        status, body, error = _call(handler, params, rt.call_context(name, method=spec.method, url=url))
    rt.emit(HttpCall(spec.method, url, path, params, status, body, name, missing=missing, error=error))
    _store(rt, name, status, body)
    return "success" if status < 400 else "failed"


def _optional_int(text: str, name: str, prop: str) -> int | None:
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise SimulationError(
            f"widget {name!r} (send-to-flex): {prop} {text!r} is not a whole number"
        ) from None


def send_to_flex(rt: Runtime, state: CompiledState) -> Step:
    """The run ends with a Flex task; ``attributes`` must render to a JSON object."""
    spec = state.spec
    assert isinstance(spec, FlexSpec)
    ctx, name = rt.ctx, state.name
    text = spec.attributes.render(ctx, name, "attributes")
    try:
        attributes = json.loads(text) if text.strip() else {}
    except ValueError as exc:
        raise SimulationError(
            f"widget {name!r} (send-to-flex): attributes are not valid JSON after rendering ({exc}): "
            f"{text[:300]}"
        ) from None
    if not isinstance(attributes, dict):
        raise SimulationError(
            f"widget {name!r} (send-to-flex): attributes must be a JSON object: {text[:300]}"
        )
    task = FlexTask(
        workflow=spec.workflow.render(ctx, name, "workflow"),
        channel=spec.channel.render(ctx, name, "channel"),
        attributes=attributes,
        priority=_optional_int(spec.priority.render(ctx, name, "priority"), name, "priority"),
        timeout=_optional_int(spec.timeout.render(ctx, name, "timeout"), name, "timeout"),
    )
    return rt.end("flex", name, task=task)
