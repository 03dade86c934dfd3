"""One step of the form: show it, take its answers, move on — and the htmx refresh of its conditional questions.

The same POST serves every button of a step (continuer, enregistrer, ajouter/retirer an item, actualiser without
JavaScript), so the page works as plain HTML; htmx only posts the same form to ``…/champs`` on change."""

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from engine.errors import ConflictError, UploadError
from engine.services import add_piece, pieces_of, save_page
from engine.web.dossier import Owned, Redirect, owned
from engine.web.public import page as render_page, today
from engine.web.security import csrf_token, verified_form
from engine.web.urls import url_for
from forms.definition import Page
from forms.evaluation import Situation, evaluate, items
from forms.fields import BlocRepetable, Fichier
from forms.validation import read_answers, validate
from renderers.step_page import draw_step
from renderers.views import build_page, parse_page

Errors = dict[str, list[str]]


def _page(own: Owned, page_id: str) -> Page:
    found = next((p for p in own.entry.dispositif.pages if p.id == page_id), None)
    if found is None:
        raise HTTPException(404)
    return found


def _url(request: Request, own: Owned, name: str, **params: str) -> str:
    return url_for(request, name, dossier_id=own.dossier.id, **params)


def _step(request: Request, own: Owned, page_id: str) -> str:
    return _url(request, own, "step", page_id=page_id)


def next_url(request: Request, own: Owned, situation: Situation, current: str | None) -> str:
    """Where the usager goes after ``current`` (None: from the start): the stop, the next step shown, the pièces,
    or the récapitulatif."""
    if situation.stop is not None and (current is None or situation.stop_page == current):
        return _url(request, own, "stop")
    pages = list(situation.pages)
    following = pages[pages.index(current) + 1 :] if current in pages else pages
    if following:
        return _step(request, own, following[0])
    return _url(request, own, "pieces" if situation.pieces else "summary")


def _back(request: Request, own: Owned, situation: Situation, current: str) -> str:
    pages = list(situation.pages)
    index = pages.index(current) if current in pages else 0
    if index > 0:
        return _step(request, own, pages[index - 1])
    return url_for(request, "fiche", slug=own.entry.slug)


def _render(
    request: Request,
    own: Owned,
    page: Page,
    situation: Situation,
    values: dict[str, object],
    errors: Errors,
    status: int = 200,
    *,
    fragment: bool = False,
) -> Response:
    files = (  # only for a page asking files: else the query is wasted on every step
        {k: found for k, found in own.files(request).items() if k in own.entry.dispositif.fields}
        if page.asks_files
        else {}
    )
    view = build_page(own.entry.dispositif, page, situation, values, errors, files=files, rules=own.entry.rules)
    refresh_url = _url(request, own, "refresh", page_id=page.id)
    if fragment:
        return own.app.templates.TemplateResponse(
            request, "_fields.html", {"page": view, "refresh_url": refresh_url}, status_code=status
        )
    action_url = _step(request, own, page.id)
    if request.query_params.get("retour") == "recapitulatif":
        action_url += "?retour=recapitulatif"
    html = draw_step(
        own.app.pages,
        view,
        theme=own.app.theme,
        site=own.app.site,
        titre_dispositif=own.entry.dispositif.dispositif.titre,
        action_url=action_url,
        refresh_url=refresh_url,
        back_url=_back(request, own, situation, page.id),
        csrf_token=csrf_token(request),
    )
    return HTMLResponse(html, status_code=status)


async def show_step(request: Request) -> Response:
    """GET a step, with the stored answers (and their errors when the récapitulatif sent the usager back here)."""
    with owned(request, draft=True, read_only=True) as own:
        page = _page(own, request.path_params["page_id"])
        situation = own.situation()
        if page.id not in situation.pages:
            raise Redirect(next_url(request, own, situation, None))
        errors: Errors = {}
        if request.query_params.get("verifier"):
            result = validate(own.entry.rules, own.answers, today=today(request), pages={page.id})
            errors = {key: list(messages) for key, messages in result.errors.items()}
        return _render(request, own, page, situation, own.answers, errors, 422 if errors else 200)


