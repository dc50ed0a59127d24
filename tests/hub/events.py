"""Twilio's webhook parameters as the DEH flows cause them, for tests and the benchmark."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any


def sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def task_event(
    event: str,
    *,
    task: str,
    at: datetime,
    age: int = 0,
    channel: str = "voice",
    kind: str = "inbound",
    language: str = "uk",
    topic: str | None = "housing",
    feedback: str | None = "request",
    sensitive: str | None = "false",
    from_: str = "+36301234567",
    conversation: str | None = None,
    extra: dict[str, Any] | None = None,
    event_sid: str | None = None,
) -> dict[str, str]:
    """A TaskRouter event callback's form parameters."""
    attributes: dict[str, Any] = {"type": kind, "channel": channel, "language": language, "from": from_}
    if topic is not None:
        attributes["topic"] = topic
    if feedback is not None:
        attributes["feedback_type"] = feedback
    if sensitive is not None:
        attributes["sensitive"] = sensitive
    if conversation is not None:
        attributes["conversationSid"] = conversation
    attributes.update(extra or {})
    ms = int(at.timestamp() * 1000)
    return {
        "Sid": event_sid or sid("EV"),
        "EventType": event,
        "AccountSid": "AC" + "0" * 32,
        "WorkspaceSid": "WS" + "0" * 32,
        "WorkspaceName": "Flex Task Assignment",
        "EventDescription": f"Task {task} {event}",
        "ResourceType": "Task",
        "ResourceSid": task,
        "Timestamp": str(ms // 1000),
        "TimestampMs": str(ms),
        "TaskSid": task,
        "TaskAge": str(age),
        "TaskAttributes": json.dumps(attributes),
        "TaskAssignmentStatus": "pending",
    }


def callback_task(
    event: str, *, task: str, at: datetime, recording: str | None, age: int = 0
) -> dict[str, str]:
    """An event of the call-back task the callback Function creates for a voicemail."""
    extra = {
        "reason": "voicemail",
        "received_at": at.isoformat().replace("+00:00", "Z"),
        "recording_url": f"https://api.twilio.com/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{recording}"
        if recording
        else "",
        "transcript": "Please call me back about my housing",
    }
    return task_event(
        event,
        task=task,
        at=at,
        age=age,
        kind="callback",
        topic=None,
        feedback=None,
        sensitive=None,
        extra=extra,
    )


def message_added(
    *, conversation: str, at: datetime, source: str, author: str, message: str | None = None
) -> dict[str, str]:
    """A Conversations ``onMessageAdded`` post-event webhook."""
    return {
        "EventType": "onMessageAdded",
        "AccountSid": "AC" + "0" * 32,
        "ConversationSid": conversation,
        "MessageSid": message or sid("IM"),
        "Body": "my address is 12 Fő utca",
        "Author": author,
        "Source": source,
        "DateCreated": at.isoformat().replace("+00:00", "Z"),
        "ParticipantSid": sid("MB"),
        "RetryCount": "0",
    }


def recording(
    *, recording_sid: str, call: str, started: datetime, status: str = "completed"
) -> dict[str, str]:
    """A recording status callback."""
    return {
        "AccountSid": "AC" + "0" * 32,
        "CallSid": call,
        "RecordingSid": recording_sid,
        "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{recording_sid}",
        "RecordingStatus": status,
        "RecordingDuration": "31",
        "RecordingChannels": "1",
        "RecordingSource": "RecordVerb",
        "RecordingStartTime": started.strftime("%a, %d %b %Y %H:%M:%S +0000"),
    }


def transcription(*, recording_sid: str, call: str) -> dict[str, str]:
    return {
        "AccountSid": "AC" + "0" * 32,
        "CallSid": call,
        "RecordingSid": recording_sid,
        "TranscriptionSid": sid("TR"),
        "TranscriptionStatus": "completed",
        "TranscriptionText": "Please call me back about my housing",
        "From": "+36301234567",
    }
