"""The public API: frozen value types with a JSON form, Run reuse, determinism, scripts."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import (
    CallContext,
    CompiledFlow,
    End,
    FlexTask,
    FunctionResult,
    Press,
    Record,
    Run,
    Say,
    Send,
    Silence,
    Transition,
    run_script,
    start,
)

CALL = {"From": "+36301234567", "To": "+3612345678"}


def hours(params: Mapping[str, str], ctx: CallContext) -> FunctionResult:
    return FunctionResult(200, {"open": True})


def test_a_whole_conversation_serialises_to_json(flow: Callable[[str], CompiledFlow]) -> None:
    conv = run_script(
        flow("voice_ivr"),
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": hours},
        inputs=[Press("1"), Press("2")],
    )
    data = json.loads(json.dumps(conv.to_json()))
    assert data["type"] == "Conversation" and data["waiting"] is None
    assert data["transcript"][0] == {
        "type": "Say",
        "text": "For English press 1. Magyar nyelvhez nyomja meg a 2-es gombot.",
        "language": "en-US",
        "voice": "Google.en-US-Standard-C",
        "widget": "gather_language",
    }
    assert data["transcript"][1] == {
        "type": "Received",
        "widget": "gather_language",
        "input": {"type": "Press", "digits": "1"},
    }
    assert data["trace"][0] == {
        "type": "Transition",
        "widget": "Trigger",
        "event": "incomingCall",
        "next": "gather_language",
    }
    assert data["ended"]["reason"] == "flex"
    assert data["ended"]["task"]["type"] == "FlexTask"
    assert data["ended"]["task"]["attributes"]["topic"] == "family-links"


def test_value_types_are_frozen() -> None:
    end = End(reason="completed", widget="w", task=None, variables={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        end.reason = "error"  # type: ignore[misc]
    for value in (
        Press("1"),
        Send("x"),
        Silence(),
        Record(3),
        Transition("a", "b", "c"),
        FlexTask("W", "T", {}, 1, 2),
    ):
        assert dataclasses.is_dataclass(value)
        assert json.loads(json.dumps(value.to_json()))["type"] == type(value).__name__


def test_the_same_script_gives_the_same_conversation(flow: Callable[[str], CompiledFlow]) -> None:
    run = Run(flow("voicemail"), functions={"/callback": lambda p, c: FunctionResult(200, "{}")})
    first = run.script(trigger="incomingCall", trigger_data=CALL, inputs=[Record(9, "hello")])
    second = run.script(trigger="incomingCall", trigger_data=CALL, inputs=[Record(9, "hello")])
    assert first.to_json() == second.to_json()


def test_conversations_of_one_run_do_not_share_state(flow: Callable[[str], CompiledFlow]) -> None:
    run = Run(flow("voice_ivr"), functions={"/hours": hours})
    english = run.script(trigger="incomingCall", trigger_data=CALL, inputs=[Press("1"), Press("1")])
    hungarian = run.script(trigger="incomingCall", trigger_data=CALL, inputs=[Press("2"), Press("2")])
    assert english.variables == {"lang": "en", "voice_lang": "en-US", "topic": "health"}
    assert hungarian.variables == {"lang": "hu", "voice_lang": "hu-HU", "topic": "family-links"}


def test_run_script_feeds_silence_once_the_inputs_run_out(flow: Callable[[str], CompiledFlow]) -> None:
    conv = run_script(
        flow("voice_ivr"),
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": hours},
        inputs=[Press("2")],
    )
    assert Transition("gather_topic", "timeout", "say_goodbye") in conv.trace
    assert [e.text for e in conv.events if isinstance(e, Say)][-1] == "Goodbye."


def test_the_returned_views_are_snapshots(flow: Callable[[str], CompiledFlow]) -> None:
    conv = start(flow("voice_ivr"), trigger="incomingCall", trigger_data=CALL, functions={"/hours": hours})
    events, trace = conv.events, conv.trace
    conv.send(Press("1"))
    assert len(conv.events) > len(events) and len(conv.trace) > len(trace)


def test_an_unknown_trigger_is_refused(flow: Callable[[str], CompiledFlow]) -> None:
    with pytest.raises(SimulationError, match="unknown trigger 'incomingFax'"):
        start(flow("voice_ivr"), trigger="incomingFax", trigger_data={}, functions={})  # type: ignore[arg-type]


def test_trigger_data_gets_deterministic_sids_unless_given(flow: Callable[[str], CompiledFlow]) -> None:
    conv = run_script(
        flow("voice_ivr"),
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": hours},
        inputs=[Press("1"), Press("1")],
    )
    assert conv.ended is not None and conv.ended.task is not None
    assert conv.ended.task.attributes["call_sid"] == "CA" + "0" * 31 + "1"