def _posted(own: Owned, page: Page, form: FormData) -> tuple[dict[str, object], dict[str, object], str]:
    """(this page's raw answers, all answers with them, the action); 400 for a name the page does not ask, or a
    character no form sends."""
    pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    if any("\x00" in value for _, value in pairs):  # no keyboard types it, and PostgreSQL cannot store it in JSON
        raise HTTPException(400, "Une réponse contient un caractère nul : rien n'a été enregistré.")
    raw, action = parse_page(page, own.entry.dispositif, pairs)
    asked = {field.id for field in page.champs if not isinstance(field, Fichier)}
    foreign = sorted(name for name in raw if name not in asked)
    if foreign:
        raise HTTPException(400, f"« {foreign[0]} » n'est pas une question de cette page : rien n'a été enregistré.")
    merged = {name: value for name, value in own.answers.items() if name not in asked}
    merged.update(raw)
    return raw, merged, action


def _refuse_tampering(own: Owned, raw: dict[str, object], merged: dict[str, object]) -> None:
    """A question hidden before this POST and still hidden after it was never shown: an answer to it was forged."""
    before = own.situation().hidden
    after = evaluate(own.entry.rules, read_answers(own.entry.rules, merged)[0], today=own.app.today()).hidden
    for name, value in raw.items():
        keys = (
            [name]
            if not isinstance(value, list)
            else [f"{name}.{index}.{sub}" for index, item in enumerate(items(value)) for sub, v in item.items() if v]
        )
        for key in keys:
            if key in before and key in after and (value not in ("", None, [], ())):
                raise HTTPException(400, f"« {key} » n'est pas demandé dans votre situation : rien n'a été enregistré.")


async def _uploads(own: Owned, page: Page, form: FormData, merged: dict[str, object], errors: Errors) -> None:
    """Files of the page's ``fichier`` questions: stored as they come (nothing sent is lost), refused by content."""
    for field in page.champs:
        if not isinstance(field, Fichier):
            continue
        for upload in form.getlist(field.id):
            if isinstance(upload, UploadFile) and upload.filename:
                try:
                    add_piece(
                        own.session,
                        own.app.files,
                        own.dossier,
                        field.id,
                        await upload.read(),
                        upload.filename,
                        field.formats,
                        field.taille_max,
                        nombre_max=field.nombre_max,
                    )
                except UploadError as error:
                    errors.setdefault(field.id, []).append(error.message)
        sent = tuple(p.id for p in pieces_of(own.session, own.dossier) if p.piece_key == field.id)
        merged[field.id] = sent or None


def _change_items(raw: dict[str, object], merged: dict[str, object], page: Page, action: str) -> None:
    """« Ajouter » and « Retirer » on a repeatable block, without JavaScript."""
    verb, _, rest = action.partition(":")
    name, _, index = rest.partition(":")
    bloc = next((f for f in page.champs if isinstance(f, BlocRepetable) and f.id == name), None)
    if bloc is None:
        raise HTTPException(400, "Action inconnue sur cette page.")
    current = [dict(item) for item in items(raw.get(name))]
    if verb == "ajouter" and len(current) < bloc.max:
        current.append({})
    elif verb == "retirer" and index.isdigit() and int(index) < len(current):
        del current[int(index)]
    raw[name] = merged[name] = current


async def take_step(request: Request) -> Response:
    """POST a step: check its answers, save them, go on; or redisplay it with its errors (422)."""
    app_settings = request.app.state.guichet.settings
    form = await verified_form(request, max_files=20, max_part_size=app_settings.max_upload_bytes)
    try:
        return await _take_step(request, form)
    finally:
        await form.close()


