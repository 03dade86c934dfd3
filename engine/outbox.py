"""The outbox: an e-mail is a row written in the transaction of what it tells, and sent once that is committed.

A submission and its receipt are committed together: never a dossier without its receipt, never a receipt for a
dossier that was rolled back. Whoever sends (engine.postman: the response's background task, the app's periodic
sweep, ``guichet courriels``) first claims a batch of messages, then sends them, then records the outcome. Each of
these steps is one statement, its own transaction (autocommit: no BEGIN and COMMIT round trips). The claim takes its
rows ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so app instances sharing the database never take the same message;
SQLite has one writer at a time. A claim lapses after ``LEASE``: the messages of a sender that died mid-way are taken
again later (sent at least once, never lost). A failure keeps the message with its error and pushes its next attempt
back, a little more each time."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, or_, select, update
from sqlmodel import Session

from engine.db import autocommit, on_rollback
from engine.storage import OutboxMessage, utcnow

__all__ = [
    "LEASE", "RECEIPT", "Claimed", "claim", "make_due", "mark_queued", "pending", "queue", "queued", "record_failure",
    "record_sent", "retry_delay",
]  # fmt: skip

RECEIPT = "recepisse"
"""The kind of the receipt of a submission."""

LEASE = timedelta(minutes=15)
"""How long a claim holds: longer than a batch takes to send, even if each SMTP exchange times out (after 10 s)."""

_FIRST_RETRY = timedelta(minutes=1)
_LAST_RETRY = timedelta(hours=6)
_QUEUED = "guichet.outbox.queued"

_TABLE: Any = OutboxMessage.__table__  # type: ignore[attr-defined]  # SQLModel declares it on table models only
_QUEUE = insert(_TABLE)  # built once: the columns are those of the row it is executed with


def queue(session: Session, *, kind: str, dossier_id: str, recipient: str, link: str | None) -> None:
    """Write a message to send once the session's transaction commits (and never if it rolls back)."""
    now = utcnow()
    row = {
        "kind": kind,
        "dossier_id": dossier_id,
        "recipient": recipient,
        "link": link,
        "created_at": now,
        "due_at": now,
        "attempts": 0,
        "claimed_until": None,
        "sent_at": None,
        "last_error": None,
    }
    session.connection().execute(_QUEUE, row)
    mark_queued(session)


def mark_queued(session: Session) -> None:
    """Note that this session's transaction wrote messages (``queue`` does; so does a writer inserting them itself)."""
    if not session.info.get(_QUEUED):
        session.info[_QUEUED] = True
        on_rollback(session, lambda: session.info.pop(_QUEUED, None))  # the row is gone: nothing to wake a sender for


def queued(session: Session) -> bool:
    """Whether this session's transaction wrote messages that are still to be sent (then the caller wakes a sender)."""
    return bool(session.info.get(_QUEUED))


@dataclass(frozen=True)
class Claimed:
    """A message taken by a sender, to be sent then recorded as sent or failed."""

    id: int
    kind: str
    dossier_id: str
    recipient: str
    link: str | None
    attempts: int
    """Counting this one."""


def claim(db: Engine, *, limit: int, now: datetime | None = None) -> list[Claimed]:
    """Take up to ``limit`` messages whose time has come and that nobody holds, oldest first, in one statement."""
    now = now or utcnow()
    free = or_(_TABLE.c.claimed_until.is_(None), _TABLE.c.claimed_until < now)
    chosen = (
        select(_TABLE.c.id)
        .where(_TABLE.c.sent_at.is_(None), _TABLE.c.due_at <= now, free)
        .order_by(_TABLE.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite renders nothing and serialises writers instead
    )
    statement = (
        update(_TABLE)
        .where(_TABLE.c.id.in_(chosen))
        .values(claimed_until=now + LEASE, attempts=_TABLE.c.attempts + 1)
        .returning(
            _TABLE.c.id,
            _TABLE.c.kind,
            _TABLE.c.dossier_id,
            _TABLE.c.recipient,
            _TABLE.c.link,
            _TABLE.c.attempts,
        )
    )
    with autocommit(db) as connection:
        rows = connection.execute(statement).all()
    return sorted((Claimed(*row) for row in rows), key=lambda message: message.id)


def record_sent(db: Engine, ids: Sequence[int], now: datetime | None = None) -> None:
    """The server took these messages."""
    if not ids:
        return
    with autocommit(db) as connection:
        connection.execute(
            update(_TABLE).where(_TABLE.c.id.in_(ids)).values(sent_at=now or utcnow(), claimed_until=None)
        )


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: one minute, doubled each time, six hours at most."""
    return min(_FIRST_RETRY * (1 << min(max(attempts - 1, 0), 16)), _LAST_RETRY)


def record_failure(db: Engine, message: Claimed, error: str, now: datetime | None = None) -> datetime:
    """The attempt failed: keep the error, release the message, and say when it is due again."""
    due = (now or utcnow()) + retry_delay(message.attempts)
    with autocommit(db) as connection:
        connection.execute(
            update(_TABLE)
            .where(_TABLE.c.id == message.id, _TABLE.c.sent_at.is_(None))
            .values(claimed_until=None, due_at=due, last_error=error)
        )
    return due


def make_due(db: Engine, now: datetime | None = None) -> int:
    """Bring every message waiting for its next attempt forward to now (the operator fixed the mail server)."""
    now = now or utcnow()
    with autocommit(db) as connection:
        result = connection.execute(
            update(_TABLE).where(_TABLE.c.sent_at.is_(None), _TABLE.c.due_at > now).values(due_at=now)
        )
    return int(result.rowcount)


def pending(db: Engine) -> int:
    """How many messages are not sent yet."""
    with autocommit(db) as connection:
        query = select(func.count()).select_from(_TABLE).where(_TABLE.c.sent_at.is_(None))
        count = connection.execute(query).scalar_one()
    return int(count)
