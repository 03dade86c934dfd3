"""Forged requests: what no page of the form can send is refused with a clear message, and nothing of it is stored.

A browser only posts the inputs the page drew; anything else (a name the step does not ask, a question the answers
hide, a value of the wrong kind, a body too large, a file whose content is not what its name says) was forged or
broken on the way, and the draft must come out of it exactly as it was."""

import pytest

from tests.app.web_helpers import (
    JPEG,
    PDF,
    PNG,
    WEB_ANSWERS as GOOD,
    WEB_CATALOGUE as CATALOGUE,
    WEB_DAY as DAY,
    WEB_SLUG as SLUG,
    Citizen,
    Page,
    dossier_id,
    fill,
    scratch,
    stored,
    web_app,
)

LIMIT = 256 * 1024


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with scratch(tmp_path_factory, "forge") as tmp:
        yield web_app(tmp, CATALOGUE, DAY, max_upload_bytes=LIMIT)


@pytest.fixture
def citizen(web):
    with web.client() as client:
        yield Citizen(client)


def snapshot(web, url):
    dossier, events, files = stored(web.url, dossier_id(url))
    return dossier.answers, dossier.revision, len(events), [f.piece_key for f in files]


def forge(citizen, url, extra, action="continuer"):
    page = citizen.get(url)
    return citizen.post(page.form, fill(page.form, GOOD) + extra, action=action)


@pytest.mark.parametrize("action", ["continuer", "enregistrer", "actualiser"])
def test_an_unknown_name_is_refused_and_nothing_is_stored(web, citizen, action):
    url = citizen.go_to(SLUG, "identite", GOOD)
    before = snapshot(web, url)

    response = forge(citizen, url, [("role", "admin")], action)

    assert response.status_code == 400
    assert "« role » n'est pas une question de cette page : rien n'a été enregistré." in Page(response.text).plain
    assert snapshot(web, url) == before


def test_a_question_of_another_page_is_refused(web, citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    before = snapshot(web, url)
    response = forge(citizen, url, [("montant", "999999999")])
    assert response.status_code == 400 and "« montant »" in Page(response.text).plain
    assert snapshot(web, url) == before


def test_an_answer_to_a_question_the_answers_hide_is_refused(web, citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    before = snapshot(web, url)
    assert "ridet" not in citizen.get(url).form.names()  # a_entreprise is « non »: never shown

    response = forge(citizen, url, [("ridet", "1234567.001")])

    assert response.status_code == 400
    assert "« ridet » n'est pas demandé dans votre situation : rien n'a été enregistré." in Page(response.text).plain
    assert snapshot(web, url) == before


def test_an_item_sub_field_the_item_hides_is_refused(web, citizen):
    answers = {**GOOD, "membres": [{"membre_prenom": "Léa", "membre_a_revenus": False}]}
    url = citizen.go_to(SLUG, "foyer", answers)
    page = citizen.refresh(citizen.add_items(citizen.get(url), answers), answers)
    assert citizen.post(page.form, fill(page.form, answers)).status_code == 303
    before = snapshot(web, url)

    page = citizen.get(url)
    assert "membres.0.membre_revenus" not in page.form.names()
    response = citizen.post(page.form, fill(page.form, {}) + [("membres.0.membre_revenus", "5000000")])

    assert response.status_code == 400 and "membres.0.membre_revenus" in response.text
    assert snapshot(web, url) == before


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("reside", "peut-etre", "Répondez oui ou non"),
        ("situation", "directeur", "Sélectionnez"),
        ("commune_naissance", "paris", "commune"),
        ("langues", "klingon", "Langues parlées"),
    ],
)
def test_a_value_no_input_offers_is_refused_with_a_message(web, citizen, name, value, message):
    url = citizen.go_to(SLUG, "identite", GOOD) if name != "reside" else citizen.start(SLUG)
    before = snapshot(web, url)
    page = citizen.get(url)
    pairs = [(n, v) for n, v in fill(page.form, GOOD) if n != name] + [(name, value)]

    response = citizen.post(page.form, pairs, action="continuer")

    assert response.status_code == 422
    shown = Page(response.text)
    assert message in shown.error_summary() and shown.error_links() == [f"#{name}"]
    assert snapshot(web, url) == before


