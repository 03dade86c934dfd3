"""Open the database, bring its schema up to date, and run each use case in one transaction (DESIGN 5).

SQLite is the embedded default (no set-up: the app migrates it at start); PostgreSQL, through psycopg 3, is the
production database, migrated by ``guichet db upgrade`` before the new version starts."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

__all__ = [
    "MIGRATIONS", "create_db_engine", "insert_if_absent", "migrate", "normalise_url", "on_commit", "on_rollback",
    "session_scope",
]  # fmt: skip

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_BUSY_TIMEOUT_MS = 5000
"""How long a SQLite writer waits for another one to commit before giving up (requests are short)."""


def normalise_url(url: str) -> str:
    """The SQLAlchemy URL for psycopg 3: hosting providers hand out ``postgres://`` and ``postgresql://``."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def create_db_engine(url: str, **options: Any) -> Engine:
    """An engine for this URL; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **options)
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


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed when the block ends, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def insert_if_absent(session: Session, table: type[SQLModel], keys: Sequence[str], **values: object) -> None:
    """Insert a row unless one with the same ``keys`` exists, without failing the transaction when it does."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.exec(insert(table).values(**values).on_conflict_do_nothing(index_elements=list(keys)))


_ON_COMMIT = "guichet.on_commit"
_ON_ROLLBACK = "guichet.on_rollback"


def on_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the current transaction commits (deleting a file only when its row is gone for good)."""
    _watch(session)
    session.info.setdefault(_ON_COMMIT, []).append(action)


def on_rollback(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` if the current transaction rolls back (removing a file stored for a row that never was)."""
    _watch(session)
    session.info.setdefault(_ON_ROLLBACK, []).append(action)


def _watch(session: Session) -> None:
    if session.info.get("guichet.watched"):
        return
    session.info["guichet.watched"] = True

    def _committed(_session: Any) -> None:
        session.info.pop(_ON_ROLLBACK, None)
        for action in session.info.pop(_ON_COMMIT, []):
            action()

    def _rolled_back(_session: Any) -> None:
        session.info.pop(_ON_COMMIT, None)
        for action in session.info.pop(_ON_ROLLBACK, []):
            action()

    event.listen(session, "after_commit", _committed)
    event.listen(session, "after_rollback", _rolled_back)
