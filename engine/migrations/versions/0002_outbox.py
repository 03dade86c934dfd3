"""The outbox of e-mails: written in the transaction of what they tell, sent after the commit.

Written by hand to match engine.storage; tests/app/test_migrations.py compares the two.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("dossier_id", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("link", sa.String(), nullable=True),
        sa.Column("created_at", _instant(), nullable=False),
        sa.Column("due_at", _instant(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", _instant(), nullable=True),
        sa.Column("sent_at", _instant(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name="fk_outbox_message_dossier_id_dossier"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_message"),
    )
    op.create_index("ix_outbox_message_dossier_id", "outbox_message", ["dossier_id"])
    op.create_index("ix_outbox_message_sent_at_due_at", "outbox_message", ["sent_at", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_message_sent_at_due_at", table_name="outbox_message")
    op.drop_index("ix_outbox_message_dossier_id", table_name="outbox_message")
    op.drop_table("outbox_message")
