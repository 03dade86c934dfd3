"""Dossier numbers (``PS-2026-000123``): one per submission, never two alike, even under concurrent submissions.

A counter row per numbering series and year is created if missing, then incremented with ``UPDATE … RETURNING``
in the caller's transaction: PostgreSQL holds the row lock until commit, SQLite lets one writer at a time, so two
transactions can never read the same value, and a rolled-back submission gives its number back.

The series is the numbering pattern itself, not the dispositif: the default pattern ``PS-{annee}-{sequence:06}`` is
shared by every dispositif that does not declare its own, and counting per dispositif would hand two of them the
same number. A pattern without ``{annee}`` never restarts (its counter sits under year 0)."""

from sqlmodel import Session, col, update

from engine.db import insert_if_absent
from engine.storage import Counter

__all__ = ["next_numero"]


def next_numero(session: Session, numerotation: str, year: int) -> str:
    """The next number of this pattern's series for ``year``, taken in the current transaction."""
    annee = year if "{annee}" in numerotation else 0
    insert_if_absent(session, Counter, ("serie", "annee"), serie=numerotation, annee=annee, valeur=0)
    valeur = session.exec(
        update(Counter)
        .where(col(Counter.serie) == numerotation, col(Counter.annee) == annee)
        .values(valeur=col(Counter.valeur) + 1)
        .returning(col(Counter.valeur))
    ).scalar_one()
    return numerotation.format(annee=year, sequence=valeur)
