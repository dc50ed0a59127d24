"""The phone line: an IVR with the opening-hours check and voicemail, on a number's voice capability."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deh_deploy.channels.definition import Channel, NumberSettings


@dataclass(frozen=True)
class Voice(NumberSettings):
    gather_timeout: int = 5
    voicemail_max_length: int = 120
    transcribe: bool = False
    # Speech recognition in the menus (billed by Twilio); off, a caller answers with the keypad only.
    speech: bool = False

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Voice:
        voicemail = data.get("voicemail", {})
        return cls(
            data["number"],
            data.get("gather_timeout", 5),
            voicemail.get("max_length", 120),
            voicemail.get("transcribe", False),
            data.get("speech", False),
        )


CHANNEL = Channel(
    name="voice",
    schema={
        "description": "Phone line with an IVR, opening-hours check and voicemail.",
        "type": "object",
        "properties": {
            "number": {
                "description": "Id of the number (see environments.*.numbers).",
                "type": "string",
                "pattern": "^(?!.*\\n)[a-z][a-z0-9_]{0,39}$",
                "examples": ["main"],
            },
            "gather_timeout": {
                "description": "Seconds to wait for a key press.",
                "type": "integer",
                "minimum": 1,
                "maximum": 30,
                "examples": [5],
            },
            "speech": {
                "description": "Let callers say their choice (a digit or a language's name) as well as press it."
                " Speech recognition is billed per use; off by default.",
                "type": "boolean",
                "examples": [False],
            },
            "voicemail": {
                "description": "Voicemail out of hours.",
                "type": "object",
                "properties": {
                    "max_length": {
                        "description": "Maximum recording length in seconds.",
                        "type": "integer",
                        "minimum": 10,
                        "maximum": 3600,
                        "examples": [120],
                    },
                    "transcribe": {
                        "description": "Ask Twilio for a transcription (English only at Twilio).",
                        "type": "boolean",
                        "examples": [False],
                    },
                },
                "additionalProperties": False,
                "examples": [{"max_length": 120, "transcribe": False}],
            },
        },
        "additionalProperties": False,
        "examples": [{"number": "main"}],
        "required": ["number"],
    },
    carrier="number",
    flow="voice",
    capability="voice",
    task_channel="voice",
    settings=Voice,
    suggestion=None,  # the country template starts with it
)
