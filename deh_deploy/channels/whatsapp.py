"""WhatsApp: a Conversations address on the environment's approved sender, which is adopted, never created."""

from __future__ import annotations

from deh_deploy.channels.definition import Channel, Limits, Prerequisite

CHANNEL = Channel(
    name="whatsapp",
    schema={
        "description": "WhatsApp through the environment's approved sender.",
        "type": "object",
        "properties": {},
        "additionalProperties": False,
        "examples": [{}],
    },
    carrier="conversations",
    address_type="whatsapp",
    address_from="whatsapp_sender",
    prefix="whatsapp:",
    limits=Limits(max_chars=1600),  # Twilio's limit on a message body
    needs=(
        Prerequisite(
            "whatsapp_sender",
            {
                "description": "The approved WhatsApp sender number (adopted, never created or removed).",
                "type": "string",
                "pattern": "^(?!.*\\n)\\+[1-9][0-9]{6,14}$",
                "examples": ["+36705550101"],
            },
            phone=True,
        ),
    ),
)
