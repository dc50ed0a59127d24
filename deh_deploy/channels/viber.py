"""Viber: Twilio has no Viber channel, so the hub service bridges the bot into Conversations as ``viber:<id>``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deh_deploy.channels.definition import Channel, Limits


@dataclass(frozen=True)
class Viber:
    bot_name: str
    token_env: str

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Viber:
        return cls(data["bot_name"], data["token_env"])


CHANNEL = Channel(
    name="viber",
    schema={
        "description": "A Viber bot, bridged by the hub service.",
        "type": "object",
        "properties": {
            "bot_name": {
                "description": "The bot's display name.",
                "type": "string",
                "minLength": 1,
                "maxLength": 28,
                "examples": ["Vöröskereszt Segítség"],
            },
            "token_env": {
                "description": "Environment variable holding the bot's token.",
                "type": "string",
                "pattern": "^(?!.*\\n)[A-Z][A-Z0-9_]{0,127}$",
                "examples": ["DEH_HU_VIBER_TOKEN"],
            },
        },
        "additionalProperties": False,
        "examples": [{"bot_name": "Red Cross", "token_env": "DEH_VIBER_TOKEN"}],
        "required": ["bot_name", "token_env"],
    },
    carrier="hub-bridge",
    prefix="viber:",
    limits=Limits(max_chars=7000),  # Viber's limit on a text message
    settings=Viber,
    suggestion="{bot_name: …, token_env: DEH_{country}_VIBER_TOKEN}",
)
