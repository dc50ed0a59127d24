"""Fixtures for the Studio flow interpreter tests: the hand-written flows and a builder for tiny ones."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.simulate import CompiledFlow, compile_flow

FLOWS = Path(__file__).with_name("flows")

CALLER = "+36301234567"
HOTLINE = "+3612345678"


@pytest.fixture
def flow_json() -> Callable[[str], dict[str, Any]]:
    def load(name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((FLOWS / f"{name}.json").read_text(encoding="utf-8"))
        return data

    return load


@pytest.fixture
def flow(flow_json: Callable[[str], dict[str, Any]]) -> Callable[[str], CompiledFlow]:
    def load(name: str) -> CompiledFlow:
        return compile_flow(flow_json(name))

    return load


def _widget(
    name: str, kind: str, props: Mapping[str, Any] | None = None, **transitions: str
) -> dict[str, Any]:
    """One state; keyword arguments are event=next pairs."""
    return {
        "name": name,
        "type": kind,
        "properties": dict(props or {}),
        "transitions": [{"event": event, "next": target} for event, target in transitions.items()],
    }


def _definition(
    first: str, states: Sequence[dict[str, Any]], *, channel: str = "incomingCall"
) -> dict[str, Any]:
    """A flow whose trigger sends ``channel`` to ``first``; other trigger events end the run."""
    events = ["incomingCall", "incomingMessage", "incomingConversationMessage", "incomingRequest"]
    trigger = {
        "name": "Trigger",
        "type": "trigger",
        "properties": {},
        "transitions": [{"event": e, "next": first if e == channel else ""} for e in events],
    }
    return {"description": "test", "initial_state": "Trigger", "flags": {}, "states": [trigger, *states]}


@pytest.fixture
def tiny() -> Callable[..., CompiledFlow]:
    """tiny(first, states, channel=...) compiles a small flow built with the ``widget`` fixture."""

    def build(first: str, states: Sequence[dict[str, Any]], *, channel: str = "incomingCall") -> CompiledFlow:
        return compile_flow(_definition(first, states, channel=channel))

    return build


@pytest.fixture
def widget() -> Callable[..., dict[str, Any]]:
    """widget(name, type, properties, event=next, ...) -> one state of a flow definition."""
    return _widget


@pytest.fixture
def definition() -> Callable[..., dict[str, Any]]:
    """definition(first, states, channel=...) -> a whole flow definition with a trigger."""
    return _definition
