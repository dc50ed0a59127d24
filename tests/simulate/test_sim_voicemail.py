"""Voicemail: record-voicemail, then a /callback function with the recording."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import (
    CallContext,
    CompiledFlow,
    FunctionResult,
    Hangup,
    Press,
    Prompt,
    Record,
    Recording,
    Say,
    Silence,
    Transition,
    run_script,
    start,
)

CALL = {"From": "+36301234567", "To": "+3612345678", "AccountSid": "AC" + "1" * 32}


class Callback:
    def __init__(self) -> None:
        self.params: list[dict[str, str]] = []

    def __call__(self, params: Mapping[str, str], ctx: CallContext) -> FunctionResult:
        self.params.append(dict(params))
        return FunctionResult(201, '{"case": "HU-0042"}')


@pytest.fixture
def voicemail(flow: Callable[[str], CompiledFlow]) -> CompiledFlow:
    return flow("voicemail")


def test_a_recorded_message_is_passed_to_the_callback_function(voicemail: CompiledFlow) -> None:
    callback = Callback()
    conv = run_script(
        voicemail,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/callback": callback},
        inputs=[Record(42, "Please call me about my brother")],
    )
    [recording] = [e for e in conv.events if isinstance(e, Recording)]
    assert recording.seconds == 42 and recording.sid.startswith("RE") and len(recording.sid) == 34
    assert (
        recording.url
        == f"https://api.twilio.com/2010-04-01/Accounts/{'AC' + '1' * 32}/Recordings/{recording.sid}"
    )
    assert callback.params == [
        {
            "from": "+36301234567",
            "recording_url": recording.url,
            "duration": "42",
            "transcript": "Please call me about my brother",
        }
    ]
    spoken = [e.text for e in conv.events if isinstance(e, Say)]
    assert spoken[-1] == "Thank you. We will call you back. Your case is HU-0042."
    assert conv.ended is not None and conv.ended.reason == "completed"


def test_the_recording_waits_with_its_timeout(voicemail: CompiledFlow) -> None:
    conv = start(voicemail, trigger="incomingCall", trigger_data=CALL, functions={})
    assert conv.waiting == Prompt(kind="recording", widget="record", timeout=5, accepts=("recording",))


def test_silence_gives_no_audio(voicemail: CompiledFlow) -> None:
    conv = run_script(voicemail, trigger="incomingCall", trigger_data=CALL, functions={}, inputs=[Silence()])
    assert Transition("record", "noAudio", "say_nothing") in conv.trace
    assert not [e for e in conv.events if isinstance(e, Recording)]


def test_a_zero_length_recording_is_no_audio(voicemail: CompiledFlow) -> None:
    conv = run_script(voicemail, trigger="incomingCall", trigger_data=CALL, functions={}, inputs=[Record(0)])
    assert Transition("record", "noAudio", "say_nothing") in conv.trace


def test_recordings_longer_than_max_length_are_cut(voicemail: CompiledFlow) -> None:
    callback = Callback()
    run_script(
        voicemail,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/callback": callback},
        inputs=[Record(600)],
    )
    assert callback.params[0]["duration"] == "120"


def test_hanging_up_to_finish_still_delivers_the_recording_then_the_call_is_gone(
    voicemail: CompiledFlow,
) -> None:
    callback = Callback()
    conv = run_script(
        voicemail,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/callback": callback},
        inputs=[Record(15, "call me", hangup=True)],
    )
    assert Transition("record", "hangup", "callback") in conv.trace
    assert callback.params[0]["duration"] == "15"
    assert conv.ended is not None
    assert (conv.ended.reason, conv.ended.widget) == ("hangup", "say_thanks")
    assert not any(isinstance(e, Say) and e.widget == "say_thanks" for e in conv.events)


def test_hanging_up_without_recording_takes_the_hangup_transition(voicemail: CompiledFlow) -> None:
    callback = Callback()
    conv = run_script(
        voicemail,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/callback": callback},
        inputs=[Hangup()],
    )
    assert Transition("record", "hangup", "callback") in conv.trace
    assert callback.params[0]["recording_url"] == ""


def test_without_transcribe_there_is_no_transcription_text(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    states = [
        widget("rec", "record-voicemail", {"transcribe": False}, recordingComplete="say"),
        widget(
            "say",
            "say-play",
            {"say": "[{{widgets.rec.TranscriptionText}}] {{widgets.rec.RecordingDuration}}s"},
        ),
    ]
    conv = run_script(
        tiny("rec", states), trigger="incomingCall", trigger_data=CALL, functions={}, inputs=[Record(3, "hi")]
    )
    assert [e.text for e in conv.events if isinstance(e, Say)] == ["[] 3s"]
    assert [e.transcript for e in conv.events if isinstance(e, Recording)] == [""]


def test_keys_cannot_answer_a_recording_prompt(voicemail: CompiledFlow) -> None:
    conv = start(voicemail, trigger="incomingCall", trigger_data=CALL, functions={})
    with pytest.raises(
        SimulationError, match="widget 'record' waits for a recording; Press cannot answer it"
    ):
        conv.send(Press("#"))
