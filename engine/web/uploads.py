"""« Vos justificatifs »: upload each pièce asked (checked by content and size), remove one, download one's own.

A file is stored as soon as it is sent and accepted, even when another pièce of the page is still missing: nothing
the usager sent is lost to an error elsewhere."""

from datetime import date

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from engine.errors import NotFound, UploadError
from engine.services import add_piece, pieces_of, remove_piece, save_page
from engine.storage import PieceFile
from engine.web.dossier import Owned, Redirect, owned
from engine.web.public import page as render_page
from engine.web.security import csrf_token, verified_form
from forms.answers import AnswerError, coerce
from forms.evaluation import PieceRequest, Situation
from forms.expressions import Context
from forms.fields import Date
from forms.validity import validity_error
from renderers.uploads import FORMATS
from renderers.views import build_pieces, parse_pieces

Errors = dict[str, list[str]]
_DOCUMENT_DATE = Date(id="date_document", type="date", libelle="Date du document")


def _render(
    request: Request,
    own: Owned,
    situation: Situation,
    pieces: list[PieceFile],
    errors: Errors,
    dates: dict[str, object],
    status: int = 200,
) -> Response:
    files = own.files(request, pieces)
    view = build_pieces(own.entry.dispositif, situation, files=files, errors=errors, dates=dates)
    context = {
        "titre_dispositif": own.entry.dispositif.dispositif.titre,
        "pieces": view,
        "action_url": str(request.url_for("pieces", dossier_id=own.dossier.id)),
        "back_url": _back(request, own, situation),
        "csrf_token": csrf_token(request),
    }
    return render_page(request, "pieces.html", context, status)


def _back(request: Request, own: Owned, situation: Situation) -> str:
    last = situation.pages[-1] if situation.pages else own.entry.dispositif.pages[0].id
    return str(request.url_for("step", dossier_id=own.dossier.id, page_id=last))


def _stored_dates(pieces: list[PieceFile]) -> dict[str, object]:
    return {p.piece_key: p.date_document for p in pieces if p.date_document}


def missing(own: Owned, situation: Situation, pieces: list[PieceFile] | None = None) -> Errors:
    """Required pièces with no file yet (``pieces``: the dossier's, if already read), as errors by pièce key.

    When the situation requires no pièce, nothing is read."""
    required = [request for request in situation.pieces if request.required]
    if not required:
        return {}
    sent = {p.piece_key for p in (pieces_of(own.session, own.dossier) if pieces is None else pieces)}
    return {
        request.key: [f"Ajoutez le document « {request.libelle} »"] for request in required if request.key not in sent
    }


async def show_pieces(request: Request) -> Response:
    """The pièces asked by the answers; with ``?verifier=1`` (from the récapitulatif) the missing ones are errors."""
    with owned(request, draft=True, read_only=True) as own:
        situation = own.situation()
        if situation.stop is not None or not situation.pieces:
            raise Redirect(str(request.url_for("stop" if situation.stop else "summary", dossier_id=own.dossier.id)))
        pieces = pieces_of(own.session, own.dossier)
        errors = missing(own, situation, pieces) if request.query_params.get("verifier") else {}
        return _render(request, own, situation, pieces, errors, _stored_dates(pieces), 422 if errors else 200)


def _document_date(request: PieceRequest, posted: dict[str, object], errors: Errors) -> date | None:
    """The document's date when the pièce asks for it; an error (and None) when it is missing or wrong."""
    validite = request.piece.validite
    if validite is None or validite.date_du_document != "demandee":
        return None
    key = f"{request.key}.date_document"
    try:
        found = coerce(_DOCUMENT_DATE, posted.get(request.key))
    except AnswerError as error:
        errors.setdefault(key, []).extend(error.messages)
        return None
    if found is None:
        errors.setdefault(key, []).append(f"Saisissez la date du document « {request.libelle} »")
    return found if isinstance(found, date) else None


