"""SMS on a number: a Conversations address of type ``sms`` on the number starts the messaging flow.

Flex routes messaging only through Conversations; the number's own "a message comes in" webhook stays blank and no
Messaging Service holds it, or Twilio would run both side by side."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deh_deploy.channels.definition import Channel, Limits, NumberSettings

DEFAULT_SEGMENTS = 3


@dataclass(frozen=True)
class Sms(NumberSettings):
    max_segments: int = DEFAULT_SEGMENTS

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Sms:
        return cls(data["number"], data.get("max_segments", DEFAULT_SEGMENTS))


CHANNEL = Channel(
    name="sms",
    schema={
        "description": "SMS on a number.",
        "type": "object",
        "properties": {
            "number": {
                "description": "Id of the number.",
                "type": "string",
                "pattern": "^(?!.*\\n)[a-z][a-z0-9_]{0,39}$",
                "examples": ["main"],
            },
            "max_segments": {
                "description": "Warn when a message needs more SMS segments than this.",
                "type": "integer",
                "minimum": 1,
                "maximum": 10,
                "examples": [3],
            },
        },
        "additionalProperties": False,
        "examples": [{"number": "main", "max_segments": 3}],
        "required": ["number"],
    },
    carrier="number",
    capability="sms",
    address_type="sms",
    # A sender is a bare E.164 number; channels with a prefix are told apart first.
    recognised_by="+",
    # Twilio takes 1600 characters in a body, but max_segments (at most 10) binds first.
    limits=Limits(segments_key="max_segments", default_segments=DEFAULT_SEGMENTS),
    settings=Sms,
    suggestion=None,  # the country template starts with it
)
