"""The plan in the config's own terms: what a person changed (``welcome (ro): "old" → "new"``, ``hours wed:
09:00-17:00 → 09:00-13:00``, ``topic cva_payment added``), each with the Twilio resources it touches.

Both sides are read the same way, from rendered resources: the desired side from the render of the config, the
live side from what the account holds. The flows carry what callers hear and read (each text in its widget, the
languages and topics of the menus), the numbers and Conversations addresses are the channels, and the hours come
back from the Variable the hub keeps them in (:mod:`deh_deploy.hours.record`), since the compiled schedule is a
private asset no API returns. A resource change that no fact explains is still listed, under "other changes".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from deh_deploy.changes import Entry
from deh_deploy.hours.model import DAY_KEYS
from deh_deploy.hours.record import facts as hours_facts
from deh_deploy.names import HOURS_VARIABLE, NUMBERS_VARIABLE
from deh_deploy.plan import Plan

View = Mapping[str, Mapping[str, Any]]  # resource id → attributes, desired or live

VOICE, MESSAGING = "studio.flow/voice", "studio.flow/messaging"
# A flow's widget ``<prefix>_<language>`` says the message named here.
TEXT_WIDGETS = {
    "welcome": "welcome",
    "topics": "topic_menu",
    "invalid": "invalid_choice",
    "wait": "queue_wait",
    "handoff": "handoff",
    "thanks": "thanks",
    "closed": "after_hours",
    "vm_prompt": "voicemail_prompt",
    "vm_thanks": "voicemail_thanks",
}
TEXT_PROPERTIES = ("say", "body", "play")
SCHEDULE = ("serverless.asset/schedule", "serverless.deployment/")  # what an edit of the hours also rewrites
ORDER = ("language", "channel", "number", "topic", "text", "hours", "closed_now")


@dataclass(frozen=True)
class Fact:
    """One thing the config says, as the account or the render shows it: ``label`` (``welcome (ro)``), its
    ``value`` as shown, the resources it was read from, and the fact it belongs to (a text to its language)."""

    group: str
    label: str
    value: str
    sources: frozenset[str]
    quoted: bool = False
    parents: tuple[str, ...] = ()  # facts it comes and goes with: a text with its language and its topic

    def shown(self) -> str:
        if not self.quoted:
            return self.value
        text = self.value.replace("\n", " / ")
        return f'"{text if len(text) <= 100 else text[:99] + "…"}"'


@dataclass(frozen=True)
class TermChange:
    """A fact added, removed or changed, and the plan's entries for the resources it touches."""

    group: str
    label: str
    old: Fact | None
    new: Fact | None
    affected: tuple[Entry, ...] = ()

    @property
    def action(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"

    def line(self) -> str:
        if self.old is not None and self.new is not None:
            return f"{self.label}: {self.old.shown()} → {self.new.shown()}"
        fact = self.new or self.old
        assert fact is not None
        valued = fact.group in ("number", "hours", "closed_now") and fact.value != "present"
        said = f": {fact.shown()}" if fact.quoted or valued else ""
        return f"{self.label} {self.action}{said}"

    def as_json(self) -> dict[str, Any]:
        return {
            "what": self.group,
            "label": self.label,
            "action": self.action,
            "old": None if self.old is None else self.old.value,
            "new": None if self.new is None else self.new.value,
            "line": self.line(),
            "resources": [e.id for e in self.affected],
        }


@dataclass(frozen=True)
class Terms:
    """The plan told in the config's terms: its changes, and the entries no change explains."""

    changes: tuple[TermChange, ...]
    others: tuple[Entry, ...] = field(default=())
    unrecorded: tuple[str, ...] = ()  # what the account keeps no record of (a hub an earlier deh applied)

    def as_json(self) -> dict[str, Any]:
        return {
            "changes": [c.as_json() for c in self.changes],
            "other_resources": [e.id for e in self.others],
            "unrecorded": list(self.unrecorded),
        }


def facts(view: View) -> dict[str, Fact]:
    """Every fact the resources of ``view`` show, by label."""
    out: dict[str, Fact] = {}
    languages = _flow_facts(view, out)
    _channel_facts(view, out)
    _number_facts(view, out)
    _hours_facts(view, out)
    topics = tuple(label for label, f in out.items() if f.group == "topic")
    for fact in list(out.values()):  # a language's texts belong to it: added with it, they are not told apart
        if fact.group == "text" and "topic_menu" in fact.label:  # the menu lists the topics' titles
            fact = out[fact.label] = _with(fact, parents=(*fact.parents, *topics))
        if fact.group == "text":
            tag = fact.label.rsplit("(", 1)[-1].rstrip(")").rsplit(" ", 1)[-1]
            if tag in languages:
                out[fact.label] = _with(fact, parents=(*fact.parents, f"language {tag}"))
    return out


def diff(desired: View, live: View, entries: Iterable[Entry]) -> Terms:
    """What changes from ``live`` to ``desired``, in the config's terms, with the plan's ``entries`` beneath."""
    old, new = facts(live), facts(desired)
    by_id = {e.id: e for e in entries}
    changes: list[TermChange] = []
    for label in sorted(old.keys() | new.keys(), key=lambda k: _sort_key(old.get(k) or new[k])):
        before, after = old.get(label), new.get(label)
        if before is not None and after is not None and _same(before, after):
            continue
        fact = after or before
        assert fact is not None
        parents = {*(before.parents if before else ()), *(after.parents if after else ())}
        if any((parent in old) != (parent in new) for parent in parents):
            continue  # told by its language or topic coming or going
        sources = (before.sources if before else frozenset()) | (after.sources if after else frozenset())
        affected = tuple(e for rid, e in by_id.items() if rid in sources or _rewritten_with(fact, rid))
        changes.append(TermChange(fact.group, label, before, after, affected))
    unrecorded: tuple[str, ...] = ()
    if f"serverless.variable/{HOURS_VARIABLE}" not in live and "serverless.service/hub" in live:
        unrecorded = ("hours",)  # the account has the hub but no record of its hours: nothing to compare with
        changes = [c for c in changes if c.group != "hours"]
    told = {e.id for c in changes for e in c.affected}
    others = tuple(e for rid, e in by_id.items() if rid not in told and e.action != "keep")
    return Terms(tuple(changes), others, unrecorded)


# -- reading facts from resources ------------------------------------------------------------------------------
def _flow_facts(view: View, out: dict[str, Fact]) -> set[str]:
    """Languages, topics and texts from the flows, the voice flow first: a text the messaging flow says alike
    is one fact read from both."""
    languages: set[str] = set()
    for flow_id in (VOICE, MESSAGING):
        states = _states(view.get(flow_id))
        langs = [
            str(v["value"])
            for s in states
            if str(s.get("name", "")).startswith("set_lang_")
            for v in s.get("properties", {}).get("variables", [])
            if v.get("key") == "lang"
        ]
        for lang in langs:
            languages.add(lang)
            _add(out, Fact("language", f"language {lang}", "present", frozenset({flow_id})))
        for state in states:
            name, props = str(state.get("name", "")), state.get("properties", {})
            for lang in langs:
                topic = _after(name, f"topic_{lang}_")
                if topic and topic != "unspecified":
                    queue = next(
                        (v["value"] for v in props.get("variables", []) if v.get("key") == "queue"), ""
                    )
                    _add(out, Fact("topic", f"topic {topic}", f"queue {queue}", frozenset({flow_id})))
                label = _text_label(name, lang)
                if label is None:
                    continue
                text = _text(props)
                if flow_id == MESSAGING and name == f"topics_{lang}" and VOICE in view:
                    for said in (f"welcome ({lang})", f"topic_menu ({lang})"):  # both said in one message
                        if said in out:
                            out[said] = _with(out[said], sources=out[said].sources | {flow_id})
                    continue
                if flow_id == MESSAGING and name == f"topics_{lang}":
                    label = f"welcome and topic_menu ({lang})"
                topic = _after(name, f"answer_{lang}_")
                _add(
                    out,
                    Fact(
                        "text",
                        label,
                        text,
                        frozenset({flow_id}),
                        quoted=True,
                        parents=(f"topic {topic}",) if topic else (),
                    ),
                    messaging=flow_id == MESSAGING,
                )
    return languages


def _text_label(name: str, lang: str) -> str | None:
    topic = _after(name, f"answer_{lang}_")
    if topic:
        return f"topic {topic} answer ({lang})"
    for prefix, message in TEXT_WIDGETS.items():
        if name == f"{prefix}_{lang}":
            return f"{message} ({lang})"
    return None


def _channel_facts(view: View, out: dict[str, Fact]) -> None:
    if VOICE in view:
        routes = frozenset(rid for rid in view if rid.startswith("phone.route/")) | {VOICE}
        out["channel voice"] = Fact("channel", "channel voice", "present", routes)
    for rid in view:
        if rid.startswith("conversations.address/"):
            name = rid.split("/", 1)[1]
            out[f"channel {name}"] = Fact("channel", f"channel {name}", "present", frozenset({rid}))


def _number_facts(view: View, out: dict[str, Fact]) -> None:
    for rid, attrs in view.items():
        if not rid.startswith("phone.number/"):
            continue
        key = rid.split("/", 1)[1]
        if attrs.get("phone_number"):
            value = str(attrs["phone_number"])
        elif attrs.get("adopt"):
            value = str(attrs["adopt"])
        else:  # to be bought: what is live is the number it became
            buy = attrs.get("buy") or {}
            matching = f", matching {buy['contains']}" if buy.get("contains") else ""
            value = f"buy a {attrs.get('type', 'local')} number in {attrs.get('country', '?')}{matching}"
        out[f"number {key}"] = Fact("number", f"number {key}", value, frozenset({rid}))


def _hours_facts(view: View, out: dict[str, Fact]) -> None:
    variable = f"serverless.variable/{HOURS_VARIABLE}"
    kept = view.get(variable)
    if kept is not None and isinstance(kept.get("value"), str):
        for label, value in hours_facts(kept["value"]).items():
            out[label] = Fact("hours", label, value, frozenset({variable}))
    switch = view.get("serverless.variable/CLOSED_NOW")
    if switch is not None:
        rid = "serverless.variable/CLOSED_NOW"
        out["closed_now"] = Fact("closed_now", "closed_now", str(switch.get("value")), frozenset({rid}))


# -- helpers ----------------------------------------------------------------------------------------------------
def _states(flow: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    definition = (flow or {}).get("definition")
    return list(definition.get("states", [])) if isinstance(definition, Mapping) else []


def _text(props: Mapping[str, Any]) -> str:
    for name in TEXT_PROPERTIES:
        value = props.get(name)
        if isinstance(value, str) and value:
            return value if name != "play" else f"recording {value}"
    return ""


def _after(name: str, prefix: str) -> str:
    return name[len(prefix) :] if name.startswith(prefix) else ""


def _add(out: dict[str, Fact], fact: Fact, *, messaging: bool = False) -> None:
    """Keep ``fact``; one already read under its label from another flow gains a source when it says the same,
    and the messaging flow's own wording is a fact of its own when it does not."""
    known = out.get(fact.label)
    if known is None:
        out[fact.label] = fact
    elif known.value == fact.value:
        out[fact.label] = _with(known, sources=known.sources | fact.sources)
    elif messaging:
        label = fact.label.replace(" (", " (messaging, ", 1) if "(" in fact.label else fact.label
        out[label] = _with(fact, label=label)


def _with(fact: Fact, **changes: Any) -> Fact:
    from dataclasses import replace

    return replace(fact, **changes)


def _same(before: Fact, after: Fact) -> bool:
    """A number to be bought is the one on the account once bought; otherwise facts are equal as shown."""
    return before.value == after.value or (after.group == "number" and after.value.startswith("buy "))


def _rewritten_with(fact: Fact, rid: str) -> bool:
    """Resources a fact is not read from that change with it: the schedule with the hours, the record of
    bought numbers with a number."""
    if fact.group == "number":
        return rid == f"serverless.variable/{NUMBERS_VARIABLE}"
    return fact.group == "hours" and rid.startswith(SCHEDULE)


def _sort_key(fact: Fact) -> tuple[int, int, str]:
    day = fact.label.removeprefix("hours ")
    return ORDER.index(fact.group), DAY_KEYS.index(day) if day in DAY_KEYS else len(DAY_KEYS), fact.label


@dataclass(frozen=True)
class Review:
    """What ``deh plan`` shows: the plan, and the plan in the config's terms. Its JSON is the saved plan with
    ``config`` beside it (outside the checksum, which pins what apply does)."""

    plan: Plan
    terms: Terms

    def as_json(self) -> dict[str, Any]:
        return {**self.plan.as_json(), "config": self.terms.as_json()}

    def to_json(self) -> str:
        from deh_deploy.render.desired import canonical_json

        return canonical_json(self.as_json())
