"""compile_flow: check a Studio flow definition's structure and index it for fast execution."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deh_deploy.errors import SimulationError
from deh_deploy.simulate.reading import compile_spec
from deh_deploy.simulate.specs import EVENTS, Spec
from deh_deploy.simulate.templates import TemplateCache


@dataclass(frozen=True, slots=True)
class CompiledState:
    """One widget: its spec and its transitions indexed by event (``""``: the run ends there)."""

    name: str
    type: str
    spec: Spec
    transitions: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class CompiledFlow:
    description: str
    initial_state: str
    states: Mapping[str, CompiledState]
    template_count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "CompiledFlow",
            "description": self.description,
            "initial_state": self.initial_state,
            "states": {
                n: {"type": s.type, "transitions": dict(s.transitions)} for n, s in self.states.items()
            },
            "template_count": self.template_count,
        }


def _raw_states(definition: Mapping[str, Any], problems: list[str]) -> list[Mapping[str, Any]]:
    states = definition.get("states")
    if not isinstance(states, list) or not states:
        problems.append("'states' must be a non-empty list")
        return []
    good: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    for i, state in enumerate(states):
        name = state.get("name") if isinstance(state, Mapping) else None
        if not isinstance(state, Mapping) or not isinstance(name, str) or not name:
            problems.append(f"states[{i}] needs a non-empty 'name'")
            continue
        if name in seen:
            problems.append(f"widget {name!r} is defined more than once")
            continue
        seen.add(name)
        good.append(state)
    return good


def _transitions(
    name: str, kind: str, raw: Any, names: set[str], problems: list[str]
) -> tuple[dict[str, str], list[Mapping[str, Any]]]:
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        problems.append(f"widget {name!r}: 'transitions' must be a list")
        return {}, []
    allowed = EVENTS[kind]
    index: dict[str, str] = {}
    good: list[Mapping[str, Any]] = []
    for i, t in enumerate(raw):
        event = t.get("event") if isinstance(t, Mapping) else None
        if not isinstance(t, Mapping) or not isinstance(event, str):
            problems.append(f"widget {name!r}: transitions[{i}] needs an 'event'")
            continue
        target = t.get("next") or ""
        if event not in allowed:
            expected = ", ".join(sorted(allowed))
            problems.append(f"widget {name!r} ({kind}): unknown event {event!r}; expected one of {expected}")
            continue
        if not isinstance(target, str):
            problems.append(f"widget {name!r}: transition {event!r} has a non-string 'next'")
            continue
        if target and target not in names:
            problems.append(f"widget {name!r}: transition {event!r} leads to missing widget {target!r}")
            continue
        if event != "match":
            if event in index:
                problems.append(f"widget {name!r}: event {event!r} has more than one transition")
                continue
            index[event] = target
        good.append(t)
    return index, good


def compile_flow(definition: Mapping[str, Any]) -> CompiledFlow:
    """Check ``definition`` (Studio flow JSON as a mapping) and compile it.

    Raises SimulationError listing every structural problem: missing or duplicate names, a missing
    ``initial_state``, transitions to missing widgets, unknown widget types or events, unusable properties
    and Liquid syntax errors.
    """
    if not isinstance(definition, Mapping):
        raise SimulationError("a flow definition must be a JSON object")
    problems: list[str] = []
    raw_states = _raw_states(definition, problems)
    names = {s["name"] for s in raw_states}
    initial = definition.get("initial_state")
    if not isinstance(initial, str) or not initial:
        problems.append("'initial_state' must name a widget")
    elif initial not in names and raw_states:
        problems.append(f"initial_state {initial!r} is not a widget of this flow")
    cache = TemplateCache()
    states: dict[str, CompiledState] = {}
    for state in raw_states:
        name, kind = state["name"], state.get("type")
        if kind not in EVENTS:
            problems.append(f"widget {name!r} has unsupported type {kind!r}")
            continue
        assert isinstance(kind, str)
        index, transitions = _transitions(name, kind, state.get("transitions"), names, problems)
        props = state.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, Mapping):
            problems.append(f"widget {name!r}: 'properties' must be an object")
            continue
        try:
            spec = compile_spec(name, kind, props, transitions, cache)
        except SimulationError as exc:
            problems.append(str(exc))
            continue
        states[name] = CompiledState(name=name, type=kind, spec=spec, transitions=index)
    if problems:
        raise SimulationError("flow cannot be simulated:\n" + "\n".join(f"  - {p}" for p in problems))
    assert isinstance(initial, str)
    return CompiledFlow(
        description=str(definition.get("description", "")),
        initial_state=initial,
        states=states,
        template_count=len(cache),
    )
