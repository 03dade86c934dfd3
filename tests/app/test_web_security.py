"""Security basics of the citizen's side: dossiers are their owner's only, every POST carries the session's CSRF
token, every response has the strict headers, the session cookie is locked down, and answers are escaped.

The routes are read from engine.web.routes, so a route added later is covered without touching these tests."""

import re

import pytest
from sqlmodel import select
from starlette.routing import Route
from starlette.testclient import TestClient

from engine.app import create_app
from engine.settings import Settings
from engine.storage import Dossier, PieceFile
from engine.web.routes import routes
from tests.app.web_helpers import (
    PDF,
    SECRET,
    WEB_ANSWERS as GOOD,
    WEB_CATALOGUE as CATALOGUE,
    WEB_DAY as DAY,
    WEB_SLUG as SLUG,
    Citizen,
    Clock,
    Page,
    database,
    dossier_id,
    fill,
    scratch,
    web_app,
)

DOSSIER_ROUTES = [route for route in routes if isinstance(route, Route) and "{dossier_id}" in route.path]
POST_ROUTES = [route for route in routes if isinstance(route, Route) and "POST" in (route.methods or ())]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with scratch(tmp_path_factory, "securite") as tmp:
        yield web_app(tmp, CATALOGUE, DAY)


@pytest.fixture(scope="module")
def owner(web):
    """The usager whose dossier the tests attack: one browser for the whole module."""
    with web.client() as client:
        yield Citizen(client)


@pytest.fixture(scope="module")
def dossier(owner):
    """A draft of ``owner`` on its pièces page, with one file sent: the parameters of its URLs."""
    url = owner.go_to(SLUG, "foyer", GOOD)
    pieces = owner.step(url, GOOD).headers["location"]
    page = owner.get(pieces)
    response = owner.post(page.form, [], action="enregistrer", files=[("piece_identite", ("carte.pdf", PDF, "a"))])
    assert response.status_code == 303
    page = owner.get(pieces)
    [link] = [a["href"] for tag, a in page.elements if tag == "a" and "/fichiers/" in a.get("href", "")]
    return {"slug": SLUG, "dossier_id": dossier_id(url), "page_id": "identite", "file_id": link.rsplit("/", 1)[1]}


def path_of(route: Route, params: dict[str, str]) -> str:
    return route.path.format(**{name: params[name] for name in route.param_convertors})


def methods(route: Route) -> list[str]:
    return sorted(set(route.methods or ()) - {"HEAD"})


# --- ownership ----------------------------------------------------------------------------------------------------


def test_another_browser_gets_404_on_every_url_of_the_dossier(web, owner, dossier):
    for route in DOSSIER_ROUTES:  # the owner reaches each of them (a page, or a redirect within the dossier)
        for method in methods(route):
            if method == "GET":
                response = owner.client.get(path_of(route, dossier))
                assert response.status_code in (200, 303), (route.path, response.status_code)

    with web.client() as other:
        token = Citizen(other).get(f"/demarches/{SLUG}").csrf
        for route in DOSSIER_ROUTES:
            for method in methods(route):
                url = path_of(route, dossier)
                response = other.request(method, url, data={"csrf_token": token, "nom": "Pirate"})
                assert response.status_code == 404, (method, route.path, response.status_code)
                assert "Wamytan" not in response.text and "carte.pdf" not in response.text

    with database(web.url) as session:  # nothing the other browser sent reached the dossier
        stored = session.get(Dossier, dossier["dossier_id"])
        assert stored is not None and stored.answers["nom"] == "Wamytan" and stored.is_draft
        assert session.get(PieceFile, dossier["file_id"]) is not None


def test_a_download_is_an_attachment_for_its_owner(owner, dossier):
    response = owner.client.get(path_of(next(r for r in routes if r.name == "download"), dossier))
    assert response.status_code == 200 and response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="carte.pdf"'
    assert "no-store" in response.headers["cache-control"]


# --- CSRF ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda route: route.name)
@pytest.mark.parametrize("token", ["absent", "wrong", "another_session"])
def test_every_post_route_refuses_a_request_without_the_session_csrf_token(web, owner, dossier, route, token):
    before = rows(web)
    data = {"nom": "Pirate", "action": "continuer", "declaration": "oui"}
    if token == "wrong":
        data["csrf_token"] = "x" * 43
    elif token == "another_session":
        with web.client() as other:
            data["csrf_token"] = token_of(other)

    response = owner.client.post(path_of(route, dossier), data=data)

    assert response.status_code == 403, (route.path, response.status_code)
    assert "Jeton de sécurité absent ou expiré" in Page(response.text).plain
    assert rows(web) == before


