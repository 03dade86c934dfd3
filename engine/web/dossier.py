"""Loading the usager's own dossier for a request, with the dispositif version it was started under.

Every dossier URL goes through ``owned``: another usager's dossier answers 404, exactly like one that does not
exist, so ids cannot be probed."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cached_property

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request

from engine.answers_json import from_json
from engine.catalogue import Entry
from engine.db import session_scope
from engine.dossier_read import read_owned
from engine.errors import NotFound
from engine.services import get_owned, pieces_of, reading
from engine.storage import Dossier, PieceFile
from engine.web.context import Guichet, guichet, local
from engine.web.security import usager_key
from forms.evaluation import Situation, evaluate
from renderers.views import UploadedFile


class Redirect(Exception):
    """Send the browser elsewhere (303): the page asked for does not apply to this dossier any more."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@dataclass
class Owned:
    """A dossier of the requesting usager, its dispositif version and its canonical answers."""

    app: Guichet
    dossier: Dossier
    entry: Entry
    answers: dict[str, object]
    opener: Callable[[], Session]
    """The request's session (a page that only reads opens one the first time it asks, if ever)."""

    @cached_property
    def session(self) -> Session:
        """The session of this request's work on the dossier."""
        return self.opener()

    def situation(self, answers: dict[str, object] | None = None) -> Situation:
        """Where these answers (by default the stored ones) stand, on the submission date once submitted."""
        submitted = local(self.dossier.submitted_at) if self.dossier.submitted_at else None
        return evaluate(
            self.entry.rules,
            self.answers if answers is None else answers,
            today=submitted.date() if submitted else self.app.today(),
            reference_date=submitted.date() if submitted else None,
            dossier={"numero": self.dossier.numero, "etat": self.dossier.etat, "canal": self.dossier.canal},
        )

    def files(self, request: Request, pieces: list[PieceFile] | None = None) -> dict[str, list[UploadedFile]]:
        """The files sent (``pieces``, already read, or else read now), by pièce or field key, with their owner-only
        links."""
        found: dict[str, list[UploadedFile]] = {}
        for piece in pieces_of(self.session, self.dossier) if pieces is None else pieces:
            found.setdefault(piece.piece_key, []).append(uploaded(request, self.dossier, piece))
        return found


def uploaded(request: Request, dossier: Dossier, piece: PieceFile) -> UploadedFile:
    """One sent file as the pages show it."""
    url = str(request.url_for("download", dossier_id=dossier.id, file_id=piece.id))
    delete_url = str(request.url_for("delete_file", dossier_id=dossier.id, file_id=piece.id))
    return UploadedFile(piece.filename, piece.size, url, delete_url)


@contextmanager
def owned(
    request: Request, *, draft: bool | None = None, lock: bool = False, read_only: bool = False
) -> Iterator[Owned]:
    """The dossier named in the URL if it belongs to this usager (404 otherwise), in one transaction.

    ``draft``: True for pages of a brouillon (a submitted dossier goes to its récépissé), False for the récépissé.
    ``lock``: read the row ``FOR UPDATE`` (PostgreSQL; SQLite ignores it), so a concurrent request on the same
    dossier waits for this transaction's end and then reads what it wrote. ``read_only``: a page that writes
    nothing (engine.services.reading): no transaction, a detached dossier. Either way, one query."""
    app = guichet(request)
    dossier_id, owner = request.path_params["dossier_id"], usager_key(request)
    with ExitStack() as stack:
        try:
            if read_only:
                dossier = read_owned(app.db, dossier_id, owner)

                def opener() -> Session:  # only a page listing files reads more
                    return stack.enter_context(Session(bind=stack.enter_context(reading(app.db))))

            else:
                session = stack.enter_context(session_scope(app.db))
                dossier = get_owned(session, dossier_id, owner, lock=lock)

                def opener() -> Session:
                    return session

            entry = app.entry(dossier.dispositif, dossier.version)
        except NotFound:
            raise HTTPException(404) from None
        if draft is True and not dossier.is_draft:
            raise Redirect(str(request.url_for("receipt", dossier_id=dossier.id)))
        if draft is False and dossier.is_draft:
            raise Redirect(str(request.url_for("summary", dossier_id=dossier.id)))
        yield Owned(app, dossier, entry, from_json(dossier.answers, entry.dispositif), opener)
