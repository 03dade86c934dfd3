"""Dossiers, their history and pièces, the catalogue versions served, and the numbering counters.

Written by hand to match engine.storage; tests/app/test_migrations.py compares the two.

Revision ID: 0001
Revises:
Create Date: 2026-06-01
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dispositif_version",
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("loaded_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("slug", "version", name="pk_dispositif_version"),
    )
    op.create_table(
        "dossier",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("numero", sa.String(), nullable=True),
        sa.Column("dispositif", sa.String(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("etat", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("canal", sa.String(), nullable=False),
        sa.Column("answers", _json(), nullable=False),
        sa.Column("page", sa.String(), nullable=True),
        sa.Column("created_at", _instant(), nullable=False),
        sa.Column("updated_at", _instant(), nullable=False),
        sa.Column("submitted_at", _instant(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dossier"),
        sa.UniqueConstraint("numero", name="uq_dossier_numero"),
    )
    op.create_index("ix_dossier_dispositif", "dossier", ["dispositif"])
    op.create_index("ix_dossier_owner", "dossier", ["owner"])
    op.create_table(
        "dossier_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(), nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("from_state", sa.String(), nullable=True),
        sa.Column("to_state", sa.String(), nullable=True),
        sa.Column("comment", sa.String(), nullable=True),
        sa.Column("data", _json(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name="fk_dossier_event_dossier_id_dossier"),
        sa.PrimaryKeyConstraint("id", name="pk_dossier_event"),
    )
    op.create_index("ix_dossier_event_dossier_id", "dossier_event", ["dossier_id"])
    op.create_table(
        "piece_file",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("dossier_id", sa.String(), nullable=False),
        sa.Column("piece_key", sa.String(), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("storage_key", sa.String(), nullable=False),
        sa.Column("date_document", sa.Date(), nullable=True),
        sa.Column("created_at", _instant(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name="fk_piece_file_dossier_id_dossier"),
        sa.PrimaryKeyConstraint("id", name="pk_piece_file"),
        sa.UniqueConstraint("storage_key", name="uq_piece_file_storage_key"),
    )
    op.create_index("ix_piece_file_dossier_id", "piece_file", ["dossier_id"])
    op.create_table(
        "counter",
        sa.Column("serie", sa.String(), nullable=False),
        sa.Column("annee", sa.Integer(), nullable=False),
        sa.Column("valeur", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("serie", "annee", name="pk_counter"),
    )


def downgrade() -> None:
    op.drop_table("counter")
    op.drop_index("ix_piece_file_dossier_id", table_name="piece_file")
    op.drop_table("piece_file")
    op.drop_index("ix_dossier_event_dossier_id", table_name="dossier_event")
    op.drop_table("dossier_event")
    op.drop_index("ix_dossier_owner", table_name="dossier")
    op.drop_index("ix_dossier_dispositif", table_name="dossier")
    op.drop_table("dossier")
    op.drop_table("dispositif_version")
