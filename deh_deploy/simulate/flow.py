"""compile_flow: check a Studio flow definition's structure and index it for fast execution.

Each widget's type is looked up in the registry (``widgets``), which gives its events and its reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import widgets
from deh_deploy.simulate.compiled import CompiledFlow, CompiledState
from deh_deploy.simulate.reading import Reader
from deh_deploy.simulate.templates import TemplateCache
from deh_deploy.studio_widgets import BY_TYPE, property_problems

__all__ = ["CompiledFlow", "CompiledState", "compile_flow"]


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
    name: str, widget: widgets.Widget, raw: Any, names: set[str], problems: list[str]
) -> tuple[dict[str, str], list[Mapping[str, Any]]]:
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        problems.append(f"widget {name!r}: 'transitions' must be a list")
        return {}, []
    kind, allowed = widget.type, widget.events
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
        widget = widgets.lookup(kind) if isinstance(kind, str) else None
        if widget is None:
            problems.append(f"widget {name!r} has unsupported type {kind!r}")
            continue
        index, transitions = _transitions(name, widget, state.get("transitions"), names, problems)
        props = state.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, Mapping):
            problems.append(f"widget {name!r}: 'properties' must be an object")
            continue
        twilio = BY_TYPE.get(widget.type)
        if (
            twilio is not None
        ):  # the values Studio refuses, from the one widget table; SIDs exist only after apply
            problems += [
                f"widget {name!r}: {prop}: {message} (Studio refuses it)"
                for prop, message in property_problems(twilio, props, check_sids=False, check_required=False)
            ]
        try:
            spec = widget.read(Reader(name, props, cache), transitions)
        except SimulationError as exc:
            problems.append(str(exc))
            continue
        states[name] = CompiledState(name=name, type=widget.type, spec=spec, transitions=index, widget=widget)
    if problems:
        raise SimulationError("flow cannot be simulated:\n" + "\n".join(f"  - {p}" for p in problems))
    assert isinstance(initial, str)
    return CompiledFlow(
        description=str(definition.get("description", "")),
        initial_state=initial,
        states=states,
        template_count=len(cache),
    )
