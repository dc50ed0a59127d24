"""Build Studio flow definitions (Twilio's flow JSON) from Python, one widget at a time.

Text from the config is *data*: Studio evaluates Liquid in widget properties, so every configured string is wrapped in
``{% raw %}…{% endraw %}`` when it contains Liquid markup, and comes out literally at run time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deh_deploy.i18n import tts_voice
from deh_deploy.render.refs import Joined, Ref

FLOW_SCHEMA = "https://schemas.twilio.com/studio/draft/2019-09/flow-definition"


_ENDRAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")


def literal(text: str) -> str:
    """Configured text, safe from Studio's Liquid: ``{{ 7*7 }}`` stays ``{{ 7*7 }}``.

    The text goes inside ``{% raw %}``; any spelling of ``endraw`` in it is closed around and printed as a Liquid
    string, so nothing in configured text can end the raw block early.
    """
    if "{{" not in text and "{%" not in text:
        return text
    escaped = _ENDRAW.sub(lambda m: "{% endraw %}{{ '" + m.group(0) + "' }}{% raw %}", text)
    return "{% raw %}" + escaped + "{% endraw %}"


def cond(value: str, *, kind: str = "equal_to", name: str | None = None, argument: str) -> dict[str, Any]:
    return {"friendly_name": name or value, "arguments": [argument], "type": kind, "value": value}


@dataclass(frozen=True)
class Heard:
    """Speech input of a gather: the recognition language (Twilio's list, not the voice's), the words to
    expect, and the widget that reads what was said."""

    language: str
    hints: str
    next: str


@dataclass
class Flow:
    description: str
    states: list[dict[str, Any]] = field(default_factory=list)
    _names: set[str] = field(default_factory=set)

    def add(
        self, name: str, type_: str, properties: dict[str, Any], transitions: list[dict[str, Any]]
    ) -> str:
        if name in self._names:
            raise ValueError(f"duplicate widget name {name}")
        self._names.add(name)
        self.states.append(
            {"name": name, "type": type_, "properties": dict(properties), "transitions": transitions}
        )
        return name

    def definition(self) -> dict[str, Any]:
        """The flow as Studio takes it, each widget at its place in the canvas (:mod:`.layout`)."""
        from deh_deploy.render.layout import offsets

        places = offsets(self.states)
        states = [{**s, "properties": {**s["properties"], "offset": places[s["name"]]}} for s in self.states]
        return {
            "description": self.description,
            "flags": {"allow_concurrent_calls": True},
            "initial_state": "Trigger",
            "states": states,
        }

    # -- widgets -------------------------------------------------------------------------------------------------
    def say(self, name: str, *, text: str, language: str, audio: str | None, next_: str = "") -> str:
        return self.add(
            name,
            "say-play",
            {**speech(text, language, audio), "loop": 1},
            [{"event": "audioComplete", "next": next_}],
        )

    def gather(
        self,
        name: str,
        *,
        text: str,
        language: str,
        audio: str | None,
        timeout: int,
        keypress: str,
        on_timeout: str,
        digits: int = 1,
        heard: Heard | None = None,
    ) -> str:
        """A menu on a call. Keys only unless ``heard`` is given: a wired ``speech`` transition turns on Twilio's
        (billed) speech recognition, and a caller who says "one" would otherwise fall through to the timeout."""
        props = {
            **speech(text, language, audio),
            "timeout": timeout,
            "number_of_digits": digits,
            "stop_gather": True,
            "finish_on_key": "#",
        }
        if heard is not None:
            props |= {"gather_language": heard.language, "speech_timeout": "auto", "hints": heard.hints}
        return self.add(
            name,
            "gather-input-on-call",
            props,
            [
                {"event": "keypress", "next": keypress},
                {"event": "speech", "next": heard.next if heard else ""},
                {"event": "timeout", "next": on_timeout},
            ],
        )

    def split(
        self, name: str, *, input_: str, matches: list[tuple[dict[str, Any], str]], no_match: str
    ) -> str:
        transitions: list[dict[str, Any]] = [{"event": "noMatch", "next": no_match}]
        transitions += [{"event": "match", "next": nxt, "conditions": [c]} for c, nxt in matches]
        return self.add(name, "split-based-on", {"input": input_}, transitions)

    def set_vars(self, name: str, variables: dict[str, str], *, next_: str) -> str:
        return self.add(
            name,
            "set-variables",
            {"variables": [{"key": k, "value": v} for k, v in variables.items()]},
            [{"event": "next", "next": next_}],
        )

    def send(self, name: str, *, body: str, next_: str = "") -> str:
        return self.add(
            name,
            "send-message",
            {"body": literal(body), "from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}"},
            [{"event": "sent", "next": next_}, {"event": "failed", "next": next_}],
        )

    def ask(self, name: str, *, body: str, timeout: int, reply: str, on_timeout: str) -> str:
        return self.add(
            name,
            "send-and-wait-for-reply",
            {"body": literal(body), "from": "{{flow.channel.address}}", "timeout": str(timeout)},
            [
                {"event": "incomingMessage", "next": reply},
                {"event": "timeout", "next": on_timeout},
                {"event": "deliveryFailure", "next": on_timeout},
            ],
        )

    def function(
        self,
        name: str,
        *,
        fn: Mapping[str, Ref | Joined],
        parameters: Mapping[str, str | Ref],
        success: str,
        fail: str,
    ) -> str:
        return self.add(
            name,
            "run-function",
            {**fn, "parameters": [{"key": k, "value": v} for k, v in parameters.items()]},
            [{"event": "success", "next": success}, {"event": "fail", "next": fail}],
        )

    def record(
        self,
        name: str,
        *,
        max_length: int,
        transcribe: bool,
        complete: str,
        no_audio: str,
        transcription_callback: Joined | None = None,
        recording_status_callback: str | None = None,
    ) -> str:
        """Record a voicemail. Its transcript is no output of the widget: Twilio posts it later to
        ``transcription_callback``; the recording's status (``completed``…) to ``recording_status_callback``."""
        properties: dict[str, object] = {
            "max_length": max_length,
            "timeout": 5,
            "finish_on_key": "#",
            "play_beep": "true",
            "trim": "trim-silence",
            "transcribe": transcribe,
        }
        if transcribe and transcription_callback:
            properties["transcription_callback_url"] = transcription_callback
        if recording_status_callback:
            properties["recording_status_callback_url"] = recording_status_callback
        return self.add(
            name,
            "record-voicemail",
            properties,
            [
                {"event": "recordingComplete", "next": complete},
                {"event": "noAudio", "next": no_audio},
                {"event": "hangup", "next": complete},
            ],
        )

    def flex(self, name: str, *, workflow: Ref, channel: Ref, attributes: dict[str, str], fail: str) -> str:
        return self.add(
            name,
            "send-to-flex",
            {
                "workflow": workflow,
                "channel": channel,
                "attributes": attributes_json(attributes),
                "priority": "0",
                "timeout": "3600",
            },
            [
                {"event": "callComplete", "next": ""},
                {"event": "failedToEnqueue", "next": fail},
                {"event": "callFailure", "next": fail},
            ],
        )


def speech(text: str, language: str, audio: str | None) -> dict[str, Any]:
    """``say`` with Twilio's voice for the language, or ``play`` of the recording when it has no voice."""
    if audio:
        return {"play": audio}
    voice = tts_voice(language)
    if voice is None:
        raise ValueError(f"no text-to-speech voice and no recording for {language}")
    return {"say": literal(text), "language": voice.language, "voice": voice.voice}


def attributes_json(attributes: dict[str, str]) -> str:
    """Task attributes as the JSON string Studio expects; values may hold Liquid, keys are sorted."""
    return json.dumps(attributes, sort_keys=True, ensure_ascii=False)
