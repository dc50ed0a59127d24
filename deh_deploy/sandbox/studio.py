"""Studio v2: validation of flow definitions, revisions, and ``POST /v2/Flows/Validate``.

Twilio's widget schemas are not available offline, so the check is the envelope, unique state names,
``initial_state`` and every transition target exist, plus what ``deh_deploy.studio_widgets`` declares about each
widget type: the type is one Studio knows, each transition's event is one the widget has, required properties are
present, declared properties have their JSON type, a SID property holds a SID of its prefix, a constant holds no
Liquid and a choice one of its values. Unknown properties are accepted.

A refused definition is Twilio's error 81022 "Flow definition validation failed" (twilio.com/docs/api/errors/81022:
"Check the error response details for an array of validation failures"), with ``details.errors`` as
``{property_path, message}``. The messages follow the one Twilio message on record ("integer found, string
expected", a JSON-schema validator's wording); the wording of the others is the same validator's, unverified.
"""

from __future__ import annotations

from typing import Any

from deh_deploy.sandbox.crud import template_regex
from deh_deploy.sandbox.errors import ApiError, invalid, not_found
from deh_deploy.sandbox.kinds import BY_NAME
from deh_deploy.sandbox.model import Ctx, Hooks, Reply, Route, convert
from deh_deploy.sandbox.render import paginate, render
from deh_deploy.sandbox.store import Record
from deh_deploy.studio_widgets import BY_TYPE, StudioWidget, property_problems

FLOW = BY_NAME["studio.flow"]
DEFINITION = next(f for f in FLOW.fields if f.name == "definition")
NEWEST_FIRST = 10**9  # revisions list newest first: their page order is NEWEST_FIRST - revision


FLOW_INVALID = 81022


def _err(path: str, message: str) -> dict[str, str]:
    return {"property_path": path, "message": message}


def _check_properties(
    at: str, widget: StudioWidget, props: dict[str, Any], errors: list[dict[str, str]]
) -> None:
    for name, message in property_problems(widget, props):
        errors.append(_err(f"{at}/properties/{name}", message))


def _check_state(
    i: int, state: Any, errors: list[dict[str, str]]
) -> tuple[str | None, list[tuple[str, str]]]:
    """Errors of one state; returns its name and its (path, target) transitions."""
    at = f"#/states/{i}"
    if not isinstance(state, dict):
        errors.append(_err(at, "object expected"))
        return None, []
    name = state.get("name")
    if not isinstance(name, str) or not name:
        errors.append(_err(f"{at}/name", "non-empty string expected"))
        name = None
    kind = state.get("type")
    widget = BY_TYPE.get(kind) if isinstance(kind, str) else None
    if widget is None:
        errors.append(_err(f"{at}/type", f"unknown widget type {kind!r}"))
    props = state.get("properties")
    if not isinstance(props, dict):
        errors.append(_err(f"{at}/properties", "object expected"))
        props = {}
    if widget is not None:
        _check_properties(at, widget, props, errors)
    targets: list[tuple[str, str]] = []
    transitions = state.get("transitions")
    if not isinstance(transitions, list):
        errors.append(_err(f"{at}/transitions", "array expected"))
        return name, targets
    for j, tr in enumerate(transitions):
        tat = f"{at}/transitions/{j}"
        if not isinstance(tr, dict) or not isinstance(tr.get("event"), str):
            errors.append(_err(tat, "object with a string event expected"))
            continue
        if widget is not None and widget.events is not None and tr["event"] not in widget.events:
            expected = ", ".join(sorted(widget.events))
            errors.append(
                _err(
                    f"{tat}/event", f"{widget.type} has no event {tr['event']!r}; expected one of {expected}"
                )
            )
        nxt = tr.get("next")
        if nxt not in (None, ""):
            if isinstance(nxt, str):
                targets.append((f"{tat}/next", nxt))
            else:
                errors.append(_err(f"{tat}/next", "string expected"))
    return name, targets


