"""The inbox, the feedback records and the message authors.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from deh_deploy.hub.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("event_key", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("payload", sa.Text()),
        sa.Column("status", sa.String(12), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("not_before", UTCDateTime()),
        sa.Column("processed_at", UTCDateTime()),
        sa.Column("error", sa.String(200)),
        sa.UniqueConstraint("provider", "event_key", name="uq_inbox_provider_event_key"),
    )
    op.create_index(
        "ix_inbox_pending",
        "inbox",
        ["id"],
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index("ix_inbox_received_at", "inbox", ["received_at"])
    op.create_table(
        "records",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("contact_key", sa.String(80), nullable=False, unique=True),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16)),
        sa.Column("language", sa.String(16)),
        sa.Column("topic", sa.String(40)),
        sa.Column("feedback_type", sa.String(16)),
        sa.Column("ifrc_type", sa.String(60)),
        sa.Column("sensitivity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("person_id", sa.String(32)),
        sa.Column("task_sid", sa.String(34)),
        sa.Column("call_sid", sa.String(34)),
        sa.Column("conversation_sid", sa.String(34)),
        sa.Column("recording_sid", sa.String(34)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("first_response_at", UTCDateTime()),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("canceled_at", UTCDateTime()),
        sa.Column("canceled_reason", sa.String(80)),
        sa.Column("timed_out_at", UTCDateTime()),
        sa.Column("deadline_at", UTCDateTime(), nullable=False),
        sa.Column("promise_rule", sa.String(40), nullable=False),
        sa.Column("promise_met", sa.Boolean()),
        sa.Column("window_closes_at", UTCDateTime()),
        sa.Column("reply_needs_template", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("has_recording", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("has_transcript", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("events", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_records_task_sid", "records", ["task_sid"])
    op.create_index("ix_records_conversation_sid", "records", ["conversation_sid"])
    op.create_index("ix_records_created_at", "records", ["created_at"])
    op.create_table(
        "messages",
        sa.Column("message_sid", sa.String(34), primary_key=True),
        sa.Column("conversation_sid", sa.String(34), nullable=False),
        sa.Column("author_role", sa.String(10), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_messages_conversation_sid", "messages", ["conversation_sid"])
    op.create_index("ix_messages_at", "messages", ["at"])


def downgrade() -> None:
    op.drop_table("messages")
    op.drop_table("records")
    op.drop_table("inbox")
