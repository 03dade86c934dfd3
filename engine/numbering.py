"""Dossier numbers (``PS-2026-000123``): one per submission, never two alike, even under concurrent submissions.

The counter row of a numbering series and year is created or incremented by one statement in the caller's
transaction, ``INSERT … ON CONFLICT (serie, annee) DO UPDATE SET valeur = valeur + 1 RETURNING valeur`` (PostgreSQL,
and SQLite from 3.35). PostgreSQL holds the row lock until commit (a concurrent first INSERT waits on the key, then
increments the row the other one made), SQLite lets one writer at a time: two transactions can never read the same
value, and a rolled-back submission gives its number back.

The series is the numbering pattern itself, not the dispositif: the default pattern ``PS-{annee}-{sequence:06}`` is
shared by every dispositif that does not declare its own, and counting per dispositif would hand two of them the
same number. A pattern without ``{annee}`` never restarts (its counter sits under year 0)."""

from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from engine.storage import Counter

__all__ = ["next_numero"]

_COUNTER = Counter.__table__  # type: ignore[attr-defined]  # SQLModel declares it on table models only


def _next_value(insert: Any) -> Any:
    return (
        insert(_COUNTER)
        .values(serie=bindparam("serie"), annee=bindparam("annee"), valeur=1)
        .on_conflict_do_update(index_elements=["serie", "annee"], set_={"valeur": _COUNTER.c.valeur + 1})
        .returning(_COUNTER.c.valeur)
    )


# Built once per dialect (the two spell ON CONFLICT with their own constructs), run with bound parameters.
_NEXT_VALUE = {"postgresql": _next_value(postgresql.insert), "sqlite": _next_value(sqlite.insert)}


def next_numero(session: Session, numerotation: str, year: int) -> str:
    """The next number of this pattern's series for ``year``, taken in the current transaction."""
    annee = year if "{annee}" in numerotation else 0
    connection = session.connection()
    statement = _NEXT_VALUE[connection.dialect.name]
    valeur = connection.execute(statement, {"serie": numerotation, "annee": annee}).scalar_one()
    return numerotation.format(annee=year, sequence=valeur)
