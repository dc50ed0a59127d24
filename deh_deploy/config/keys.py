"""The fixed vocabulary of a hub: channels, message keys and the prompts a phone line speaks."""

from __future__ import annotations

from typing import Literal

ChannelName = Literal["voice", "sms", "whatsapp", "messenger", "viber", "webchat"]
CHANNELS: tuple[ChannelName, ...] = ("voice", "sms", "whatsapp", "messenger", "viber", "webchat")
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
