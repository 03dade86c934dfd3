"""The pages around the steps, through a whole journey: every link leads somewhere, « Modifier » comes back to the
récapitulatif, the récépissé says what was sent, and the pièces page says which date it asks for."""

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from engine.settings import LOCAL_TIME
from tests.app.web_helpers import (
    WEB_ANSWERS,
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

# The shared valid answers, with a company, an amount and a household member: every page and pièce shows.
GOOD = {
    **WEB_ANSWERS,
    "a_entreprise": True,
    "ridet": "1234567.001",
    "montant": 150000,
    "membres": [{"membre_prenom": "Paul", "membre_a_revenus": True, "membre_revenus": 60000}],
}


def day_before(_key):
    return DAY - timedelta(days=1)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with scratch(tmp_path_factory, "pages") as tmp:
        yield web_app(tmp, CATALOGUE, DAY)


@pytest.fixture
def citizen(web):
    with web.client() as client:
        yield Citizen(client)


class Recorder(Citizen):
    """A citizen who keeps every page seen."""

    def __init__(self, client):
        super().__init__(client)
        self.pages: list[Page] = []

    def get(self, url, status=200):
        page = super().get(url, status)
        self.pages.append(page)
        return page


def test_every_link_and_asset_of_a_whole_journey_answers(web):
    with web.client() as client:
        citizen = Recorder(client)
        citizen.get("/")
        citizen.get("/?q=essai")
        _, sent = citizen.complete(SLUG, GOOD, day_before)
        citizen.get(sent.headers["location"])
        citizen.get("/mes-demarches")
        targets = set()
        for page in citizen.pages:
            for tag, attrs in page.elements:
                target = (
                    attrs.get("href")
                    if tag in ("a", "link")
                    else attrs.get("src")
                    if tag in ("script", "img")
                    else None
                )
                if target and not target.startswith(("mailto:", "tel:", "#")):
                    targets.add(target.split("#")[0])
        assert any("/static/" in t for t in targets) and any("/dossiers/" in t for t in targets)
        broken = {}
        for target in sorted(targets):
            assert urlsplit(target).netloc in ("", "testserver"), f"a link leaves the site: {target}"
            response = client.get(target)
            if response.status_code == 303:  # a step of a dossier sent: to its récépissé
                response = client.get(response.headers["location"])
            if response.status_code != 200:
                broken[target] = response.status_code
    assert broken == {}


def test_modifier_on_the_recapitulatif_comes_back_to_it(web, citizen):
    summary = citizen.until_summary(SLUG, GOOD, day_before)
    page = citizen.get(summary)
    links = [a["href"] for tag, a in page.elements if tag == "a" and "retour=recapitulatif" in a.get("href", "")]
    change = next(link for link in links if "/etapes/identite" in link)
    assert change.endswith("#nom")

    step = citizen.get(change.split("#")[0])
    assert step.form.action.endswith("?retour=recapitulatif")
    response = citizen.post(step.form, fill(step.form, {**GOOD, "nom": "Kaloi"}), action="continuer")

    assert response.status_code == 303 and response.headers["location"] == summary
    assert "Kaloi" in citizen.get(summary).plain
    assert stored(web.url, dossier_id(summary))[0].answers["nom"] == "Kaloi"


def test_the_recepisse_shows_the_number_the_answers_and_the_pieces(web, citizen):
    found, sent = citizen.complete(SLUG, GOOD, day_before)
    receipt = citizen.get(sent.headers["location"])
    dossier, _, pieces = stored(web.url, found)
    text = receipt.plain
    assert dossier.numero is not None and dossier.numero in receipt.title + text
    assert "Wamytan" in text and "1234567.001" in text and "Paul" in text
    for piece in pieces:
        assert piece.filename in text
    assert sorted(p.piece_key for p in pieces) == [
        "extrait_ridet",
        "photo_identite",
        "piece_identite",
        "revenus_membre.0",
    ]
    assert dossier.submitted_at is not None
    sent_at = dossier.submitted_at.astimezone(LOCAL_TIME)  # Nouméa's clock, not UTC's (11 hours behind)
    assert f"à {sent_at.hour} h {sent_at.minute:02d}" in text


def test_a_piece_checked_on_its_expiry_asks_for_the_expiry_date(tmp_path):
    catalogue = Path(__file__).resolve().parents[2] / "catalogue"
    web = web_app(tmp_path, catalogue, DAY)
    answers = {
        "nom": "Dubois",
        "prenoms": "Christophe",
        "date_naissance": date(1990, 8, 25),
        "lieu_naissance": "Bourail",
        "adresse": {"ligne1": "3 route de la Néra", "code_postal": "98870", "commune": "bourail"},
        "telephone": "77 12 34",
        "email": "c.dubois@example.nc",
        "examen_reussi": True,
        "date_examen": date(2026, 3, 14),
        "assureur": "Mutuelle des chasseurs",
        "numero_contrat": "CH-2026-4411",
        "fin_assurance": date(2026, 12, 31),
    }
    with web.client() as client:
        citizen = Citizen(client)
        url = citizen.start("permis_chasser")
        while not url.endswith("/pieces"):
            url = citizen.step(url, answers).headers["location"]
        page = citizen.get(url)
    asked = page.texts["piece_identite-date_document-champ"].lower()
    assert "expir" in asked or "fin de validité" in asked


@pytest.mark.parametrize("reason", ["forged_answer", "closed_campaign"])
def test_an_error_page_does_not_contradict_its_reason(tmp_path, reason):
    catalogue = CATALOGUE if reason == "forged_answer" else Path(__file__).resolve().parents[2] / "catalogue"
    web = web_app(tmp_path, catalogue, DAY if reason == "forged_answer" else date(2026, 11, 25))
    with web.client() as client:
        citizen = Citizen(client)
        if reason == "forged_answer":
            page = citizen.get(citizen.start(SLUG))
            response = citizen.post(page.form, [("reside", "oui"), ("role", "admin")], action="continuer")
            misleading = "Réessayez dans quelques minutes"
        else:  # the bourse's campaign ended on 30 September; its fiche was open in a tab since then
            token = citizen.get("/demarches/aide_medicale").csrf
            response = client.post("/demarches/bourse_superieur/commencer", data={"csrf_token": token})
            misleading = "déjà été envoyée"
    assert response.status_code in (400, 409)
    assert misleading not in Page(response.text).plain
