"""The Viber bridge's people: one row per opaque person id, their Viber id and open conversation.

Revision ID: 0002_viber
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from deh_deploy.hub.tables import UTCDateTime

revision = "0002_viber"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "viber_people",
        sa.Column("person_id", sa.String(32), primary_key=True),
        sa.Column("viber_id", sa.String(64), nullable=False),
        sa.Column("conversation_sid", sa.String(34)),
        sa.Column("language", sa.String(16)),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_viber_people_conversation_sid", "viber_people", ["conversation_sid"])
    op.create_index("ix_viber_people_updated_at", "viber_people", ["updated_at"])


def downgrade() -> None:
    op.drop_table("viber_people")
