"""Open the database, bring its schema up to date, and run each use case in one transaction (DESIGN 5).

SQLite is the embedded default (no set-up: the app migrates it at start); PostgreSQL, through psycopg 3, is the
production database, migrated by ``guichet db upgrade`` before the new version starts."""

import select
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, SQLModel

__all__ = [
    "MAX_OVERFLOW", "MIGRATIONS", "POOL_SIZE", "autocommit", "create_db_engine", "insert_if_absent", "migrate",
    "normalise_url", "on_commit", "on_rollback", "session_scope",
]  # fmt: skip

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_BUSY_TIMEOUT_MS = 5000
"""How long a SQLite writer waits for another one to commit before giving up (requests are short)."""

POOL_SIZE = 10
"""Connections an engine keeps open (``DATABASE_POOL_SIZE``)."""
MAX_OVERFLOW = 20
"""Connections an engine may open beyond ``POOL_SIZE`` when all are taken (``DATABASE_MAX_OVERFLOW``).

SQLAlchemy's defaults (5 + 10) are too few for one web worker: a request whose connection is taken waits for one
with the event loop blocked, so nothing can give one back, and after ``pool_timeout`` (30 s) it fails. Most requests
hold one connection between two awaits and give it back before the next request runs, but an upload read from a
spooled file keeps its connection across awaits: 20 usagers sending pièces at once, plus the postman's thread and a
dispositif version loaded from the database, must all find one."""


def normalise_url(url: str) -> str:
    """The SQLAlchemy URL for psycopg 3: hosting providers hand out ``postgres://`` and ``postgresql://``."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def create_db_engine(
    url: str, *, pool_size: int = POOL_SIZE, max_overflow: int = MAX_OVERFLOW, **options: Any
) -> Engine:
    """An engine for this URL, keeping ``pool_size`` connections and opening up to ``max_overflow`` more; SQLite gets
    WAL, foreign keys and a busy timeout on every connection, a server database a check that each connection taken
    from the pool is still open."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database not in (None, "", ":memory:"):
        # An in-memory SQLite database is one connection per thread (SingletonThreadPool): nothing to size.
        options = {"pool_size": pool_size, "max_overflow": max_overflow, **options}
    if parsed.get_backend_name() != "sqlite":
        # Not pool_pre_ping: its round trip on every checkout (~40 µs idle, 100-150 µs under load, with the event
        # loop blocked) was a tenth of a submission. Without any check, the first request after a database restart
        # fails (SQLAlchemy then drops the whole pool). A restarting server tells its clients and closes their
        # connections, so a pooled connection whose socket has something to read is dead: asking the kernel costs
        # a microsecond. A connection lost without a word (a cut network) still fails one request, as without
        # pre-ping; the pool is then renewed.
        engine = create_engine(url, **options)
        event.listen(engine, "checkout", _drop_if_closed_by_server)
        return engine
    engine = create_engine(url, connect_args={"check_same_thread": False}, **options)

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        try:
            # WAL lets pages be read while a dossier is being written; SQLite leaves foreign keys off by default.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    return engine


def _drop_if_closed_by_server(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Refuse a pooled connection the server has spoken on while it sat idle (the pool then opens a new one)."""
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:  # a driver that does not show its socket (psycopg does): nothing to ask the kernel
        return
    try:
        descriptor = fileno()
    except Exception as error:  # psycopg: closed on our side already
        raise DisconnectionError(str(error)) from error
    if _readable(descriptor):
        raise DisconnectionError("the server closed this connection while it was in the pool")


def _readable(descriptor: int) -> bool:
    """Whether data (or the end of the stream) waits on this socket, without waiting."""
    if hasattr(select, "poll"):  # not limited to descriptors below FD_SETSIZE, unlike select()
        poller = select.poll()
        poller.register(descriptor, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([descriptor], [], [], 0)
    return bool(readable)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(target: Engine | str) -> None:
    """Upgrade the schema to the latest migration (alembic ``upgrade head``)."""
    engine = target if isinstance(target, Engine) else create_db_engine(target)
    try:
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if engine is not target:
            engine.dispose()


class _ScopedSession(Session):
    """The sessions session_scope opens: their listeners for on_commit/on_rollback are registered once, on the class
    (registering them on each session costs more than the rest of a short request's session handling)."""


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed when the block ends, rolled back if it raises."""
    with _ScopedSession(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def autocommit(engine: Engine) -> Connection:
    """A connection on which each statement is its own transaction, for work done one statement at a time (the
    outbox's claims and records): no BEGIN and COMMIT round trips around it. Back in the pool, the connection gets
    its usual isolation again."""
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def insert_if_absent(session: Session, table: type[SQLModel], keys: Sequence[str], **values: object) -> None:
    """Insert a row unless one with the same ``keys`` exists, without failing the transaction when it does."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.exec(insert(table).values(**values).on_conflict_do_nothing(index_elements=list(keys)))


_ON_COMMIT = "guichet.on_commit"
_ON_ROLLBACK = "guichet.on_rollback"
_WATCHED = "guichet.watched"


def on_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the current transaction commits (deleting a file only when its row is gone for good)."""
    _watch(session)
    session.info.setdefault(_ON_COMMIT, []).append(action)


def on_rollback(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` if the current transaction rolls back (removing a file stored for a row that never was)."""
    _watch(session)
    session.info.setdefault(_ON_ROLLBACK, []).append(action)


def _committed(session: Session) -> None:
    session.info.pop(_ON_ROLLBACK, None)
    for action in session.info.pop(_ON_COMMIT, []):
        action()


def _rolled_back(session: Session) -> None:
    session.info.pop(_ON_COMMIT, None)
    for action in session.info.pop(_ON_ROLLBACK, []):
        action()


event.listen(_ScopedSession, "after_commit", _committed)
event.listen(_ScopedSession, "after_rollback", _rolled_back)


def _watch(session: Session) -> None:
    """Listen to a session opened elsewhere than session_scope, once."""
    if isinstance(session, _ScopedSession) or session.info.get(_WATCHED):
        return
    session.info[_WATCHED] = True
    event.listen(session, "after_commit", _committed)
    event.listen(session, "after_rollback", _rolled_back)
