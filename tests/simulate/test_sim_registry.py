"""The widget registry: every supported type declared once, events from Twilio, new types added by one declaration."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import CompiledFlow, Message, Prompt, Send, Silence, run_script
from deh_deploy.simulate.compiled import CompiledState
from deh_deploy.simulate.model import Input
from deh_deploy.simulate.reading import Reader
from deh_deploy.simulate.runtime import Runtime
from deh_deploy.simulate.templates import Template
from deh_deploy.simulate.voice import Step
from deh_deploy.simulate.widgets import Widget, declare, lookup, register, supported, unregister
from deh_deploy.studio_widgets import BY_TYPE

W = Callable[..., dict[str, Any]]
T = Callable[..., CompiledFlow]
TEXT = {"From": "+36301234567", "To": "+3612345678", "Body": "hi"}


@dataclass(frozen=True, slots=True)
class QuizSpec:
    question: Template


def read_quiz(r: Reader, transitions: Sequence[Mapping[str, Any]]) -> QuizSpec:
    if not r.props.get("question"):
        raise SimulationError(f"widget {r.name!r}: x-quiz needs a question")
    return QuizSpec(question=r.tpl("question"))


def ask_quiz(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, QuizSpec)
    question = spec.question.render(rt.ctx, state.name, "question")
    rt.emit(Message(body=question, widget=state.name, to=rt.contact, from_=rt.address))
    return Prompt(kind="text", widget=state.name, timeout=60, accepts=("text",))


def answer_quiz(rt: Runtime, state: CompiledState, inp: Input) -> str:
    if isinstance(inp, Send):
        rt.widgets[state.name] = {"answer": inp.text.strip().lower()}
        return "right" if inp.text.strip().lower() == "paris" else "wrong"
    assert isinstance(inp, Silence)
    return "quiet"


@pytest.fixture
def quiz() -> Iterator[str]:
    """A widget type Twilio does not have, registered for one test only."""
    widget = declare(
        "x-quiz",
        read=read_quiz,
        execute=ask_quiz,
        resume=answer_quiz,
        events=frozenset({"right", "wrong", "quiet"}),
    )
    register(widget)
    try:
        yield widget.type
    finally:
        unregister(widget.type)


def test_a_widget_type_registered_by_one_declaration_runs_in_a_flow(quiz: str, widget: W, tiny: T) -> None:
    states = [
        widget("q", quiz, {"question": "Capital of France?"}, right="yes", wrong="no", quiet=""),
        widget("yes", "send-message", {"body": "Right: {{widgets.q.answer}}"}),
        widget("no", "send-message", {"body": "No, Paris."}),
    ]
    flow = tiny("q", states, channel="incomingMessage")
    right = run_script(
        flow, trigger="incomingMessage", trigger_data=TEXT, functions={}, inputs=[Send(" Paris ")]
    )
    assert [e.body for e in right.events if isinstance(e, Message)] == ["Capital of France?", "Right: paris"]
    wrong = run_script(
        flow, trigger="incomingMessage", trigger_data=TEXT, functions={}, inputs=[Send("Rome")]
    )
    assert [t.event for t in wrong.trace] == ["incomingMessage", "wrong", "sent"]
    quiet = run_script(flow, trigger="incomingMessage", trigger_data=TEXT, functions={}, inputs=[])
    assert (quiet.trace[-1].event, quiet.ended and quiet.ended.reason) == ("quiet", "completed")


def test_a_registered_types_events_and_reader_are_checked_at_compile_time(
    quiz: str, widget: W, tiny: T
) -> None:
    with pytest.raises(SimulationError) as err:
        tiny("q", [widget("q", quiz, {}, maybe="")], channel="incomingMessage")
    message = str(err.value)
    assert "widget 'q' (x-quiz): unknown event 'maybe'; expected one of quiet, right, wrong" in message
    assert "widget 'q': x-quiz needs a question" in message


def test_the_fake_type_is_gone_after_its_test(widget: W, tiny: T) -> None:
    assert lookup("x-quiz") is None
    with pytest.raises(SimulationError, match="widget 'q' has unsupported type 'x-quiz'"):
        tiny("q", [widget("q", "x-quiz", {"question": "?"})])


def test_every_supported_type_takes_its_events_from_twilios_declaration() -> None:
    assert set(supported()) == {
        "trigger",
        "say-play",
        "gather-input-on-call",
        "record-voicemail",
        "split-based-on",
        "set-variables",
        "send-message",
        "send-and-wait-for-reply",
        "run-function",
        "make-http-request",
        "send-to-flex",
    }
    for kind in supported():
        found = lookup(kind)
        assert found is not None and found.events == BY_TYPE[kind].events, kind


def test_a_twilio_type_cannot_bring_its_own_events_and_a_type_is_registered_once() -> None:
    with pytest.raises(ValueError, match="its transition events are Twilio's"):
        declare("connect-call-to", read=read_quiz, execute=ask_quiz, events=frozenset({"dialled"}))
    with pytest.raises(ValueError, match="Twilio declares no transition events"):
        declare("x-unknown", read=read_quiz, execute=ask_quiz)
    with pytest.raises(ValueError, match="'say-play' is already registered"):
        register(declare("say-play", read=read_quiz, execute=ask_quiz))
    with pytest.raises(ValueError, match="connect-call-to: its transition events must be Twilio's"):
        register(Widget("connect-call-to", frozenset({"dialled"}), read_quiz, ask_quiz))
    assert lookup("connect-call-to") is None
