"""A caller through the voice IVR: language, opening hours, topic, and on to Flex."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import (
    CallContext,
    CompiledFlow,
    FunctionCall,
    FunctionResult,
    Hangup,
    Press,
    Prompt,
    Say,
    Send,
    Speak,
    Transition,
    run_script,
    start,
)

CALL = {"From": "+36301234567", "To": "+3612345678", "CallSid": "CA" + "ab" * 16}


class Hours:
    """An /hours function: open or closed, remembering what it was asked."""

    def __init__(self, *, is_open: bool = True, status: int = 200) -> None:
        self.is_open, self.status = is_open, status
        self.calls: list[tuple[dict[str, str], CallContext]] = []

    def __call__(self, params: Mapping[str, str], ctx: CallContext) -> FunctionResult:
        self.calls.append((dict(params), ctx))
        message = "" if self.is_open else "Our helpline is open from 9 to 17."
        return FunctionResult(self.status, {"open": self.is_open, "message": message})


@pytest.fixture
def ivr(flow: Callable[[str], CompiledFlow]) -> CompiledFlow:
    return flow("voice_ivr")


def says(conv_events: object) -> list[str]:
    assert isinstance(conv_events, tuple)
    return [e.text for e in conv_events if isinstance(e, Say)]


def test_hungarian_caller_choosing_health_reaches_flex_with_task_attributes(ivr: CompiledFlow) -> None:
    hours = Hours()
    conv = run_script(
        ivr,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": hours},
        inputs=[Press("2"), Press("1")],
    )
    end = conv.ended
    assert end is not None and end.reason == "flex" and end.widget == "to_flex"
    assert end.task is not None
    assert end.task.attributes == {
        "type": "inbound",
        "name": "+36301234567",
        "channel": "voice",
        "language": "hu",
        "topic": "health",
        "call_sid": CALL["CallSid"],
    }
    assert (end.task.workflow, end.task.channel) == (
        "${ref:taskrouter.workflow}",
        "${ref:taskrouter.channel.voice}",
    )
    assert (end.task.priority, end.task.timeout) == (10, 3600)
    assert end.variables == {"lang": "hu", "voice_lang": "hu-HU", "topic": "health"}
    assert says(conv.events)[1] == "Egészség: 1. Család: 2."
    assert [e.language for e in conv.events if isinstance(e, Say)] == ["en-US", "hu-HU"]


def test_the_hours_function_gets_rendered_parameters_and_the_call_context(ivr: CompiledFlow) -> None:
    hours = Hours()
    conv = run_script(
        ivr,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": hours},
        inputs=[Press("1"), Press("2")],
    )
    [(params, ctx)] = hours.calls
    assert params == {"language": "en", "channel": "voice"}
    assert (ctx.trigger, ctx.widget, ctx.contact, ctx.address) == (
        "incomingCall",
        "check_hours",
        CALL["From"],
        CALL["To"],
    )
    assert ctx.url == "https://${ref:serverless.domain}/hours"
    assert ctx.variables == {"lang": "en", "voice_lang": "en-US"}
    [call] = [e for e in conv.events if isinstance(e, FunctionCall)]
    assert (call.path, call.status, call.missing) == ("/hours", 200, False)
    assert conv.ended is not None and conv.ended.task is not None
    assert conv.ended.task.attributes["topic"] == "family-links"


def test_closed_hours_speak_the_functions_message_and_complete(ivr: CompiledFlow) -> None:
    conv = run_script(
        ivr,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": Hours(is_open=False)},
        inputs=[Press("1")],
    )
    assert says(conv.events)[-1] == "Our helpline is open from 9 to 17."
    assert conv.ended is not None
    assert (conv.ended.reason, conv.ended.widget, conv.ended.event) == (
        "completed",
        "say_closed",
        "audioComplete",
    )
    assert conv.trace[-3:] == (
        Transition("check_hours", "success", "split_open"),
        Transition("split_open", "noMatch", "say_closed"),
        Transition("say_closed", "audioComplete", ""),
    )


def test_a_function_answering_500_takes_the_fail_branch(ivr: CompiledFlow) -> None:
    conv = run_script(
        ivr,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": Hours(status=500)},
        inputs=[Press("1")],
    )
    assert Transition("check_hours", "fail", "say_error") in conv.trace
    assert says(conv.events)[-1] == "Sorry, we cannot take your call right now."


def test_a_function_that_raises_takes_the_fail_branch_and_keeps_the_error(ivr: CompiledFlow) -> None:
    def broken(params: Mapping[str, str], ctx: CallContext) -> FunctionResult:
        raise RuntimeError("database down")

    conv = run_script(
        ivr, trigger="incomingCall", trigger_data=CALL, functions={"/hours": broken}, inputs=[Press("1")]
    )
    [call] = [e for e in conv.events if isinstance(e, FunctionCall)]
    assert (call.status, call.error) == (500, "RuntimeError: database down")
    assert Transition("check_hours", "fail", "say_error") in conv.trace


def test_a_missing_function_fails_like_a_404_and_is_recorded(ivr: CompiledFlow) -> None:
    conv = run_script(
        ivr, trigger="incomingCall", trigger_data=CALL, functions={"/other": Hours()}, inputs=[Press("1")]
    )
    [call] = [e for e in conv.events if isinstance(e, FunctionCall)]
    assert (call.path, call.status, call.missing) == ("/hours", 404, True)
    assert Transition("check_hours", "fail", "say_error") in conv.trace
    assert conv.ended is not None and conv.ended.missing_functions == ("/hours",)


def test_a_wrong_key_repeats_the_menu(ivr: CompiledFlow) -> None:
    conv = run_script(
        ivr,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": Hours()},
        inputs=[Press("7"), Press("1"), Press("9"), Press("1")],
    )
    assert [t.next for t in conv.trace if t.widget in ("split_language", "split_topic")] == [
        "gather_language",
        "set_english",
        "gather_topic",
        "set_topic_health",
    ]
    assert conv.ended is not None and conv.ended.reason == "flex"


def test_silence_takes_the_timeout_transitions(ivr: CompiledFlow) -> None:
    conv = run_script(
        ivr, trigger="incomingCall", trigger_data=CALL, functions={"/hours": Hours()}, inputs=[]
    )
    assert Transition("gather_language", "timeout", "set_english") in conv.trace
    assert Transition("gather_topic", "timeout", "say_goodbye") in conv.trace
    assert says(conv.events)[-1] == "Goodbye."


def test_the_conversation_waits_with_a_prompt_until_the_caller_answers(ivr: CompiledFlow) -> None:
    conv = start(ivr, trigger="incomingCall", trigger_data=CALL, functions={"/hours": Hours()})
    assert conv.waiting == Prompt(
        kind="keys", widget="gather_language", timeout=5, accepts=("keys", "speech")
    )
    assert conv.ended is None
    conv.send(Press("1"))
    assert conv.waiting is not None and (conv.waiting.widget, conv.waiting.timeout) == ("gather_topic", 8)
    conv.send(Hangup())
    assert conv.waiting is None
    assert conv.ended is not None and (conv.ended.reason, conv.ended.widget) == ("hangup", "gather_topic")


def test_speech_answers_a_gather_and_is_exposed_as_speech_result(ivr: CompiledFlow) -> None:
    conv = start(ivr, trigger="incomingCall", trigger_data=CALL, functions={"/hours": Hours()})
    conv.send(Speak(" two "))
    assert conv.trace[-2:] == (
        Transition("gather_language", "speech", "split_language"),
        Transition("split_language", "noMatch", "gather_language"),
    )


def test_a_text_message_cannot_answer_a_keypad_prompt(ivr: CompiledFlow) -> None:
    conv = start(ivr, trigger="incomingCall", trigger_data=CALL, functions={})
    with pytest.raises(
        SimulationError, match="widget 'gather_language' waits for keys or speech; Send cannot"
    ):
        conv.send(Send("1"))


def test_nothing_can_be_sent_after_the_end(ivr: CompiledFlow) -> None:
    conv = start(ivr, trigger="incomingCall", trigger_data=CALL, functions={})
    conv.send(Hangup())
    with pytest.raises(SimulationError, match="the conversation has ended"):
        conv.send(Press("1"))


def test_a_message_trigger_that_the_flow_ignores_completes_at_once(ivr: CompiledFlow) -> None:
    conv = start(ivr, trigger="incomingMessage", trigger_data={"From": "+1", "Body": "hi"}, functions={})
    assert conv.trace == (Transition("Trigger", "incomingMessage", ""),)
    assert conv.ended is not None and conv.ended.reason == "completed" and conv.events == ()