def test_a_value_posted_twice_is_refused(web, citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    before = snapshot(web, url)
    response = forge(citizen, url, [("nom", "Autre")])
    assert response.status_code == 422 and Page(response.text).error_links() == ["#nom"]
    assert snapshot(web, url) == before


def test_a_forged_item_index_builds_no_item(web, citizen):
    url = citizen.go_to(SLUG, "foyer", GOOD)
    before = snapshot(web, url)
    response = forge(citizen, url, [("membres.999.membre_prenom", "X")])
    assert response.status_code == 400
    assert snapshot(web, url) == before


# --- size ---------------------------------------------------------------------------------------------------------


def test_an_oversized_body_is_refused_before_it_is_read(web, citizen):
    url = citizen.go_to(SLUG, "projet", GOOD)
    before = snapshot(web, url)
    page = citizen.get(url)
    big = b"\x89PNG\r\n\x1a\n" + b"0" * (LIMIT + 1024 * 1024)

    response = citizen.post(page.form, fill(page.form, GOOD), files=[("photo", ("grande.png", big, "image/png"))])

    assert response.status_code == 413
    assert "dépasse la taille autorisée" in response.text
    assert snapshot(web, url) == before
    assert not list((web.tmp / "pieces").rglob("*")) or all(p.is_dir() for p in (web.tmp / "pieces").rglob("*"))


def test_an_oversized_body_sent_without_length_is_cut_off(web, citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    before = snapshot(web, url)
    token = citizen.get(url).csrf
    chunks = [f"csrf_token={token}&nom=".encode()] + [b"a" * 65536] * ((LIMIT + 1024 * 1024) // 65536 + 2)

    response = citizen.client.post(
        url, content=iter(chunks), headers={"content-type": "application/x-www-form-urlencoded"}
    )

    assert response.status_code == 413
    assert snapshot(web, url) == before


# --- files --------------------------------------------------------------------------------------------------------


def to_pieces(citizen, answers=GOOD):
    url = citizen.go_to(SLUG, "foyer", answers)
    response = citizen.step(url, answers)
    assert response.headers["location"].endswith("/pieces")
    return response.headers["location"]


@pytest.mark.parametrize(
    ("key", "upload", "message"),
    [
        ("piece_identite", ("carte.pdf", b"ceci n'est pas un PDF", "application/pdf"),
         "Le fichier doit être au format PDF"),
        ("photo_identite", ("photo.png", PDF, "image/png"), "Le fichier doit être au format PNG"),
        ("photo_identite", ("photo.png", JPEG, "image/png"), "Le fichier doit être au format PNG"),
        ("piece_identite", ("carte.pdf", b"", "application/pdf"), "Le fichier sélectionné est vide"),
        ("photo_identite", ("photo.png", PNG + b"\x00" * 2048, "image/png"), "Le fichier doit peser moins de 1 Ko"),
    ],
    ids=["not_a_pdf", "pdf_named_png", "jpeg_named_png", "empty", "too_big_for_the_piece"],
)  # fmt: skip
def test_a_file_is_judged_by_its_content_and_size(web, citizen, key, upload, message):
    url = to_pieces(citizen)
    page = citizen.get(url)

    response = citizen.post(page.form, fill(page.form, {}), files=[(key, upload)])

    assert response.status_code == 422
    shown = Page(response.text)
    assert message in shown.texts[f"{key}-piece"]
    assert f"#{key}" in shown.error_links()
    assert snapshot(web, url)[3] == []
    assert not [p for p in (web.tmp / "pieces").rglob("*") if p.is_file() and dossier_id(url) in str(p)]


def test_a_file_on_a_step_is_judged_by_its_content(web, citizen):
    url = citizen.go_to(SLUG, "projet", GOOD)
    page = citizen.get(url)
    response = citizen.post(page.form, fill(page.form, GOOD), files=[("photo", ("local.png", PDF, "image/png"))])
    assert response.status_code == 422
    assert "Le fichier doit être au format PNG" in Page(response.text).error_summary()
    assert snapshot(web, url)[3] == []


@pytest.mark.parametrize("action", ["continuer", "enregistrer"])
def test_a_nul_character_is_refused_on_every_database(database_url, db_engine, tmp_path, action):
    """PostgreSQL cannot keep U+0000 in a JSON text: it must be refused before, never reach the database as a 500."""
    web = web_app(tmp_path, CATALOGUE, DAY, database_url)
    with web.client() as client:
        citizen = Citizen(client)
        url = citizen.go_to(SLUG, "projet", GOOD)
        before = snapshot(web, url)
        page = citizen.get(url)
        pairs = [(n, v) for n, v in fill(page.form, GOOD) if n != "description"] + [("description", "a\x00b")]

        response = citizen.post(page.form, pairs, action=action)

    assert response.status_code == 400 and "caractère nul" in Page(response.text).plain
    assert snapshot(web, url) == before
