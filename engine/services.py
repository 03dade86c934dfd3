"""The usager's use cases on a dossier: start a draft, save each step, attach pièces, find it again, submit it.

Each function is one use case inside the caller's transaction (engine.db.session_scope, DESIGN 5): it flushes, so a
conflict surfaces here as an EngineError, and the caller's commit makes it durable. Nothing here knows HTTP.

A double click or a retried request must not make two dossiers nor burn two numbers, so ``submit`` is idempotent:
the dossier row is locked (``SELECT … FOR UPDATE`` on PostgreSQL, by ``get_owned(lock=True)`` or else by ``submit``
itself) before the counter's, so a second request waits for the first one's commit and finds the dossier submitted.
SQLite ignores FOR UPDATE; there the revision does the same job: of two racing submissions the second one's UPDATE
matches no row, its transaction is rolled back (number included) and it returns what the first one wrote."""

import hashlib
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, bindparam
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from engine.answers_json import to_json
from engine.catalogue import Entry
from engine.db import autocommit, insert_if_absent, on_commit, on_rollback
from engine.depot import Depot, record_depot
from engine.errors import ConflictError, NotFound, SubmittedError, UploadError
from engine.files import FileStore, check_upload
from engine.mail import recipient
from engine.numbering import next_numero
from engine.storage import ID_PATTERN, DispositifVersion, Dossier, DossierEvent, PieceFile, new_id, utcnow

__all__ = [
    "CREATION", "add_piece", "dossiers_of", "drafts_of", "get_owned", "history_of", "load_versions", "pieces_of",
    "reading", "record_version", "remove_piece", "save_page", "start_draft", "submit",
]  # fmt: skip

CREATION = "creation"
"""The action of the first history event of every dossier."""

_DOSSIER: Any = Dossier.__table__  # type: ignore[attr-defined]  # SQLModel declares it on table models only

# Built once with bound parameters: building a statement, its cache key included, costs more than running it on
# SQLite.
_OWNED = select(Dossier).where(col(Dossier.id) == bindparam("dossier_id"), col(Dossier.owner) == bindparam("owner"))
_OWNED_LOCKED = _OWNED.with_for_update().execution_options(populate_existing=True)  # read afresh, even if cached
_OWNED_ROW = select(_DOSSIER).where(_DOSSIER.c.id == bindparam("dossier_id"), _DOSSIER.c.owner == bindparam("owner"))
_LOCK_REVISION = select(_DOSSIER.c.revision).where(_DOSSIER.c.id == bindparam("dossier_id")).with_for_update()


def start_draft(session: Session, entry: Entry, owner: str, *, prefill: Mapping[str, object]) -> Dossier:
    """A new brouillon of this dispositif version, on its first page, answers pre-filled."""
    workflow = entry.dispositif.instruction
    initial = workflow.initial
    if initial is None:  # a definition without one does not load (W001)
        raise ValueError(f"{entry.slug}: the workflow has no initial état")
    record_version(session, entry)
    now = utcnow()
    dossier = Dossier(
        dispositif=entry.slug,
        version=entry.version,
        etat=initial,
        owner=owner,
        answers=to_json(prefill),
        page=entry.dispositif.pages[0].id,
        created_at=now,
        updated_at=now,
    )
    session.add(dossier)
    session.flush()
    session.add(DossierEvent(dossier_id=dossier.id, at=now, actor=owner, action=CREATION, to_state=initial))
    session.flush()
    return dossier


def save_page(
    session: Session,
    dossier: Dossier,
    answers: Mapping[str, object],
    page: str | None,
    *,
    expected_revision: int | None = None,
) -> Dossier:
    """Replace the draft's answers and current step; ConflictError if it changed since ``expected_revision``."""
    if not dossier.is_draft:
        raise SubmittedError(f"dossier {dossier.id} is already submitted")
    if expected_revision is not None and expected_revision != dossier.revision:
        raise ConflictError(f"dossier {dossier.id}: revision {dossier.revision}, expected {expected_revision}")
    # A new dict, never the old one changed in place: SQLAlchemy would not see an in-place change.
    dossier.answers = to_json(answers)
    dossier.page = page
    dossier.updated_at = utcnow()
    dossier_id = dossier.id  # read now: a failed flush expires the instance's attributes
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(f"dossier {dossier_id} was changed by another request") from None
    return dossier


