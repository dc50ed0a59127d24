"""Feedback records: one per contact that reaches an agent or leaves a voicemail (or an after-hours message).

Every event about a contact is *merged* into its record, so the result does not depend on the order in which
Twilio's webhooks arrive or on which process handles them: identity fields are filled once, instants keep the
earliest value, and the derived fields (status, whether the promise was met, the 24-hour-window flag) are
recomputed from the facts each time. The deadline is computed when the record is created and never again.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, func, select, update

from deh_deploy.hub.db import insert_new
from deh_deploy.hub.tables import messages, records

if TYPE_CHECKING:
    from deh_deploy.hub.promise import PromiseCalendar

# The community-feedback types of the config, onto the IFRC coding framework's types.
IFRC_TYPES = {
    "question": "Question",
    "request": "Request or suggestion",
    "suggestion": "Request or suggestion",
    "complaint": "Report of a concern or incident",
    "rumour": "Observation, perception or belief",
    "appreciation": "Encouragement or praise",
}
# How long after the person's last message a free-form reply may still be sent (WhatsApp: a template after).
SESSION_WINDOWS = {
    "whatsapp": timedelta(hours=24),
    "messenger": timedelta(hours=24),
    "viber": timedelta(hours=24),
}
_IDENTITY = ("channel", "language", "topic", "feedback_type", "ifrc_type", "person_id")
_SIDS = ("task_sid", "call_sid", "conversation_sid", "recording_sid")


@dataclass(frozen=True)
class Context:
    """What processing needs besides the event: the promise calendar, the person-id key and the time."""

    calendar: PromiseCalendar
    person_key: bytes
    now: datetime

    def person_id(self, address: str | None) -> str | None:
        """An opaque, stable id for a phone number or channel address (keyed: not reversible by guessing)."""
        if not address:
            return None
        digest = hmac.new(self.person_key, address.strip().lower().encode(), hashlib.sha256)
        return digest.hexdigest()[:24]


@dataclass(frozen=True)
class Contact:
    """What one event says about a contact."""

    key: str
    reason: str  # agent | voicemail | after_hours
    created_at: datetime
    channel: str | None = None
    language: str | None = None
    topic: str | None = None
    feedback_type: str | None = None
    sensitivity: str = "to_be_clarified"
    address: str | None = field(default=None, repr=False)
    task_sid: str | None = None
    call_sid: str | None = None
    conversation_sid: str | None = None
    recording_sid: str | None = None
    has_recording: bool = False
    has_transcript: bool = False


def touch(conn: Connection, contact: Contact, ctx: Context) -> dict[str, Any]:
    """The contact's record, created if new, locked for update, with this event's identity facts merged in."""
    row = conn.execute(select(records).where(records.c.contact_key == contact.key).with_for_update()).first()
    if row is None:
        _insert(conn, contact, ctx)
        row = conn.execute(
            select(records).where(records.c.contact_key == contact.key).with_for_update()
        ).one()
    current = dict(row._mapping)
    facts = {
        "channel": contact.channel,
        "language": contact.language,
        "topic": contact.topic,
        "feedback_type": contact.feedback_type,
        "ifrc_type": IFRC_TYPES.get(contact.feedback_type or ""),
        "person_id": ctx.person_id(contact.address),
        "task_sid": contact.task_sid,
        "call_sid": contact.call_sid,
        "conversation_sid": contact.conversation_sid,
        "recording_sid": contact.recording_sid,
    }
    for name in (*_IDENTITY, *_SIDS):
        if current[name] is None and facts[name] is not None:
            current[name] = facts[name]
    if current["sensitivity"] == "to_be_clarified":
        current["sensitivity"] = contact.sensitivity
    current["has_recording"] = bool(current["has_recording"]) or contact.has_recording
    current["has_transcript"] = bool(current["has_transcript"]) or contact.has_transcript
    return current


def _insert(conn: Connection, contact: Contact, ctx: Context) -> None:
    values = {
        "contact_key": contact.key,
        "reason": contact.reason,
        "sensitivity": contact.sensitivity,
        "status": "open",
        "created_at": contact.created_at,
        "deadline_at": ctx.calendar.deadline(contact.created_at),
        "promise_rule": ctx.calendar.rule,
        "updated_at": ctx.now,
    }
    insert_new(conn, records, values, keys=("contact_key",))


def earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def save(conn: Connection, row: dict[str, Any], ctx: Context) -> None:
    """Recompute the derived fields from the facts and write the record; one more event applied to it."""
    conversation = row["conversation_sid"]
    person_last = None
    if conversation is not None:
        agent_first, person_last = conn.execute(
            select(
                func.min(messages.c.at).filter(
                    messages.c.author_role == "agent", messages.c.at >= row["created_at"]
                ),
                func.max(messages.c.at).filter(messages.c.author_role == "person"),
            ).where(messages.c.conversation_sid == conversation)
        ).one()
        if row["reason"] == "agent" and row["channel"] != "voice":
            row["first_response_at"] = earliest(row["first_response_at"], agent_first)
    derive(row, person_last=person_last, now=ctx.now)
    row["events"] += 1
    row["updated_at"] = ctx.now
    changes = {k: v for k, v in row.items() if k not in ("id", "contact_key")}
    conn.execute(_UPDATE, {**changes, "record_id": row["id"]})


_UPDATE = update(records).where(records.c.id == bindparam("record_id"))


def derive(row: dict[str, Any], *, person_last: datetime | None, now: datetime) -> None:
    """Status, promise met, and the window flag, from the record's facts."""
    if row["resolved_at"] is not None:
        row["status"] = "closed"
    elif row["canceled_at"] is not None:
        row["status"] = "canceled"
    elif row["first_response_at"] is not None:
        row["status"] = "in_progress"
    else:
        row["status"] = "open"
    if row["first_response_at"] is not None:
        row["promise_met"] = row["first_response_at"] <= row["deadline_at"]
    else:
        row["promise_met"] = False if now > row["deadline_at"] else None
    window = SESSION_WINDOWS.get(row["channel"] or "")
    if window is None:
        row["window_closes_at"], row["reply_needs_template"] = None, False
        return
    row["window_closes_at"] = (person_last or row["created_at"]) + window
    reply = row["first_response_at"] or row["deadline_at"]
    row["reply_needs_template"] = reply > row["window_closes_at"]


def mark_overdue(conn: Connection, now: datetime) -> int:
    """Records whose deadline passed without a human response: the promise was not met."""
    result = conn.execute(
        update(records)
        .where(
            records.c.promise_met.is_(None),
            records.c.first_response_at.is_(None),
            records.c.deadline_at < now,
        )
        .values(promise_met=False, updated_at=now)
    )
    return result.rowcount