async def _store(own: Owned, form: FormData, situation: Situation, posted: dict[str, object], errors: Errors) -> None:
    context = Context(values=situation.values, today=own.app.today())
    for request in situation.pieces:
        uploads = [u for u in form.getlist(request.key) if isinstance(u, UploadFile) and u.filename]
        if not uploads:
            continue
        document = _document_date(request, posted, errors)
        if document is not None and (problem := validity_error(request.piece, document, own.entry.rules, context)):
            errors.setdefault(f"{request.key}.date_document", []).append(problem)
            continue
        if f"{request.key}.date_document" in errors:
            continue
        piece = request.piece
        for upload in uploads:
            try:
                add_piece(
                    own.session,
                    own.app.files,
                    own.dossier,
                    request.key,
                    await upload.read(),
                    upload.filename or "",
                    piece.formats,
                    piece.taille_max,
                    document,
                    nombre_max=piece.nombre_max,
                )
            except UploadError as error:
                errors.setdefault(request.key, []).append(error.message)


async def send_pieces(request: Request) -> Response:
    """POST the pièces page: store what was sent, then go to the récapitulatif or say what is missing (422)."""
    limit = request.app.state.guichet.settings.max_upload_bytes
    form = await verified_form(request, max_files=50, max_part_size=limit)
    try:
        return await _send_pieces(request, form)
    finally:
        await form.close()


async def _send_pieces(request: Request, form: FormData) -> Response:
    with owned(request, draft=True) as own:
        situation = own.situation()
        pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
        posted, action = parse_pieces(situation.pieces, pairs)
        errors: Errors = {}
        await _store(own, form, situation, dict(posted), errors)
        if action == "enregistrer" and not errors:
            save_page(own.session, own.dossier, own.answers, "pieces")
            return RedirectResponse(str(request.url_for("my_dossiers")), status_code=303)
        pieces = pieces_of(own.session, own.dossier)  # read once, after this request's uploads
        for key, messages in missing(own, situation, pieces).items():
            errors.setdefault(key, messages)
        if errors:
            return _render(request, own, situation, pieces, errors, {**_stored_dates(pieces), **posted}, 422)
        save_page(own.session, own.dossier, own.answers, "recapitulatif")
        return RedirectResponse(str(request.url_for("summary", dossier_id=own.dossier.id)), status_code=303)


async def delete_file(request: Request) -> Response:
    """Remove one sent file, then back to where it was sent from."""
    await verified_form(request)
    with owned(request, draft=True) as own:
        file_id = request.path_params["file_id"]
        kept = {p.id: p.piece_key for p in pieces_of(own.session, own.dossier)}
        if file_id not in kept:
            raise HTTPException(404)
        remove_piece(own.session, own.app.files, own.dossier, file_id)
        key = kept[file_id]
        page = own.entry.dispositif.page_of.get(key)
        if page is not None:
            target = request.url_for("step", dossier_id=own.dossier.id, page_id=own.entry.dispositif.pages[page].id)
        else:
            target = request.url_for("pieces", dossier_id=own.dossier.id)
        return RedirectResponse(str(target), status_code=303)


async def download(request: Request) -> Response:
    """A sent file, for its owner only, as an attachment (never rendered in the site's origin)."""
    with owned(request) as own:
        found = next((p for p in pieces_of(own.session, own.dossier) if p.id == request.path_params["file_id"]), None)
        if found is None:
            raise HTTPException(404)
        try:
            data = own.app.files.get(found.storage_key)
        except NotFound:
            raise HTTPException(404) from None
    _, media_type = FORMATS.get(found.format, ("", "application/octet-stream"))
    ascii_name = found.filename.encode("ascii", "replace").decode().replace('"', "")
    headers = {
        "content-disposition": f'attachment; filename="{ascii_name}"',
        "cache-control": "private, no-store",
    }
    return Response(data, media_type=media_type, headers=headers)
