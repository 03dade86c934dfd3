"""The owner's dossier read for a page that only reads (a step, the pièces), on the database driver's own cursor.

Showing a step reads one row by its key. Through SQLAlchemy that read cost more than everything else a step page
does besides drawing it — a Connection, an execution context, a result and its row objects — against a fifth of
that on the driver's cursor. So the statement is compiled once per dialect, run on a pooled connection's cursor,
and its values converted by the columns' own types exactly as SQLAlchemy would (the JSON answers, the instants
read back in UTC). tests/app/test_dossier_read.py compares it with the ORM's read on SQLite and PostgreSQL."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.engine import Dialect

from engine.errors import NotFound
from engine.storage import ID_PATTERN, Dossier

__all__ = ["read_owned"]

_TABLE: Any = Dossier.__table__  # type: ignore[attr-defined]  # SQLModel declares it on table models only
_OWNED_ROW = select(_TABLE).where(_TABLE.c.id == bindparam("dossier_id"), _TABLE.c.owner == bindparam("owner"))


@dataclass(frozen=True)
class _Plan:
    """The statement as one dialect's driver takes it, and how to read its row."""

    sql: str
    parameters: Callable[[Mapping[str, str]], Any]
    columns: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    autocommit: bool
    """Put the connection in autocommit for the read, so it pays no BEGIN and ROLLBACK round trips (a server
    database; SQLite's driver opens no transaction for a read)."""


_PLANS: dict[Dialect, _Plan] = {}


def _plan(dialect: Dialect) -> _Plan:
    found = _PLANS.get(dialect)
    if found is None:
        compiled = _OWNED_ROW.compile(dialect=dialect)
        order = compiled.positiontup
        parameters: Callable[[Mapping[str, str]], Any] = (
            (lambda values: tuple(values[name] for name in order)) if order else dict
        )
        columns = tuple(
            (column.name, column.type.dialect_impl(dialect).result_processor(dialect, None))
            for column in _OWNED_ROW.selected_columns
        )
        found = _PLANS[dialect] = _Plan(str(compiled), parameters, columns, dialect.name != "sqlite")
    return found


def read_owned(db: Engine, dossier_id: str, owner: str) -> Dossier:
    """The usager's dossier, detached (changing it changes nothing in the database); NotFound when it does not
    exist or is someone else's, the two not told apart. Each read sees the latest commit."""
    if not ID_PATTERN.fullmatch(dossier_id):
        raise NotFound(f"dossier {dossier_id!r} not found for this usager")
    plan = _plan(db.dialect)
    connection = db.raw_connection()
    try:
        driver = connection.dbapi_connection
        assert driver is not None  # a connection just checked out of the pool is open
        if plan.autocommit:
            db.dialect.set_isolation_level(driver, "AUTOCOMMIT")
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(plan.sql, plan.parameters({"dossier_id": dossier_id, "owner": owner}))
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            if plan.autocommit:
                db.dialect.reset_isolation_level(driver)
    finally:
        connection.close()  # back to the pool
    if row is None:
        raise NotFound(f"dossier {dossier_id!r} not found for this usager")
    return Dossier.model_construct(
        **{
            name: value if convert is None else convert(value)
            for (name, convert), value in zip(plan.columns, row, strict=True)
        }
    )
