"""Web chat: Webchat 3 on a Conversations address of type ``chat``, embedded in the Society's own sites.

The deployment key and its allowed origins are set in the Twilio console only; plan names that step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deh_deploy.channels.definition import Channel


@dataclass(frozen=True)
class WebChat:
    allowed_origins: tuple[str, ...] = ()

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> WebChat:
        return cls(tuple(data.get("allowed_origins", ())))


CHANNEL = Channel(
    name="webchat",
    schema={
        "description": "Web chat on the Society's site.",
        "type": "object",
        "properties": {
            "allowed_origins": {
                "description": "Sites allowed to embed the chat.",
                "type": "array",
                "items": {"type": "string", "pattern": "^(?!.*\\n)https://[^/]+$"},
                "examples": [["https://voroskereszt.hu"]],
            }
        },
        "additionalProperties": False,
        "examples": [{"allowed_origins": ["https://voroskereszt.hu"]}],
    },
    carrier="flex-webchat",
    address_type="chat",
    # A visitor has no address of its own: the messaging flow's fallback, recognised by no mark.
    sender="visitor-1",
    settings=WebChat,
    suggestion=None,  # the country template starts with it
)
