"""TaskRouter event callbacks (the workspace's ``EventCallbackUrl``): the tasks the DEH flows create.

A task whose attributes say ``type: inbound`` is a contact handed to an agent by Send to Flex; ``type: callback``
is the promise's own task, created by the callback Function for a voicemail or an after-hours message. Other
tasks (and worker events) are not DEH contacts and are kept as ignored. The event's id is the ``Sid`` parameter
(EV…). Every task event carries the task's attributes and age, so whichever event arrives first creates the
record with the same contact time (event time minus the task's age).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from deh_deploy.channels import names as channel_names
from deh_deploy.hub.kinds import Kind, Params, register, without
from deh_deploy.hub.records import IFRC_TYPES, Contact, Context, earliest, save, touch

_RECORDING = re.compile(r"RE[0-9a-fA-F]{32}")
# Fields never stored: free text and agents' own details (TaskRouter marks some as PII).
_DROPPED = ("WorkerAttributes", "EventDescription", "WorkspaceName", "WorkerName")
_TEXT_ATTRIBUTES = ("transcript",)


def _key(params: Params) -> str | None:
    sid = params.get("Sid") or params.get("EventSid")
    return str(sid) if sid else None


def _minimise(params: Params) -> dict[str, Any]:
    out = without(params, *_DROPPED)
    attributes = _attributes(params)
    if any(name in attributes for name in _TEXT_ATTRIBUTES):
        out["TaskAttributes"] = json.dumps({k: v for k, v in attributes.items() if k not in _TEXT_ATTRIBUTES})
    return out


def _attributes(params: Params) -> dict[str, Any]:
    try:
        value = json.loads(str(params.get("TaskAttributes") or "{}"))
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser recurses
        return {}
    return value if isinstance(value, dict) else {}


def event_time(params: Params, fallback: datetime) -> datetime:
    """``TimestampMs`` (or ``Timestamp``, seconds) as an aware instant."""
    for name, scale in (("TimestampMs", 1000), ("Timestamp", 1)):
        try:
            return datetime.fromtimestamp(int(str(params[name])) / scale, UTC)
        except (KeyError, ValueError, OverflowError):
            continue
    return fallback


def _iso(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def contact_of(params: Params, at: datetime) -> Contact | None:
    """The contact a task event is about, or ``None`` when the task is not one of the DEH flows'."""
    attributes = _attributes(params)
    task = str(params.get("TaskSid") or "") or None
    kind = attributes.get("type")
    if task is None or kind not in ("inbound", "callback"):
        return None
    try:
        age = timedelta(seconds=max(0, int(str(params.get("TaskAge") or 0))))
    except ValueError:
        age = timedelta(0)
    created = at - age
    channel = attributes.get("channel") if attributes.get("channel") in channel_names() else None
    sensitive = {"true": "sensitive", "false": "non_sensitive"}.get(str(attributes.get("sensitive")).lower())
    feedback = attributes.get("feedback_type") if attributes.get("feedback_type") in IFRC_TYPES else None
    topic = attributes.get("topic")
    key, reason, recording = task, "agent", None
    if kind == "callback":
        reason = "voicemail" if attributes.get("reason") == "voicemail" else "after_hours"
        created = _iso(attributes.get("received_at")) or created
        found = _RECORDING.search(str(attributes.get("recording_url") or ""))
        recording = found.group(0) if found else None
        if reason == "voicemail" and recording is not None:
            key = f"voicemail:{recording}"  # the recording callback may have created the record already
    conversation = attributes.get("conversationSid") or attributes.get("conversation_sid")
    return Contact(
        key=key,
        reason=reason,
        created_at=created,
        channel=channel,
        language=str(attributes["language"])[:16] if attributes.get("language") else None,
        topic=str(topic)[:40] if isinstance(topic, str) and topic else None,
        feedback_type=feedback,
        sensitivity=sensitive or "to_be_clarified",
        address=str(attributes.get("from") or "") or None,
        task_sid=task,
        call_sid=str(attributes["call_sid"]) if attributes.get("call_sid") else None,
        conversation_sid=str(conversation) if conversation else None,
        recording_sid=recording,
        has_recording=recording is not None,
    )


def _process(conn: Connection, params: Params, ctx: Context) -> bool:
    at = event_time(params, ctx.now)
    contact = contact_of(params, at)
    if contact is None:
        return False
    row = touch(conn, contact, ctx)
    event = str(params.get("EventType") or "")
    if event == "reservation.accepted" and (row["reason"] != "agent" or row["channel"] == "voice"):
        # an agent took the call, or accepted the call-back of a voicemail / after-hours message
        row["first_response_at"] = earliest(row["first_response_at"], at)
    elif event == "task.completed":
        row["resolved_at"] = earliest(row["resolved_at"], at)
    elif event == "task.canceled":
        row["canceled_at"] = earliest(row["canceled_at"], at)
        row["canceled_reason"] = (
            row["canceled_reason"] or str(params.get("TaskCanceledReason") or "")[:80] or None
        )
    elif event == "workflow.timeout":
        row["timed_out_at"] = earliest(row["timed_out_at"], at)
    save(conn, row, ctx)
    return True


KIND = register(
    Kind(
        name="taskrouter",
        provider="twilio",
        path="/twilio/taskrouter",
        key=_key,
        minimise=_minimise,
        process=_process,
    )
)
