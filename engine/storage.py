"""The tables: dossiers, their history and pièces, the catalogue versions ever served, the numbering counters, and
the outbox of e-mails to send.

The tables live in their own metadata (not SQLModel's global one) so alembic compares exactly these, and its naming
convention gives every constraint the stable name the hand-written migrations use. Answers are stored as JSON
(JSONB on PostgreSQL) in the shape engine.answers_json gives them."""

import re
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, Column, DateTime, Dialect, Index, Integer, MetaData, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

__all__ = [
    "CANAL_EN_LIGNE", "ID_PATTERN", "Counter", "DispositifVersion", "Dossier", "DossierEvent", "OutboxMessage",
    "PieceFile", "UtcDateTime", "metadata", "new_id", "utcnow",
]  # fmt: skip

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

CANAL_EN_LIGNE = "en_ligne"


def utcnow() -> datetime:
    """The current instant, timezone-aware."""
    return datetime.now(UTC)


def new_id() -> str:
    """A fresh random identifier: 32 hex digits, unguessable, so it may appear in URLs."""
    return uuid4().hex


ID_PATTERN = re.compile(r"[0-9a-f]{32}")
"""What ``new_id`` gives: anything else in a URL names no row, and is refused before any query."""


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant on every database: SQLite keeps no offset, so it is stored and read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the engine stores instants with their timezone only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json() -> Any:
    return JSON().with_variant(JSONB(), "postgresql")


def _instant(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable, index=index))


class _Table(SQLModel, registry=registry(metadata=metadata)):
    pass


class DispositifVersion(_Table, table=True):
    """A version of a dispositif as it was served: a draft started under it can be resumed after the YAML changed."""

    __tablename__ = "dispositif_version"

    slug: str = Field(primary_key=True)
    version: str = Field(primary_key=True)
    source: str
    loaded_at: datetime = _instant()


_REVISION = Column("revision", Integer, nullable=False)


class Dossier(_Table, table=True):
    """One application: answers, state, the dispositif version it is filled under, from draft to decision."""

    __tablename__ = "dossier"

    id: str = Field(default_factory=new_id, primary_key=True)
    numero: str | None = Field(default=None, unique=True)
    dispositif: str = Field(index=True)
    version: str
    etat: str
    owner: str = Field(index=True)
    """Opaque key of the usager (the signed cookie's, later the account's): nothing personal."""
    canal: str = CANAL_EN_LIGNE
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(_json(), nullable=False))
    page: str | None = None
    created_at: datetime = _instant()
    updated_at: datetime = _instant()
    submitted_at: datetime | None = _instant(nullable=True)
    revision: int = Field(default=0, sa_column=_REVISION)
    """Bumped by every UPDATE, which only applies if nobody else bumped it first (optimistic concurrency)."""

    # SQLAlchemy's version counter: each UPDATE says ``WHERE revision = <as read>`` and sets it to + 1; no row
    # matched raises StaleDataError, which the use cases turn into ConflictError.
    __mapper_args__ = {"version_id_col": _REVISION}

    @property
    def is_draft(self) -> bool:
        """Not submitted yet (a brouillon)."""
        return self.submitted_at is None


class DossierEvent(_Table, table=True):
    """One line of a dossier's history: who did what, from which état to which."""

    __tablename__ = "dossier_event"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: str = Field(foreign_key="dossier.id", index=True)
    at: datetime = _instant()
    actor: str
    action: str
    from_state: str | None = None
    to_state: str | None = None
    comment: str | None = None
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(_json(), nullable=False))


class PieceFile(_Table, table=True):
    """An uploaded file: its metadata here, its bytes in the FileStore under ``storage_key``."""

    __tablename__ = "piece_file"

    id: str = Field(default_factory=new_id, primary_key=True)
    dossier_id: str = Field(foreign_key="dossier.id", index=True)
    piece_key: str
    """The pièce id, ``piece_id.index`` for a per-item pièce, or the id of a ``fichier`` field."""
    filename: str
    """The usager's name for the file, cleaned: shown, never used as a path."""
    format: str
    """What the content is (sniffed), whatever the name says."""
    size: int
    sha256: str
    storage_key: str = Field(unique=True)
    date_document: date | None = None
    created_at: datetime = _instant()


class Counter(_Table, table=True):
    """The last number given in a numbering series for a year (year 0: a series that never restarts)."""

    __tablename__ = "counter"

    serie: str = Field(primary_key=True)
    annee: int = Field(primary_key=True)
    valeur: int = 0


class OutboxMessage(_Table, table=True):
    """An e-mail to send, written in the transaction of what it tells (engine.outbox): sent after the commit, tried
    again later while the mail server refuses it, kept once sent as the proof that it left."""

    __tablename__ = "outbox_message"
    # The senders look for the messages not sent yet whose time has come.
    __table_args__ = (Index("ix_outbox_message_sent_at_due_at", "sent_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    """What the message is (``recepisse``): its text is written when it is sent, from the dossier."""
    dossier_id: str = Field(foreign_key="dossier.id", index=True)
    recipient: str
    link: str | None = None
    """The dossier's page as the web layer routes it, for the message to point to (None: from BASE_URL)."""
    created_at: datetime = _instant()
    due_at: datetime = _instant()
    """Not tried before this instant: its creation, then, after each failure, a longer wait."""
    attempts: int = 0
    claimed_until: datetime | None = _instant(nullable=True)
    """A sender has taken it until this instant; past it, a sender that died mid-way no longer holds it."""
    sent_at: datetime | None = _instant(nullable=True)
    last_error: str | None = None
    """Why the last attempt failed, for the operator (``guichet courriels``)."""