def validate_definition(definition: Any) -> list[dict[str, str]]:
    """Every structural error of a flow definition, as ``{property_path, message}``."""
    if not isinstance(definition, dict):
        return [_err("#", "object expected")]
    errors: list[dict[str, str]] = []
    if "description" in definition and not isinstance(definition["description"], str):
        errors.append(_err("#/description", "string expected"))
    flags = definition.get("flags")
    if not isinstance(flags, dict) or not isinstance(flags.get("allow_concurrent_calls"), bool):
        errors.append(_err("#/flags", "object with boolean allow_concurrent_calls expected"))
    initial = definition.get("initial_state")
    if not isinstance(initial, str) or not initial:
        errors.append(_err("#/initial_state", "non-empty string expected"))
    states = definition.get("states")
    if not isinstance(states, list) or not 1 <= len(states) <= 1000:
        errors.append(_err("#/states", "array of 1 to 1000 states expected"))
        return errors
    names: set[str] = set()
    targets: list[tuple[str, str]] = []
    for i, state in enumerate(states):
        name, found = _check_state(i, state, errors)
        targets += found
        if name is not None:
            if name in names:
                errors.append(_err(f"#/states/{i}/name", f"duplicate state name {name!r}"))
            names.add(name)
    if isinstance(initial, str) and initial and initial not in names:
        errors.append(_err("#/initial_state", f"state {initial!r} does not exist"))
    for path, target in targets:
        if target not in names:
            errors.append(_err(path, f"transition to unknown state {target!r}"))
    return errors


def _mark(ctx: Ctx, rec: Record) -> None:
    errors = validate_definition(rec.get("definition"))
    rec["valid"] = not errors
    rec["errors"] = errors
    rec["warnings"] = []


def _revision(ctx: Ctx, rec: Record) -> None:
    rev = {k: v for k, v in rec.items() if k not in ("warnings", "webhook_url", "_seq")}
    rev["_key"] = f"{rec['sid']}@{rec['revision']}"
    rev["date_updated"] = ctx.now
    ctx.store.insert("studio.revision", ctx.account, rec["sid"], rev)


def before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    _mark(ctx, rec)


def after_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    rec["webhook_url"] = f"https://webhooks.twilio.com/v1/Accounts/{ctx.account}/Flows/{rec['sid']}"
    _revision(ctx, rec)


def before_update(ctx: Ctx, old: Record, new: Record, _changes: dict[str, Any]) -> None:
    new["revision"] = int(old["revision"]) + 1
    _mark(ctx, new)
    _revision(ctx, new)


HOOKS = {
    "studio.flow": Hooks(before_create=before_create, after_create=after_create, before_update=before_update)
}


def flow_validate(ctx: Ctx, _params: dict[str, str]) -> Reply:
    for key in ("FriendlyName", "Status", "Definition"):
        if not ctx.form.get(key):
            raise invalid(f"Missing required parameter {key} in the post body")
    status = ctx.f("Status")
    if status not in ("draft", "published"):
        raise invalid(f"Invalid Status: {status!r}")
    definition = convert(DEFINITION, ctx.form["Definition"])
    errors = validate_definition(definition)
    if errors:
        raise ApiError(400, FLOW_INVALID, "Flow definition validation failed", details={"errors": errors})
    return Reply(200, {"valid": True})


def _flow(ctx: Ctx, sid: str) -> Record:
    rec = ctx.store.get("studio.flow", ctx.account, sid)
    if rec is None:
        raise not_found(ctx.path)
    return rec


def _render_revision(rev: Record) -> dict[str, Any]:
    out = render(FLOW, rev)
    out.pop("links", None)
    out["url"] = f"{out['url']}/Revisions/{rev['revision']}"
    return out


def revisions(ctx: Ctx, params: dict[str, str]) -> Reply:
    flow = _flow(ctx, params["p0"])
    revs = sorted(
        ctx.store.select("studio.revision", ctx.account, flow["sid"]), key=lambda r: -int(r["revision"])
    )
    items = [(NEWEST_FIRST - int(r["revision"]), {**_render_revision(r), "definition": None}) for r in revs]
    return Reply(200, paginate(ctx, items, key="revisions", style="v1", host=FLOW.host))


def revision(ctx: Ctx, params: dict[str, str]) -> Reply:
    flow = _flow(ctx, params["p0"])
    number = params["p1"]
    if number == "LatestPublished":
        published = [
            r
            for r in ctx.store.select("studio.revision", ctx.account, flow["sid"])
            if r["status"] == "published"
        ]
        number = str(published[-1]["revision"]) if published else ""
    rev = ctx.store.get("studio.revision", ctx.account, f"{flow['sid']}@{number}")
    if rev is None:
        raise not_found(ctx.path)
    return Reply(200, _render_revision(rev))


ROUTES = [
    Route("POST", "studio", template_regex("/v2/Flows/Validate"), flow_validate),
    Route("GET", "studio", template_regex("/v2/Flows/{Sid}/Revisions"), revisions),
    Route("GET", "studio", template_regex("/v2/Flows/{Sid}/Revisions/{Revision}"), revision),
]
