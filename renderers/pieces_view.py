"""The « Vos justificatifs » page: one upload per pièce the rules ask for now (per item for ``pour_chaque``).

Each upload says its constraints before the usager picks a file (DSFR), lists the files already sent with their
« Supprimer » button, and asks the document's date when the pièce's validité needs it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from forms.definition import Form
from forms.evaluation import PieceRequest, Situation
from forms.fields import Date
from forms.scalars import format_duree
from renderers.fields_view import FieldView
from renderers.naming import DOCUMENT_DATE, html_id, input_name
from renderers.steps import PIECES, StepView, stepper
from renderers.uploads import UploadedFile, accept, upload_hint
from renderers.widgets import FieldContext, question_view


@dataclass(frozen=True)
class PieceView:
    """One pièce to upload."""

    key: str
    id: str
    name: str
    libelle: str
    aide: str | None
    hint: str
    optional: bool
    accept: str
    multiple: bool
    files: tuple[UploadedFile, ...]
    can_add: bool
    errors: tuple[str, ...]
    date: FieldView | None
    """« Date du document », when the validité is checked on a date the usager gives."""
    modele_url: str | None = None

    @property
    def hint_id(self) -> str:
        """Id of the constraints text."""
        return f"{self.id}-aide"

    @property
    def error_id(self) -> str | None:
        """Id of the error paragraph, if any."""
        return f"{self.id}-erreur" if self.errors else None

    @property
    def anchor(self) -> str:
        """Where the error summary links: the file input, or the pièce's title once no more file can be added."""
        return self.id if self.can_add else f"{self.id}-titre"

    @property
    def describedby(self) -> str:
        """The file input's ``aria-describedby``."""
        return " ".join(item for item in (self.hint_id, self.error_id) if item)


@dataclass(frozen=True)
class PiecesView:
    """The whole page."""

    title: str
    stepper: StepView
    pieces: tuple[PieceView, ...]
    errors: tuple[tuple[str, str], ...]


def _validity_text(request: PieceRequest) -> str:
    validite = request.piece.validite
    if validite is not None and validite.expiration:
        return "La date jusqu'à laquelle le document est valable, par exemple : 31 12 2030"
    if validite is not None and validite.moins_de is not None:
        return f"Par exemple : 27 3 2007. Le document doit dater de moins de {format_duree(validite.moins_de)}."
    return "Par exemple : 27 3 2007"


def _piece_view(
    ctx: FieldContext, request: PieceRequest, files: Sequence[UploadedFile], date_value: object, modele: str | None
) -> PieceView:
    piece, key = request.piece, request.key
    date_view = None
    if piece.validite is not None and piece.validite.date_du_document == "demandee":
        expiry = bool(request.piece.validite and request.piece.validite.expiration)
        label = "Date de fin de validité" if expiry else "Date du document"
        asked = Date(id=DOCUMENT_DATE, type="date", libelle=label, aide=_validity_text(request))
        date_view = question_view(
            ctx, asked, f"{key}.{DOCUMENT_DATE}", date_value, item=None, optional=not request.required, heading=False
        )
    return PieceView(
        key=key,
        id=html_id(key),
        name=input_name(key),
        libelle=request.libelle,
        aide=piece.aide,
        hint=upload_hint(piece.formats, piece.taille_max, piece.nombre_max),
        optional=not request.required,
        accept=accept(piece.formats),
        multiple=piece.nombre_max - len(files) > 1,
        files=tuple(files),
        can_add=len(files) < piece.nombre_max,
        errors=tuple(ctx.errors.get(key, ())),
        date=date_view,
        modele_url=modele,
    )


def build_pieces(
    form: Form,
    situation: Situation,
    *,
    files: Mapping[str, Sequence[UploadedFile]] | None = None,
    errors: Mapping[str, Sequence[str]] | None = None,
    dates: Mapping[str, object] | None = None,
    modeles: Mapping[str, str] | None = None,
) -> PiecesView:
    """The pièces ``situation`` asks for, with ``files`` already sent and ``errors`` by pièce key (the date's
    errors under ``<key>.date_document``); ``dates``: the documents' dates (canonical or as posted) by pièce key;
    ``modeles``: download URLs of the forms to fill, by pièce id."""
    errors = errors or {}
    ctx = FieldContext(form, situation, errors, frozenset(), {}, frozenset(), None, walked=False)
    views = tuple(
        _piece_view(
            ctx,
            request,
            (files or {}).get(request.key, ()),
            (dates or {}).get(request.key),
            (modeles or {}).get(request.piece.id),
        )
        for request in situation.pieces
    )
    summary: list[tuple[str, str]] = []
    for view in views:
        summary += [(message, f"#{view.anchor}") for message in view.errors]
        if view.date is not None:
            summary += [(message, f"#{view.date.anchor}") for message in view.date.errors]
    return PiecesView("Vos justificatifs", stepper(form, situation, PIECES), views, tuple(summary))
