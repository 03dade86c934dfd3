"""Versions in flight: a draft started before its dispositif's YAML changed stays on the version it was started
under — its questions, its rules — until it is submitted, while new drafts get the new version.

The catalogue is a copy in tmp_path; the change is published the way an editor does it (the file is rewritten) and
the app restarted on the same database, so the old version can only come from what the database kept."""

import shutil
from datetime import timedelta
from pathlib import Path

from engine.catalogue import load_file
from tests.app.web_helpers import (
    WEB_ANSWERS as GOOD,
    WEB_DAY as DAY,
    WEB_SLUG as SLUG,
    Citizen,
    dossier_id,
    stored,
    web_app,
)

SOURCE = Path(__file__).resolve().parents[1] / "catalogue" / "web" / "tous_les_champs.yaml"
NEW_QUESTION = """      - id: profession
        type: texte
        libelle: Votre profession
"""


def publish_version_2(path: Path) -> None:
    """The editor's change: a new required question, a label reworded, the montant capped lower (and the
    cas_de_test updated to match, or the new version would not load)."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("  version: 1\n", "  version: 2\n", 1)
    text = text.replace("        libelle: Nom\n", "        libelle: Nom de famille\n", 1)
    text = text.replace("      - id: date_naissance\n", NEW_QUESTION + "      - id: date_naissance\n", 1)
    text = text.replace(
        "        libelle: Montant demandé\n        min: 0\n",
        "        libelle: Montant demandé\n        min: 0\n        max: 500\n",
    )
    text = text.replace("      nom: Wamytan\n", "      nom: Wamytan\n      profession: Couturière\n", 1)
    text = text.replace("      montant: 150000\n", "      montant: 400\n", 1)
    path.write_text(text, encoding="utf-8")


def test_a_draft_keeps_its_version_while_new_drafts_get_the_new_one(tmp_path):
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    path = catalogue / f"{SLUG}.yaml"
    shutil.copy(SOURCE, path)
    v1 = load_file(path, today=DAY).entry
    before = web_app(tmp_path, catalogue, DAY)
    with before.client() as first:
        old = Citizen(first)
        url = old.go_to(SLUG, "identite", GOOD)
        cookies = dict(first.cookies)
    assert stored(before.url, dossier_id(url))[0].version == v1.version

    publish_version_2(path)
    v2 = load_file(path, today=DAY).entry
    assert v2 is not None and v2.version != v1.version
    after = web_app(tmp_path, catalogue, DAY)  # a restart: same database, same folder, new YAML

    with after.client() as browser:
        browser.cookies.update(cookies)
        old = Citizen(browser)
        page = old.get(url)
        assert "profession" not in page.form.names()  # the old questions, the old wording
        assert "Nom de famille" not in page.plain
        mine = old.get("/mes-demarches")
        assert url in mine.html

        # The old draft goes to its end under version 1 (whose montant has no cap of 500).
        summary = old.finish(url, GOOD, lambda _: DAY - timedelta(days=1))
        sent = old.submit(summary)
        assert sent.status_code == 303 and sent.headers["location"].endswith("/recepisse")
        receipt = old.get(sent.headers["location"])

        new = Citizen(browser)
        new_url = new.go_to(SLUG, "identite", GOOD)
        new_page = new.get(new_url)
        assert "profession" in new_page.form.names() and "Nom de famille" in new_page.plain

    dossier, events, _ = stored(after.url, dossier_id(url))
    assert (dossier.version, dossier.etat, dossier.answers["montant"]) == (v1.version, "depose", 1000)
    assert "profession" not in dossier.answers
    assert dossier.numero is not None and dossier.numero in receipt.plain
    assert [e.data.get("version") for e in events if e.action == "deposer"] == [v1.version]
    assert stored(after.url, dossier_id(new_url))[0].version == v2.version
