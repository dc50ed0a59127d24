"""The fixed vocabulary of a hub: message keys and the prompts a phone line speaks.

Channels are not a fixed list: ``deh_deploy.channels`` holds their table.
"""

from __future__ import annotations

MESSAGE_KEYS = (
    "language_choice",
    "welcome",
    "topic_menu",
    "topic_option",
    "invalid_choice",
    "after_hours",
    "promise",
    "voicemail_prompt",
    "voicemail_thanks",
    "queue_wait",
    "handoff",
    "thanks",
)
VOICE_PROMPTS = (
    "language_choice",
    "welcome",
    "topic_menu",
    "invalid_choice",
    "after_hours",
    "voicemail_prompt",
    "voicemail_thanks",
    "queue_wait",
    "thanks",
)