def rows(web):
    with database(web.url) as session:
        return sorted((d.id, d.revision, str(d.answers)) for d in session.exec(select(Dossier)))


def token_of(client: TestClient) -> str:
    """The CSRF token of the client's session, as the fiche page gives it."""
    return Citizen(client).get(f"/demarches/{SLUG}").csrf


def test_the_csrf_token_is_also_accepted_from_the_htmx_header(owner, dossier):
    url = path_of(next(r for r in routes if r.name == "refresh"), dossier)
    token = token_of(owner.client)
    response = owner.client.post(url, data={"situation": "autre"}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200 and 'name="situation_autre"' in response.text


# --- headers and cookie -------------------------------------------------------------------------------------------


def check_headers(response) -> None:
    headers = response.headers
    policy = dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in (d.strip() for d in headers["content-security-policy"].split(";"))
    )
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert "'unsafe-eval'" not in headers["content-security-policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert headers["x-frame-options"] == "DENY"


def test_every_kind_of_response_has_the_security_headers(web, owner, dossier):
    step = path_of(next(r for r in routes if r.name == "step"), dossier)
    responses = {
        "page": owner.client.get("/"),
        "step": owner.client.get(step),
        "redirect": owner.client.post(f"/demarches/{SLUG}/commencer", data={"csrf_token": token_of(owner.client)}),
        "not_found": owner.client.get("/demarches/inconnue"),
        "forbidden": owner.client.post(step, data={}),
        "static": owner.client.get("/static/guichet.css"),
        "theme": owner.client.get("/theme.css"),
        "too_large": owner.client.post(step, content=b"x" * (web.app.state.guichet.settings.max_upload_bytes + 2**21)),
    }
    expected = {"page": 200, "step": 200, "redirect": 303, "not_found": 404, "forbidden": 403, "static": 200,
                "theme": 200, "too_large": 413}  # fmt: skip
    assert {name: r.status_code for name, r in responses.items()} == expected
    for response in responses.values():
        check_headers(response)


def test_pages_have_no_inline_script_or_style(owner, dossier):
    for name in ("step", "pieces", "summary"):
        route = next(r for r in routes if r.name == name)
        page = owner.client.get(path_of(route, dossier), follow_redirects=True)
        assert page.status_code in (200, 422)
        parsed = Page(page.text)
        scripts = [attrs for tag, attrs in parsed.elements if tag == "script"]
        assert scripts and all(attrs.get("src", "").startswith("/static/") for attrs in scripts)
        assert not [attrs for _, attrs in parsed.elements if "style" in attrs]
        assert not [attrs for _, attrs in parsed.elements if any(a.startswith("on") for a in attrs)]
        assert "<style" not in page.text


def cookie_flags(response) -> set[str]:
    [cookie] = [
        value for name, value in response.headers.multi_items() if name == "set-cookie" and value.startswith("guichet=")
    ]
    return {flag.strip().lower() for flag in cookie.split(";")[1:]}


def test_the_session_cookie_is_httponly_and_samesite_lax(web):
    with web.client() as client:
        flags = cookie_flags(client.get(f"/demarches/{SLUG}"))
    assert "httponly" in flags and "samesite=lax" in flags and "secure" not in flags


def test_in_production_the_cookie_is_secure_and_hsts_is_sent(tmp_path):
    settings = Settings.from_environ({
        "GUICHET_ENV": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'guichet.db'}",
        "CATALOGUE_DIR": str(CATALOGUE),
        "FILES_DIR": str(tmp_path / "pieces"),
    })  # fmt: skip
    with TestClient(create_app(settings, today=Clock(DAY)), base_url="https://testserver") as client:
        response = client.get(f"/demarches/{SLUG}")
    assert {"httponly", "samesite=lax", "secure"} <= cookie_flags(response)
    assert response.headers["strict-transport-security"].startswith("max-age=")
    check_headers(response)


def test_answers_are_escaped_wherever_they_are_shown(web):
    evil = '<script>alert("x")</script>'
    with web.client() as client:
        citizen = Citizen(client)
        url = citizen.go_to(SLUG, "identite", GOOD)
        page = citizen.get(url)
        response = citizen.post(page.form, fill(page.form, {**GOOD, "nom": evil, "email": evil}), action="continuer")
    assert response.status_code == 422
    assert evil not in response.text and "&lt;script&gt;" in response.text
    assert re.search(r"<script>alert", response.text) is None