def submit(
    session: Session,
    dossier: Dossier,
    entry: Entry,
    *,
    today: date,
    actor: str,
    locked: bool = False,
    lien: str | None = None,
) -> Dossier:
    """The dossier submitted under the dispositif's depot transition, with its number, its history event and its
    receipt queued (engine.outbox), all in the caller's transaction; the caller validated it.

    ``locked``: the caller read ``dossier`` with ``get_owned(lock=True)`` in this transaction, so it is current and
    nobody else can change it; otherwise the row is locked and checked here first. Either way the dossier row is
    locked before the counter row, always in that order, so two submissions never wait on each other in a cycle.
    ``lien``: the dossier's page as the web layer routes it, for the receipt."""
    if dossier.dispositif != entry.slug or dossier.version != entry.version:
        raise ValueError(
            f"dossier {dossier.id} is on {dossier.dispositif}@{dossier.version}, not {entry.slug}@{entry.version}"
        )
    transition = entry.dispositif.instruction.depot()
    if transition is None:  # a definition without one does not load (W004)
        raise ValueError(f"{entry.slug}: the workflow has no depot transition")
    if not dossier.is_draft:
        return dossier
    dossier_id, validated = dossier.id, dossier.revision
    if not locked:
        current = session.connection().execute(_LOCK_REVISION, {"dossier_id": dossier_id}).scalar_one()
        if current != validated:  # submitted meanwhile, or saved by another tab
            return _already_submitted(session, dossier_id)
    if dossier.etat not in transition.de:
        message = f"dossier {dossier_id} is in état {dossier.etat!r}, which « {transition.id} » does not leave"
        raise ConflictError(message)
    numero = next_numero(session, entry.dispositif.dispositif.numerotation, today.year)
    depot = Depot(
        dossier_id=dossier_id,
        revision=validated,
        numero=numero,
        version=dossier.version,
        action=transition.id,
        from_state=dossier.etat,
        to_state=transition.vers,
        actor=actor,
        at=utcnow(),
        recipient=recipient(entry, dossier),
        link=lien,
    )
    if not record_depot(session, depot):  # SQLite: another request submitted it (or a tab saved it) since it was read
        return _already_submitted(session, dossier_id)
    changes = {
        "numero": numero,
        "etat": transition.vers,
        "submitted_at": depot.at,
        "updated_at": depot.at,
        "revision": validated + 1,
    }
    for name, value in changes.items():  # the instance as stored, with nothing left for the session to flush
        set_committed_value(dossier, name, value)
    return dossier


def _already_submitted(session: Session, dossier_id: str) -> Dossier:
    """After losing a race: drop this attempt (its number included) and return the winner's dossier; ConflictError
    if the dossier is still a draft (another tab saved answers nobody validated)."""
    session.rollback()
    current = session.get(Dossier, dossier_id, populate_existing=True)
    if current is None or current.is_draft:
        raise ConflictError(f"dossier {dossier_id} was changed by another request")
    return current


def drafts_of(session: Session, owner: str) -> list[Dossier]:
    """The usager's brouillons, most recently touched first."""
    query = select(Dossier).where(Dossier.owner == owner, col(Dossier.submitted_at).is_(None))
    return list(session.exec(query.order_by(col(Dossier.updated_at).desc())))


def dossiers_of(session: Session, owner: str) -> list[Dossier]:
    """The usager's submitted dossiers, most recent first."""
    query = select(Dossier).where(Dossier.owner == owner, col(Dossier.submitted_at).is_not(None))
    return list(session.exec(query.order_by(col(Dossier.submitted_at).desc())))


def get_owned(session: Session, dossier_id: str, owner: str, *, lock: bool = False) -> Dossier:
    """The usager's dossier, in one query; NotFound when it does not exist or is someone else's (the two are not told
    apart). ``lock``: ``SELECT … FOR UPDATE`` (PostgreSQL; SQLite ignores it), held until the transaction ends."""
    if not ID_PATTERN.fullmatch(dossier_id):
        raise NotFound(f"dossier {dossier_id!r} not found for this usager")
    # The owner is compared by the database: only someone who already holds the dossier's id (128 random bits)
    # could time that comparison, and another usager's row is never locked.
    query = _OWNED_LOCKED if lock else _OWNED
    dossier = session.exec(query, params={"dossier_id": dossier_id, "owner": owner}).first()
    if dossier is None:
        raise NotFound(f"dossier {dossier_id!r} not found for this usager")
    return dossier