async def _take_step(request: Request, form: FormData) -> Response:
    with owned(request, draft=True) as own:
        page = _page(own, request.path_params["page_id"])
        raw, merged, action = _posted(own, page, form)
        _refuse_tampering(own, raw, merged)
        errors: Errors = {}
        await _uploads(own, page, form, merged, errors)
        rules = own.entry.rules
        if action.startswith(("ajouter:", "retirer:")) or action == "actualiser":
            if action != "actualiser":
                _change_items(raw, merged, page, action)
            situation = evaluate(rules, read_answers(rules, merged)[0], today=today(request))
            return _render(request, own, page, situation, {**merged, **raw}, errors)
        result = validate(rules, merged, today=today(request), pages={page.id})
        found = result.errors
        if action == "enregistrer":
            # A draft may lack answers, not hold wrong ones: a missing answer waits, one given but refused is shown.
            found = {key: messages for key, messages in found.items() if _given(merged, key, page)}
            if not found and not errors:
                _save(own, result.answers, page.id)
                return RedirectResponse(str(request.url_for("my_dossiers")), status_code=303)
        if found or errors:
            for key, messages in found.items():
                errors.setdefault(key, []).extend(messages)
            return _render(request, own, page, result.situation, {**merged, **raw}, errors, 422)
        target = next_url(request, own, result.situation, page.id)
        if request.query_params.get("retour") == "recapitulatif" and result.situation.stop is None:
            target = _url(request, own, "summary")
        _save(own, result.answers, _page_of(target, own, result.situation))
        return RedirectResponse(target, status_code=303)


def _given(answers: dict[str, object], key: str, page: Page) -> bool:
    """Whether the usager typed something for this answer key (``nom``, ``bloc.0.sub``); a block's own key (too
    few items) counts as missing."""
    name, _, rest = key.partition(".")
    value = answers.get(name)
    if rest:
        index, _, sub = rest.partition(".")
        rows = items(value)
        value = rows[int(index)].get(sub) if index.isdigit() and int(index) < len(rows) else None
    elif any(isinstance(field, BlocRepetable) and field.id == name for field in page.champs):
        return False
    if isinstance(value, dict):
        return any(part not in (None, "") for part in value.values())
    return value not in (None, "", [], ())


def _page_of(target: str, own: Owned, situation: Situation) -> str | None:
    """The step a saved brouillon resumes at: the page the usager is sent to."""
    for page_id in situation.pages:
        if target.endswith(f"/etapes/{page_id}"):
            return page_id
    return "pieces" if target.endswith("/pieces") else "recapitulatif"


def _save(own: Owned, answers: dict[str, object], page_id: str | None) -> None:
    try:
        save_page(own.session, own.dossier, answers, page_id)
    except ConflictError:
        raise HTTPException(409, "Ce dossier a été modifié dans un autre onglet : rechargez la page.") from None


async def refresh(request: Request) -> Response:
    """htmx: the step's questions again, as they stand with the answers being typed (nothing is saved)."""
    form = await verified_form(request)
    with owned(request, draft=True) as own:
        page = _page(own, request.path_params["page_id"])
        raw, merged, _ = _posted(own, page, form)
        situation = evaluate(own.entry.rules, read_answers(own.entry.rules, merged)[0], today=today(request))
        return _render(request, own, page, situation, {**merged, **raw}, {}, fragment=True)


async def stop(request: Request) -> Response:
    """The eligibility stop: an explanation, not an error."""
    with owned(request, draft=True, read_only=True) as own:
        situation = own.situation()
        if situation.stop is None:
            raise Redirect(next_url(request, own, situation, None))
        context = {
            "titre_dispositif": own.entry.dispositif.dispositif.titre,
            "titre": situation.stop.titre,
            "texte": situation.stop.texte,
            "back_url": _step(request, own, situation.stop_page or situation.pages[0]),
        }
        return render_page(request, "stop.html", context)
