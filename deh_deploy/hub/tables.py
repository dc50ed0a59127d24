"""The hub service's tables: one schema for SQLite and PostgreSQL (migrations in ``hub/migrations``).

- ``inbox``: every accepted event, keyed by its provider's id, written before the webhook is answered.
- ``records``: the feedback records, one per contact, flat and query-friendly (one row, no joins for a report).
- ``messages``: who wrote each Conversations message and when (never its text): what a record's first human
  response and the channel's 24-hour window are computed from, whatever order the events arrive in.
- ``viber_people``: the Viber bridge's people, by opaque id: their Viber id (to reply to) and open conversation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant on both databases (SQLite keeps no offset: stored as naive UTC, read back aware)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} stored; use an aware UTC instant")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite's rowid alias must be INTEGER

inbox = Table(
    "inbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("provider", String(16), nullable=False),
    Column("event_key", String(120), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("payload", Text()),  # JSON; cleared once processed
    Column("status", String(12), nullable=False, server_default="pending"),
    Column("attempts", Integer(), nullable=False, server_default="0"),
    Column("not_before", UTCDateTime()),
    Column("processed_at", UTCDateTime()),
    Column("error", String(200)),
    UniqueConstraint("provider", "event_key", name="uq_inbox_provider_event_key"),
)
Index(
    "ix_inbox_pending",
    inbox.c.id,
    sqlite_where=text("status = 'pending'"),
    postgresql_where=text("status = 'pending'"),
)
Index("ix_inbox_received_at", inbox.c.received_at)

records = Table(
    "records",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("contact_key", String(80), nullable=False, unique=True),
    Column("reason", String(16), nullable=False),  # agent | voicemail | after_hours
    Column("channel", String(16)),
    Column("language", String(16)),
    Column("topic", String(40)),
    Column("feedback_type", String(16)),
    Column("ifrc_type", String(60)),
    Column("sensitivity", String(16), nullable=False),  # sensitive | non_sensitive | to_be_clarified
    Column("status", String(12), nullable=False),  # open | in_progress | closed | canceled
    Column("person_id", String(32)),
    Column("task_sid", String(34), index=True),
    Column("call_sid", String(34)),
    Column("conversation_sid", String(34), index=True),
    Column("recording_sid", String(34)),
    Column("created_at", UTCDateTime(), nullable=False, index=True),
    Column("first_response_at", UTCDateTime()),
    Column("resolved_at", UTCDateTime()),
    Column("canceled_at", UTCDateTime()),
    Column("canceled_reason", String(80)),
    Column("timed_out_at", UTCDateTime()),
    Column("deadline_at", UTCDateTime(), nullable=False),
    Column("promise_rule", String(40), nullable=False),
    Column("promise_met", Boolean()),
    Column("window_closes_at", UTCDateTime()),
    Column("reply_needs_template", Boolean(), nullable=False, server_default=text("false")),
    Column("has_recording", Boolean(), nullable=False, server_default=text("false")),
    Column("has_transcript", Boolean(), nullable=False, server_default=text("false")),
    Column("events", Integer(), nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime(), nullable=False),
)

messages = Table(
    "messages",
    metadata,
    Column("message_sid", String(34), primary_key=True),
    Column("conversation_sid", String(34), nullable=False, index=True),
    Column("author_role", String(10), nullable=False),  # person | agent | automated
    Column("at", UTCDateTime(), nullable=False, index=True),
)

viber_people = Table(
    "viber_people",
    metadata,
    Column(
        "person_id", String(32), primary_key=True
    ),  # the opaque id: one row, so one conversation, per person
    Column("viber_id", String(64), nullable=False),  # whom Viber's send_message is addressed to
    Column("conversation_sid", String(34), index=True),
    Column("language", String(16)),
    Column("updated_at", UTCDateTime(), nullable=False, index=True),
)
