"""Check the answers, submit, and the récépissé. Submission validates everything again on the server — every page,
every pièce — whatever the steps said before: the last word is the server's, on the whole dossier."""

from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from engine.db import on_rollback
from engine.errors import ConflictError
from engine.mail import recipient
from engine.outbox import queued
from engine.services import submit
from engine.web.context import local
from engine.web.dossier import Owned, Redirect, owned
from engine.web.public import page as render_page, today
from engine.web.security import csrf_token, verified_form
from engine.web.steps import next_url
from engine.web.uploads import missing
from forms.evaluation import Situation
from forms.validation import ValidationResult, validate
from renderers.steps import PIECES
from renderers.views import build_receipt, build_summary


def _summary(request: Request, own: Owned, situation: Situation, declaration_error: str | None = None) -> Response:
    def change_url(page_id: str, anchor: str) -> str:
        if page_id == PIECES:
            return str(request.url_for("pieces", dossier_id=own.dossier.id)) + f"#{anchor}"
        step = request.url_for("step", dossier_id=own.dossier.id, page_id=page_id)
        return f"{step}?retour=recapitulatif#{anchor}"

    view = build_summary(own.entry.dispositif, situation, own.answers, change_url=change_url, files=own.files(request))
    back = "pieces" if situation.pieces else "step"
    params = {"page_id": situation.pages[-1]} if back == "step" else {}
    context = {
        "titre_dispositif": own.entry.dispositif.dispositif.titre,
        "summary": view,
        "action_url": str(request.url_for("submit", dossier_id=own.dossier.id)),
        "back_url": str(request.url_for(back, dossier_id=own.dossier.id, **params)),
        "csrf_token": csrf_token(request),
        "errors": [(declaration_error, "#declaration")] if declaration_error else [],
        "declaration_error": declaration_error,
    }
    return render_page(request, "summary.html", context, 422 if declaration_error else 200)


def _incomplete(request: Request, own: Owned, result: ValidationResult) -> str | None:
    """Where to send a dossier that cannot be submitted yet (its answers validated in ``result``): the stop, the first
    step with an error, the pièces."""
    situation = result.situation
    if situation.stop is not None:
        return next_url(request, own, situation, None)
    if result.errors:
        for page in own.entry.dispositif.pages:
            keys = {field.id for field in page.champs}
            if page.id in situation.pages and any(key.split(".")[0] in keys for key in result.errors):
                return str(request.url_for("step", dossier_id=own.dossier.id, page_id=page.id)) + "?verifier=1"
    if missing(own, situation):
        return str(request.url_for("pieces", dossier_id=own.dossier.id)) + "?verifier=1"
    return None


async def show_summary(request: Request) -> Response:
    """« Vérifiez vos réponses »: every answer with a « Modifier » link, then the declaration and the button."""
    with owned(request, draft=True) as own:
        situation = own.situation()
        if situation.stop is not None:
            raise Redirect(next_url(request, own, situation, None))
        return _summary(request, own, situation)


async def send(request: Request) -> Response:
    """Submit: one dossier whatever the number of clicks, its receipt queued in the same transaction and sent once
    the response has left (engine.outbox, engine.postman)."""
    form = await verified_form(request)
    # Locked: of two clicks sent together, the second waits for the first's commit and finds the dossier sent.
    with owned(request, lock=True) as own:
        if not own.dossier.is_draft:  # a second click, or a retried request: the dossier exists already
            raise Redirect(str(request.url_for("receipt", dossier_id=own.dossier.id)))
        declaration = own.entry.dispositif.recapitulatif.declaration
        if declaration and form.get("declaration") != "oui":
            unchecked = "Cochez la déclaration sur l'honneur pour envoyer votre demande"
            return _summary(request, own, own.situation(), unchecked)
        # Once, on the whole dossier: every page, every pièce, whatever the steps said before.
        incomplete = _incomplete(request, own, validate(own.entry.rules, own.answers, today=today(request)))
        if incomplete is not None:
            return RedirectResponse(incomplete, status_code=303)
        link = str(request.url_for("receipt", dossier_id=own.dossier.id))
        lost: list[bool] = []
        # On SQLite the lock above is a plain read: of two racing requests, submit() rolls the loser's attempt back
        # (its receipt included) and returns the winner's dossier, whose request sends the receipt.
        on_rollback(own.session, lambda: lost.append(True))
        try:
            submit(own.session, own.dossier, own.entry, today=today(request), actor="usager", locked=True, lien=link)
        except ConflictError:
            raise HTTPException(
                409, "Ce dossier a changé pendant l'envoi : vérifiez-le et envoyez-le à nouveau."
            ) from None
        if lost:
            raise Redirect(link)
        wake = queued(own.session) and own.app.settings.delivers_mail
    # After the commit (the with block): the receipt is sent once the response has left, off the event loop
    # (MAIL_DELIVERY=separate: by ``guichet courriels --suivre``, in another process).
    return RedirectResponse(link, status_code=303, background=BackgroundTask(own.app.postman.wake) if wake else None)


async def receipt(request: Request) -> Response:
    """The récépissé: number, date, answers and pièces; printable."""
    with owned(request, draft=False) as own:
        dossier, meta = own.dossier, own.entry.dispositif.dispositif
        assert dossier.numero is not None and dossier.submitted_at is not None
        view = build_receipt(
            own.entry.dispositif,
            own.situation(),
            own.answers,
            numero=dossier.numero,
            submitted_at=local(dossier.submitted_at),
            dispositif=meta.titre,
            files=own.files(request),
            email=recipient(own.entry, dossier),
            delai=meta.fiche.delai,
            service=meta.service,
        )
        return render_page(request, "receipt.html", {"receipt": view})
