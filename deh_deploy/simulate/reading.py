"""Reading each widget's properties once into its spec, compiling templates through the flow's cache.

One reader function per widget type; ``widgets`` declares which type each one reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from deh_deploy.errors import SimulationError
from deh_deploy.simulate.conditions import CONDITION_TYPES
from deh_deploy.simulate.model import PromptKind
from deh_deploy.simulate.specs import (
    Condition,
    FlexSpec,
    FunctionSpec,
    GatherSpec,
    HttpSpec,
    Match,
    MessageSpec,
    RecordSpec,
    SayPlaySpec,
    SetVariablesSpec,
    SplitSpec,
    TriggerSpec,
)
from deh_deploy.simulate.templates import Template, TemplateCache


class Reader:
    """Reads one widget's properties, compiling templates through the flow's cache."""

    __slots__ = ("cache", "name", "props")

    def __init__(self, name: str, props: Mapping[str, Any], cache: TemplateCache) -> None:
        self.name = name
        self.props = props
        self.cache = cache

    def tpl(self, key: str, default: str = "") -> Template:
        value = self.props.get(key, default)
        return self.cache.get(default if value is None else value, where=f"widget {self.name!r}: {key}")

    def opt_tpl(self, key: str) -> Template | None:
        value = self.props.get(key)
        return None if value in (None, "") else self.tpl(key)

    def integer(self, key: str, default: int) -> int:
        value = self.props.get(key)
        if value is None or value == "":
            return default
        try:
            return int(str(value).strip())
        except ValueError:
            raise SimulationError(
                f"widget {self.name!r}: {key} must be a whole number, not {value!r}"
            ) from None

    def flag(self, key: str, default: bool) -> bool:
        value = self.props.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "false"):
            return text == "true"
        raise SimulationError(f"widget {self.name!r}: {key} must be true or false, not {value!r}")

    def pairs(self, key: str) -> tuple[tuple[str, Template], ...]:
        items = self.props.get(key) or []
        if not isinstance(items, Sequence) or isinstance(items, str):
            raise SimulationError(f"widget {self.name!r}: {key} must be a list of {{key, value}}")
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, Mapping) or not isinstance(item.get("key"), str) or not item["key"]:
                raise SimulationError(f"widget {self.name!r}: {key}[{i}] needs a non-empty 'key'")
            where = f"widget {self.name!r}: {key}.{item['key']}"
            out.append((item["key"], self.cache.get(item.get("value", ""), where=where)))
        return tuple(out)


def trigger(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> TriggerSpec:
    return TriggerSpec()


def say_play(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> SayPlaySpec:
    return SayPlaySpec(
        say=r.opt_tpl("say"),
        play=r.opt_tpl("play"),
        digits=r.opt_tpl("digits"),
        language=r.tpl("language"),
        voice=r.tpl("voice"),
        loop=max(1, r.integer("loop", 1)),
    )


def _accepts(r: Reader) -> tuple[PromptKind, ...]:
    raw = r.props.get("input", "dtmf speech")
    words = " ".join(raw) if isinstance(raw, list) else str(raw)
    kinds: list[PromptKind] = []
    for word in words.replace(",", " ").lower().split():
        if word in ("dtmf", "keys", "keypress", "digits") and "keys" not in kinds:
            kinds.append("keys")
        elif word in ("speech", "voice") and "speech" not in kinds:
            kinds.append("speech")
    if not kinds:
        raise SimulationError(f"widget {r.name!r}: input {raw!r} accepts neither dtmf nor speech")
    return tuple(kinds)


def gather(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> GatherSpec:
    digits = r.integer("number_of_digits", 0)
    return GatherSpec(
        say=r.opt_tpl("say"),
        play=r.opt_tpl("play"),
        language=r.tpl("language"),
        voice=r.tpl("voice"),
        loop=max(1, r.integer("loop", 1)),
        timeout=r.integer("timeout", 5),
        number_of_digits=digits if digits > 0 else None,
        finish_on_key=str(r.props.get("finish_on_key", "#") or ""),
        accepts=_accepts(r),
    )


def split(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> SplitSpec:
    matches = []
    for i, t in enumerate(transitions):
        if t.get("event") != "match":
            continue
        conds = t.get("conditions")
        if not isinstance(conds, list) or not conds:
            raise SimulationError(f"widget {r.name!r}: match transition {i} has no conditions")
        compiled = []
        for j, c in enumerate(conds):
            if not isinstance(c, Mapping) or c.get("type") not in CONDITION_TYPES:
                kind = c.get("type") if isinstance(c, Mapping) else c
                raise SimulationError(f"widget {r.name!r}: condition {i}.{j} has unknown type {kind!r}")
            args = c.get("arguments") or []
            where = f"widget {r.name!r}: condition {c.get('friendly_name', j)!r}"
            arg = r.cache.get(args[0], where=where) if isinstance(args, list) and args else None
            compiled.append(
                Condition(
                    str(c.get("friendly_name", "")), c["type"], arg, r.cache.get(c.get("value"), where=where)
                )
            )
        matches.append(Match(str(t.get("next") or ""), tuple(compiled)))
    return SplitSpec(input=r.tpl("input"), matches=tuple(matches))


def set_variables(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> SetVariablesSpec:
    return SetVariablesSpec(variables=r.pairs("variables"))


def record(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> RecordSpec:
    return RecordSpec(
        max_length=r.integer("max_length", 3600),
        timeout=r.integer("timeout", 5),
        transcribe=r.flag("transcribe", False),
        play_beep=r.flag("play_beep", True),
    )


def message(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> MessageSpec:
    return MessageSpec(
        body=r.tpl("body"),
        from_=r.tpl("from", "{{flow.channel.address}}"),
        to=r.tpl("to", "{{contact.channel.address}}"),
        media_url=r.tpl("media_url"),
        timeout=r.integer("timeout", 3600),
    )


def function(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> FunctionSpec:
    if not r.props.get("url"):
        raise SimulationError(f"widget {r.name!r}: run-function needs a url")
    return FunctionSpec(url=r.tpl("url"), parameters=r.pairs("parameters"))


def http(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> HttpSpec:
    if not r.props.get("url"):
        raise SimulationError(f"widget {r.name!r}: make-http-request needs a url")
    return HttpSpec(
        method=str(r.props.get("method") or "GET").upper(),
        url=r.tpl("url"),
        content_type=str(r.props.get("content_type") or "application/x-www-form-urlencoded;charset=utf-8"),
        body=r.tpl("body"),
        parameters=r.pairs("parameters"),
    )


def flex(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> FlexSpec:
    for key in ("workflow", "channel"):
        if not r.props.get(key):
            raise SimulationError(f"widget {r.name!r}: send-to-flex needs {key!r}")
    return FlexSpec(
        workflow=r.tpl("workflow"),
        channel=r.tpl("channel"),
        attributes=r.tpl("attributes", "{}"),
        priority=r.tpl("priority"),
        timeout=r.tpl("timeout"),
    )