@contextmanager
def reading(db: Engine) -> Iterator[Connection]:
    """A connection for a request that only reads (showing a step, the pièces): on PostgreSQL in autocommit, so its
    reads pay no BEGIN and ROLLBACK round trips; SQLite's driver opens no transaction for a read anyway. Each
    statement sees the latest commit. Nothing may be written through it (a session bound to it would commit each
    statement of a flush on its own): the use cases that write keep ``engine.db.session_scope``."""
    with db.connect() if db.dialect.name == "sqlite" else autocommit(db) as connection:
        yield connection


def add_piece(
    session: Session,
    store: FileStore,
    dossier: Dossier,
    piece_key: str,
    data: bytes,
    filename: str,
    formats: Collection[str],
    taille_max: int,
    date_document: date | None = None,
    *,
    nombre_max: int | None = None,
) -> PieceFile:
    """Check an upload by content, keep its bytes and record it under ``piece_key``; UploadError if refused."""
    found, clean = check_upload(data, filename, formats, taille_max)
    if nombre_max is not None and len(_files(session, dossier.id, piece_key)) >= nombre_max:
        most = "un seul fichier" if nombre_max == 1 else f"{nombre_max} fichiers au maximum"
        raise UploadError(f"Vous pouvez joindre {most} : supprimez-en un avant d'en ajouter un autre")
    key = new_id()
    store.put(key, data)
    # The bytes are written before the row: if the transaction fails, nothing must point to them, so drop them.
    on_rollback(session, lambda: store.delete(key))
    piece = PieceFile(
        dossier_id=dossier.id,
        piece_key=piece_key,
        filename=clean,
        format=found,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        date_document=date_document,
        created_at=utcnow(),
    )
    session.add(piece)
    session.flush()
    return piece


def remove_piece(session: Session, store: FileStore, dossier: Dossier, piece_id: str) -> None:
    """Detach a pièce from the dossier; its bytes go once the removal is committed."""
    piece = session.get(PieceFile, piece_id) if ID_PATTERN.fullmatch(piece_id) else None
    if piece is None or piece.dossier_id != dossier.id:
        raise NotFound(f"pièce {piece_id!r} not found in dossier {dossier.id}")
    key = piece.storage_key
    session.delete(piece)
    session.flush()
    on_commit(session, lambda: store.delete(key))


def pieces_of(session: Session, dossier: Dossier) -> list[PieceFile]:
    """The dossier's pièces in upload order."""
    query = select(PieceFile).where(PieceFile.dossier_id == dossier.id)
    return list(session.exec(query.order_by(col(PieceFile.created_at), col(PieceFile.id))))


def history_of(session: Session, dossier: Dossier) -> list[DossierEvent]:
    """The dossier's history, oldest first."""
    query = select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
    return list(session.exec(query.order_by(col(DossierEvent.at), col(DossierEvent.id))))


def _files(session: Session, dossier_id: str, piece_key: str) -> list[PieceFile]:
    query = select(PieceFile).where(PieceFile.dossier_id == dossier_id, PieceFile.piece_key == piece_key)
    return list(session.exec(query))


def record_version(session: Session, entry: Entry) -> None:
    """Keep this version's source, so drafts started under it can be resumed after the YAML changes (DESIGN 2)."""
    insert_if_absent(
        session,
        DispositifVersion,
        ("slug", "version"),
        slug=entry.slug,
        version=entry.version,
        source=entry.source,
        loaded_at=utcnow(),
    )


def load_versions(session: Session) -> list[tuple[str, str, str]]:
    """Every stored version as (slug, version, source), oldest first, for the catalogue to load at start-up."""
    query = select(DispositifVersion.slug, DispositifVersion.version, DispositifVersion.source)
    return [
        (slug, version, source)
        for slug, version, source in session.exec(query.order_by(col(DispositifVersion.loaded_at)))
    ]
