"""The pages around the form: the catalogue, a dispositif's fiche and its « Faire la démarche », « Mes démarches »,
the theme stylesheet. Endpoints stay thin: read the request, call a service, hand a view model to a template."""

from collections.abc import Mapping
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from engine.catalogue import Entry
from engine.db import session_scope
from engine.dispositif import Dispositif, prochaine_ouverture
from engine.errors import NotFound
from engine.services import dossiers_of, drafts_of, start_draft
from engine.storage import Dossier
from engine.web.context import Guichet, guichet, local
from engine.web.security import csrf_token, usager_key, verified_form
from renderers.views import CampagneView, CatalogueItem, DossierRow, FicheView, group_catalogue, pieces_to_prepare


def page(request: Request, template: str, context: Mapping[str, object], status: int = 200) -> Response:
    """A full page: the frame's values (theme, links) plus the page's own."""
    app = guichet(request)
    full = {"theme": app.theme, "site": app.site, **context}
    return app.templates.TemplateResponse(request, template, full, status_code=status)


def today(request: Request) -> date:
    """The app's day (by default the Province's, UTC+11), for this request."""
    return guichet(request).today()


def opening(dispositif: Dispositif, day: date) -> tuple[bool, date | None, date | None]:
    """(open now, next opening if closed, end of the current window if open) from the campagnes."""
    campagnes = dispositif.dispositif.campagnes
    if not campagnes:
        return True, None, None
    ends = [window[1] for campagne in campagnes if (window := campagne.fenetre(day)) is not None]
    if ends:
        return True, None, max(ends)
    return False, prochaine_ouverture(campagnes, day), None


async def home(request: Request) -> Response:
    """The catalogue by thématique, with a search (GET: a search holds no personal data)."""
    app = guichet(request)
    day = today(request)
    items = []
    for slug, entry in sorted(app.catalogue.items(), key=lambda item: item[1].dispositif.dispositif.titre):
        meta = entry.dispositif.dispositif
        is_open, opens_on, closes_on = opening(entry.dispositif, day)
        url = str(request.url_for("fiche", slug=slug))
        items.append(CatalogueItem(slug, meta.titre, meta.resume, meta.thematique, url, is_open, opens_on, closes_on))
    q = request.query_params.get("q", "")[:200]
    context = {"q": q, "groups": group_catalogue(items, q), "search_url": str(request.url_for("home"))}
    return page(request, "home.html", context)


def _entry(app: Guichet, slug: str) -> Entry:
    entry = app.catalogue.get(slug)
    if entry is None:
        raise HTTPException(404)
    return entry


async def fiche(request: Request) -> Response:
    """The fiche pratique and the « Faire la démarche » button."""
    app = guichet(request)
    entry = _entry(app, request.path_params["slug"])
    dispositif = entry.dispositif
    meta = dispositif.dispositif
    is_open, opens_on, _ = opening(dispositif, today(request))
    campagnes = tuple(
        CampagneView(c.ouverture, c.cloture, c.libelle) for c in meta.campagnes if c.ouverture and c.cloture
    )
    view = FicheView(
        titre=meta.titre,
        resume=meta.resume,
        thematique=meta.thematique,
        public=meta.fiche.public,
        conditions=meta.fiche.conditions,
        pieces=pieces_to_prepare(dispositif),
        service=meta.service,
        contact=meta.contact,
        is_open=is_open,
        opens_on=opens_on,
        campagnes=campagnes,
        delai=meta.fiche.delai,
        duree_estimee=meta.duree_estimee,
        cout=meta.fiche.cout,
        base_legale=meta.base_legale,
        avant_de_commencer=meta.avant_de_commencer,
        en_savoir_plus=meta.fiche.en_savoir_plus,
        rgpd_finalite=meta.rgpd.finalite,
        rgpd_base_legale=meta.rgpd.base_legale,
        rgpd_conservation=f"{meta.rgpd.conservation.annees} ans" if meta.rgpd.conservation.annees else None,
    )
    start_url = str(request.url_for("start", slug=entry.slug))
    return page(request, "fiche.html", {"fiche": view, "start_url": start_url, "csrf_token": csrf_token(request)})


def defaults(dispositif: Dispositif) -> dict[str, object]:
    """The answers a new draft starts with: each question's ``defaut``."""
    found = {field.id: getattr(field, "defaut", None) for field in dispositif.questions()}
    return {name: value for name, value in found.items() if value is not None}


async def start(request: Request) -> Response:
    """Create the brouillon and go to its first step (POST: it creates something)."""
    await verified_form(request)
    app = guichet(request)
    entry = _entry(app, request.path_params["slug"])
    if not opening(entry.dispositif, today(request))[0]:
        raise HTTPException(409, "Cette démarche est fermée : la campagne n'est pas ouverte aujourd'hui.")
    with session_scope(app.db) as session:
        dossier = start_draft(session, entry, usager_key(request), prefill=defaults(entry.dispositif))
        target = step_url(request, dossier, entry.dispositif.pages[0].id)
    return RedirectResponse(target, status_code=303)


def step_url(request: Request, dossier: Dossier, page_id: str) -> str:
    """The URL of one step of a dossier."""
    return str(request.url_for("step", dossier_id=dossier.id, page_id=page_id))


async def my_dossiers(request: Request) -> Response:
    """Brouillons to resume at their saved step, and submitted dossiers."""
    app = guichet(request)
    owner = usager_key(request)
    with session_scope(app.db) as session:
        drafts, submitted = drafts_of(session, owner), dossiers_of(session, owner)
    rows: dict[str, list[DossierRow]] = {"drafts": [], "submitted": []}
    for dossier in [*drafts, *submitted]:
        try:
            dispositif = app.entry(dossier.dispositif, dossier.version).dispositif
        except NotFound:  # a version that no longer loads: the dossier is kept, just not listed here
            continue
        etat = dispositif.instruction.etats.get(dossier.etat)
        label = (etat.libelle_usager or etat.libelle) if etat else dossier.etat
        if dossier.is_draft:
            current = dossier.page or dispositif.pages[0].id
            titles = {p.id: p.titre for p in dispositif.pages}
            url = step_url(request, dossier, current) if current in titles else _resume_url(request, dossier, current)
            rows["drafts"].append(
                DossierRow(
                    dispositif.dispositif.titre,
                    url,
                    label,
                    True,
                    None,
                    local(dossier.updated_at),
                    None,
                    titles.get(current, "Vos justificatifs"),
                )
            )
        else:
            url = str(request.url_for("receipt", dossier_id=dossier.id))
            rows["submitted"].append(
                DossierRow(
                    dispositif.dispositif.titre,
                    url,
                    label,
                    False,
                    dossier.numero,
                    local(dossier.updated_at),
                    local(dossier.submitted_at) if dossier.submitted_at else None,
                )
            )
    return page(request, "my_dossiers.html", rows)


def _resume_url(request: Request, dossier: Dossier, current: str) -> str:
    name = "pieces" if current == "pieces" else "summary"
    return str(request.url_for(name, dossier_id=dossier.id))


async def theme_css(request: Request) -> Response:
    """The Province's colours as CSS custom properties (a stylesheet, so the CSP needs no inline style)."""
    app = guichet(request)
    css = app.templates.get_template("theme.css").render(theme=app.theme)
    return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=3600"})
