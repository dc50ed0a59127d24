"""Facebook Messenger: a Conversations address on the Facebook page connected to the environment's account."""

from __future__ import annotations

from deh_deploy.channels.definition import Channel, Limits, Prerequisite

CHANNEL = Channel(
    name="messenger",
    schema={
        "description": "Facebook Messenger through the environment's page.",
        "type": "object",
        "properties": {},
        "additionalProperties": False,
        "examples": [{}],
    },
    carrier="conversations",
    address_type="messenger",
    address_from="messenger_page_id",
    prefix="messenger:",
    limits=Limits(max_chars=1600),  # Twilio's limit on a message body (Messenger itself takes 2000)
    sender="4800012345",  # a page-scoped id, not a phone number
    needs=(
        Prerequisite(
            "messenger_page_id",
            {
                "description": "The Facebook page id connected to the account.",
                "type": "string",
                "pattern": "^(?!.*\\n)[0-9]{5,20}$",
                "examples": ["104857600123456"],
            },
        ),
    ),
)
