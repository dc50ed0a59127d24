"""Voice widgets: say-play, gather-input-on-call, record-voicemail."""

from __future__ import annotations

from deh_deploy.errors import SimulationError
from deh_deploy.simulate.compiled import CompiledState
from deh_deploy.simulate.model import (
    Dtmf,
    End,
    Hangup,
    Input,
    Play,
    Press,
    Prompt,
    PromptKind,
    Record,
    Recording,
    Say,
    Silence,
    Speak,
)
from deh_deploy.simulate.runtime import Runtime
from deh_deploy.simulate.specs import GatherSpec, RecordSpec, SayPlaySpec

Step = str | tuple[str, str] | Prompt | End

_KEYS = frozenset("0123456789*#")


def _voice_only(rt: Runtime, state: CompiledState) -> End | None:
    """A voice widget needs a live call: SimulationError on a message channel, the end after a hangup."""
    if rt.trigger != "incomingCall":
        raise SimulationError(
            f"widget {state.name!r} ({state.type}) needs a voice call; this run was triggered by {rt.trigger}"
        )
    if rt.hung_up:
        return rt.end("hangup", state.name, message="the caller had already hung up")
    return None


def _speak(rt: Runtime, spec: SayPlaySpec | GatherSpec, name: str) -> None:
    ctx = rt.ctx
    for _ in range(spec.loop):
        if spec.say is not None:
            language = spec.language.render(ctx, name, "language")
            voice = spec.voice.render(ctx, name, "voice")
            rt.emit(Say(spec.say.render(ctx, name, "say"), language, voice, name))
        elif spec.play is not None:
            rt.emit(Play(spec.play.render(ctx, name, "play"), name))


def say_play(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, SayPlaySpec)
    stop = _voice_only(rt, state)
    if stop is not None:
        return stop
    _speak(rt, spec, state.name)
    if spec.digits is not None:
        rt.emit(Dtmf(spec.digits.render(rt.ctx, state.name, "digits"), state.name))
    return "audioComplete"


def gather(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, GatherSpec)
    stop = _voice_only(rt, state)
    if stop is not None:
        return stop
    _speak(rt, spec, state.name)
    kind: PromptKind = "keys" if "keys" in spec.accepts else "speech"
    return Prompt(kind=kind, widget=state.name, timeout=spec.timeout, accepts=spec.accepts)


def _digits(spec: GatherSpec, pressed: str) -> str:
    if spec.finish_on_key and spec.finish_on_key in pressed:
        pressed = pressed[: pressed.index(spec.finish_on_key)]
    digits = "".join(ch for ch in pressed if ch in _KEYS)
    return digits[: spec.number_of_digits] if spec.number_of_digits else digits


def gather_input(rt: Runtime, state: CompiledState, inp: Input) -> str:
    """Press -> keypress, Speak -> speech; input the widget does not accept, or none, -> timeout."""
    spec = state.spec
    assert isinstance(spec, GatherSpec)
    if isinstance(inp, Press) and "keys" in spec.accepts:
        digits = _digits(spec, inp.digits)
        if digits:
            rt.widgets[state.name] = {"Digits": digits}
            return "keypress"
    elif isinstance(inp, Speak) and "speech" in spec.accepts and inp.text.strip():
        rt.widgets[state.name] = {"SpeechResult": inp.text.strip(), "Confidence": "1.0"}
        return "speech"
    elif not isinstance(inp, Press | Speak | Silence):
        raise SimulationError(
            f"widget {state.name!r} waits for keys or speech; {type(inp).__name__} cannot answer it"
        )
    rt.widgets[state.name] = {}
    return "timeout"


def record_voicemail(rt: Runtime, state: CompiledState) -> Step:
    spec = state.spec
    assert isinstance(spec, RecordSpec)
    stop = _voice_only(rt, state)
    if stop is not None:
        return stop
    return Prompt(kind="recording", widget=state.name, timeout=spec.timeout, accepts=("recording",))


def record_input(rt: Runtime, state: CompiledState, inp: Input) -> str:
    """Record -> recordingComplete (or hangup when the caller hung up to finish); no audio -> noAudio."""
    spec = state.spec
    assert isinstance(spec, RecordSpec)
    name = state.name
    if isinstance(inp, Hangup):
        rt.hung_up = True
        rt.widgets[name] = {}
        return "hangup"
    if isinstance(inp, Silence):
        rt.widgets[name] = {}
        return "noAudio"
    if not isinstance(inp, Record):
        raise SimulationError(f"widget {name!r} waits for a recording; {type(inp).__name__} cannot answer it")
    seconds = min(inp.seconds, spec.max_length)
    if inp.hangup:
        rt.hung_up = True
    if seconds <= 0:
        rt.widgets[name] = {}
        return "hangup" if inp.hangup else "noAudio"
    sid = rt.sid("RE")
    url = f"https://api.twilio.com/2010-04-01/Accounts/{rt.account_sid}/Recordings/{sid}"
    data = {"RecordingUrl": url, "RecordingSid": sid, "RecordingDuration": str(seconds)}
    transcript = inp.transcript if spec.transcribe else ""
    if spec.transcribe:
        data["TranscriptionText"] = transcript
    rt.widgets[name] = data
    rt.emit(Recording(widget=name, seconds=seconds, url=url, sid=sid, transcript=transcript))
    return "hangup" if inp.hangup else "recordingComplete"
