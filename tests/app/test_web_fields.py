"""Every field type, condition and repeat of the generated form, and its error paths, through the real app.

tests/catalogue/web/tous_les_champs.yaml has one field of each type, ``visible_si``, ``obligatoire_si`` and
``arret_si``, a repeatable block, a conditional pièce and a per-item pièce; its complete ``cas_de_test`` gives the
answers of a usager who fills everything right, and each test changes what it is about."""

from datetime import date
from pathlib import Path

import pytest

from engine.catalogue import load_file
from tests.app.web_helpers import PNG, Citizen, Page, dossier_id, fill, scratch, stored, web_app

CATALOGUE = Path(__file__).resolve().parents[1] / "catalogue" / "web"
SLUG = "tous_les_champs"
DAY = date(2026, 5, 1)
ENTRY = load_file(CATALOGUE / f"{SLUG}.yaml", today=DAY).entry
assert ENTRY is not None
GOOD = dict(next(case for case in ENTRY.dispositif.cas_de_test if case.complet).reponses)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with scratch(tmp_path_factory, "champs") as tmp:
        yield web_app(tmp, CATALOGUE, DAY)


@pytest.fixture
def citizen(web):
    with web.client() as client:
        yield Citizen(client)


def answers(**changes):
    return {**GOOD, **changes}


def post(citizen, url, values, action="continuer", **kwargs):
    """Type ``values`` on the step, pressing « Mettre à jour les questions » first as needed, then ``action``."""
    page = citizen.refresh(citizen.get(url), values) if action != "actualiser" else citizen.get(url)
    return citizen.post(page.form, fill(page.form, values), action=action, **kwargs)


def saved(web, url):
    return stored(web.url, dossier_id(url))[0]


# --- the inputs ---------------------------------------------------------------------------------------------------


def controls(page):
    return {(c.name, c.tag, c.type): c.attrs for c in page.form.controls if c.name}


def test_every_field_type_gets_its_native_input(citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    identite = citizen.refresh(citizen.get(url), GOOD)
    found = controls(identite)
    assert found[("nom", "input", "text")]["autocomplete"] == "family-name"
    assert all(
        found[(f"date_naissance.{p}", "input", "text")]["inputmode"] == "numeric" for p in ("jour", "mois", "annee")
    )
    assert found[("email", "input", "email")]["autocomplete"] == "email"
    assert found[("telephone", "input", "tel")]["autocomplete"] == "tel"
    assert {n for n, _, _ in found if n.startswith("adresse.")} == {
        f"adresse.{p}" for p in ("ligne1", "ligne2", "code_postal", "commune")
    }
    assert ("adresse.commune", "select", "select") in found
    assert len(identite.form.choices("commune_naissance")) == 33 and ("commune_naissance", "select", "select") in found
    assert identite.form.choices("situation") == ["salarie", "independant", "autre"]
    assert ("situation", "input", "radio") in found and identite.form.choices("a_entreprise") == ["oui", "non"]
    assert found[("ridet", "input", "text")]["spellcheck"] == "false"
    assert identite.form.choices("langues") == ["francais", "drehu", "nengone", "anglais"]
    assert ("langues", "input", "checkbox") in found and "(optionnel)" in identite.texts["langues-champ"]

    assert citizen.step(url, GOOD).status_code == 303
    projet = citizen.get(url.replace("/identite", "/projet"))
    found = controls(projet)
    assert ("description", "textarea", "textarea") in found and "(optionnel)" in projet.texts["description-champ"]
    assert found[("montant", "input", "text")]["inputmode"] == "numeric" and "F CFP" in projet.texts["montant-champ"]
    assert found[("nombre_personnes", "input", "text")]["inputmode"] == "numeric"
    assert found[("surface", "input", "text")]["inputmode"] == "decimal" and "m²" in projet.texts["surface-champ"]
    assert found[("iban", "input", "text")]["spellcheck"] == "false"
    assert found[("accord", "input", "checkbox")]["value"] == "oui"
    assert found[("photo", "input", "file")]["accept"] == ".png,image/png"
    assert "Décrivez votre projet en quelques mots." in projet.texts["consignes-champ"]


# --- missing answers ----------------------------------------------------------------------------------------------


def test_missing_answers_are_summarised_linked_and_shown_inline_with_values_kept(web, citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    page = citizen.get(url)
    pairs = [(name, "Wamytan" if name == "nom" else "") for name in page.form.names()]
    response = citizen.post(page.form, pairs, action="continuer")

    assert response.status_code == 422
    shown = Page(response.text)
    assert shown.title.startswith("Erreur : Vous")
    links = shown.error_links()
    assert links == [
        "#date_naissance-jour",
        "#email",
        "#telephone",
        "#adresse-ligne1",
        "#commune_naissance",
        "#situation",
        "#a_entreprise",
    ]
    for link in links:  # every link lands on an element of the page, the field's first input
        tag, _ = shown.by_id(link[1:])
        assert tag in ("input", "select")
    assert "Saisissez « Adresse électronique »" in shown.error_summary()
    _, email = shown.by_id("email")
    assert email["aria-invalid"] == "true"
    assert "email-erreur" in email["aria-describedby"].split()
    assert shown.texts["email-erreur"] == "Erreur : Saisissez « Adresse électronique »"
    _, telephone = shown.by_id("telephone")
    assert telephone["aria-invalid"] == "true" and "telephone-erreur" in telephone["aria-describedby"].split()
    assert shown.form.control("nom").value == "Wamytan"
    assert "nom" not in saved(web, url).answers  # a page with errors is not saved


@pytest.mark.parametrize(
    ("page_id", "name", "value", "anchor", "message"),
    [
        ("identite", "date_naissance", {"jour": "31", "mois": "2", "annee": "1990"}, "date_naissance-jour",
         "« Date de naissance » doit être une date réelle"),
        ("identite", "email", "marie.wamytan@", "email", "Saisissez une adresse électronique au bon format"),
        ("identite", "telephone", "12 34", "telephone", "Saisissez un numéro de téléphone à 6 chiffres"),
        ("identite", "ridet", "123", "ridet", "RIDET"),
        ("projet", "montant", "150000,50", "montant", "francs"),
        ("projet", "iban", "FR7614448000024012345678902", "iban", "IBAN"),
        ("projet", "nombre_personnes", "trois", "nombre_personnes", "nombre"),
    ],
    ids=["date_impossible", "email", "telephone", "ridet", "montant_centimes", "iban_cle", "entier_en_lettres"],
)  # fmt: skip
def test_a_wrong_format_is_refused_with_its_message_and_kept_as_typed(web, citizen, page_id, name, value, anchor,
                                                                      message):  # fmt: skip
    url = citizen.go_to(SLUG, page_id, GOOD)
    response = post(citizen, url, answers(**{name: value}))

    assert response.status_code == 422
    shown = Page(response.text)
    assert shown.error_links() == [f"#{anchor}"]
    assert message in shown.error_summary()
    typed = value if isinstance(value, dict) else {"": value}
    for part, text in typed.items():  # as typed; an IBAN may come back in groups of four
        assert shown.form.control(f"{name}.{part}" if part else name).value.replace(" ", "") == text.replace(" ", "")
    assert name not in saved(web, url).answers


# --- conditions ---------------------------------------------------------------------------------------------------


def test_a_conditional_question_appears_when_the_page_is_updated_without_javascript(web, citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    assert "situation_autre" not in citizen.get(url).form.names()

    response = post(citizen, url, {"situation": "autre"}, action="actualiser")

    assert response.status_code == 200
    assert "situation_autre" in Page(response.text).form.names()
    assert "situation" not in saved(web, url).answers  # « Mettre à jour » saves nothing


def test_the_htmx_refresh_answers_the_fields_alone(web, citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    page = citizen.get(url)
    pairs = fill(page.form, {"situation": "autre", "a_entreprise": True})

    response = citizen.post(page.form, pairs, url=url + "/champs", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div class="champs" id="g-champs">')
    assert "<html" not in response.text and "<form" not in response.text
    fragment = Page(f"<form class='formulaire'>{response.text}</form>")
    assert {"situation_autre", "ridet"} <= set(fragment.form.names())
    assert "situation" not in saved(web, url).answers


def test_an_answer_hidden_by_a_later_change_is_dropped(web, citizen):
    url = citizen.go_to(SLUG, "identite", GOOD)
    assert post(citizen, url, GOOD).status_code == 303
    assert saved(web, url).answers["ridet"] == "1234567.001"

    # The usager comes back and answers « non »: the RIDET input is still on the page, with its old value.
    response = post(citizen, url, answers(a_entreprise=False))

    assert response.status_code == 303
    kept = saved(web, url).answers
    assert kept["a_entreprise"] is False and "ridet" not in kept


def test_obligatoire_si_requires_an_answer_only_when_its_condition_holds(citizen):
    url = citizen.go_to(SLUG, "projet", GOOD)
    optional = citizen.get(url)
    assert "(optionnel)" in optional.texts["motif_urgence-champ"]

    response = post(citizen, url, answers(urgent=True))

    assert response.status_code == 422
    shown = Page(response.text)
    assert shown.error_links() == ["#motif_urgence"]
    assert "(optionnel)" not in shown.texts["motif_urgence-champ"]
    assert post(citizen, url, answers(urgent=True, motif_urgence="Un dégât des eaux")).status_code == 303


def test_arret_si_leads_to_an_explanation_not_an_error(web, citizen):
    url = citizen.start(SLUG)
    response = post(citizen, url, {"reside": False})

    assert response.status_code == 303 and response.headers["location"].endswith("/arret")
    stop = citizen.get(response.headers["location"])
    assert stop.title.startswith("Cette démarche est réservée aux résidents de la Province Sud")
    assert "Adressez-vous à la province où vous résidez." in stop.html
    assert not stop.error_summary() and "Erreur" not in stop.title
    assert saved(web, url).answers == {"reside": False}
    # The steps after the stop are not reachable: they send back to the stop.
    after = citizen.client.get(url.replace("/eligibilite", "/identite"))
    assert after.status_code == 303 and after.headers["location"].endswith("/arret")


# --- repeatable block ---------------------------------------------------------------------------------------------


def test_items_are_added_and_removed_without_javascript(web, citizen):
    url = citizen.go_to(SLUG, "foyer", GOOD)
    page = citizen.get(url)
    assert "membres.0" not in page.form.names() and page.form.has_action("ajouter:membres")

    page = citizen.add_items(page, GOOD)  # two « Ajouter une personne »
    page = citizen.refresh(page, GOOD)
    assert {"membres.0.membre_prenom", "membres.1.membre_prenom", "membres.0.membre_revenus"} <= set(page.form.names())
    assert page.form.has_action("retirer:membres:0") and page.form.has_action("retirer:membres:1")

    removed = citizen.post(page.form, fill(page.form, GOOD), action="retirer:membres:0")
    assert removed.status_code == 200
    left = Page(removed.text)
    assert left.form.control("membres.0.membre_prenom").value == "Léa"
    assert "membres.1.membre_prenom" not in left.form.names()

    response = citizen.post(left.form, fill(left.form, {}), action="continuer")
    assert response.status_code == 303
    [item] = saved(web, url).answers["membres"]
    assert {key: value for key, value in item.items() if value is not None} == {
        "membre_prenom": "Léa",
        "membre_a_revenus": False,
    }


def test_a_block_stops_offering_to_add_at_its_maximum(citizen):
    url = citizen.go_to(SLUG, "foyer", GOOD)
    page = citizen.get(url)
    for _ in range(3):
        page = Page(citizen.post(page.form, fill(page.form, {}), action="ajouter:membres").text)
    assert not page.form.has_action("ajouter:membres")
    assert "Vous avez atteint le nombre maximal d'éléments (3)." in page.plain
    again = citizen.post(page.form, fill(page.form, {}), action="ajouter:membres")
    assert again.status_code == 200 and "membres.3" not in Page(again.text).form.names()


# --- pièces -------------------------------------------------------------------------------------------------------


def test_conditional_and_per_item_pieces_follow_the_answers(citizen):
    url = citizen.go_to(SLUG, "foyer", GOOD)
    response = citizen.step(url, GOOD)
    assert response.headers["location"].endswith("/pieces")
    pieces = citizen.get(response.headers["location"])

    asked = [c.name for c in pieces.form.controls if c.type == "file"]
    assert asked == ["piece_identite", "photo_identite", "extrait_ridet", "revenus_membre.0"]
    assert pieces.texts["revenus_membre-0-titre"] == "Justificatif de revenus de Paul"

    # No company, nobody with revenus: neither the conditional pièce nor a per-item one is asked.
    citizen.step(url.replace("/foyer", "/identite"), answers(a_entreprise=False))
    page = citizen.get(url)
    citizen.post(page.form, fill(page.form, answers(membres=[{"membre_prenom": "Léa", "membre_a_revenus": False}])))
    fewer = citizen.get(response.headers["location"])
    assert [c.name for c in fewer.form.controls if c.type == "file"] == ["piece_identite", "photo_identite"]


def test_a_file_field_on_a_step_is_stored_and_listed(web, citizen):
    url = citizen.go_to(SLUG, "projet", GOOD)
    page = citizen.get(url)
    assert page.form.attrs.get("enctype") == "multipart/form-data"

    response = citizen.post(page.form, fill(page.form, GOOD), action="continuer",
                            files=[("photo", ("local.png", PNG, "image/png"))])  # fmt: skip

    assert response.status_code == 303
    dossier, _, files = stored(web.url, dossier_id(url))
    assert [(f.piece_key, f.filename, f.format) for f in files] == [("photo", "local.png", "png")]
    assert dossier.answers["photo"] == [files[0].id]
    again = citizen.get(url)
    assert "local.png" in again.texts["photo-champ"]


# --- drafts -------------------------------------------------------------------------------------------------------


def test_save_and_come_back_later_resumes_at_the_saved_step(web, citizen):
    url = citizen.go_to(SLUG, "projet", GOOD)
    response = post(citizen, url, {"montant": "150000", "nombre_personnes": ""}, action="enregistrer")

    assert response.status_code == 303 and response.headers["location"].endswith("/mes-demarches")
    mine = citizen.get("/mes-demarches")
    resume = [attrs["href"] for tag, attrs in mine.elements if tag == "a" and "/dossiers/" in attrs.get("href", "")]
    assert resume == [url]
    assert "Votre projet" in mine.html
    back = citizen.get(resume[0])
    assert back.form.control("montant").value == "150 000"
    assert saved(web, url).page == "projet"


def test_save_for_later_keeps_missing_answers_for_later_but_not_wrong_ones(web, citizen):
    url = citizen.go_to(SLUG, "projet", GOOD)
    before = saved(web, url).answers

    response = post(citizen, url, {"montant": "-5", "nombre_personnes": "", "iban": ""}, action="enregistrer")

    assert response.status_code == 422
    shown = Page(response.text)
    assert shown.error_links() == ["#montant"]  # the missing ones are not errors for a draft
    assert shown.form.control("montant").value == "-5"
    assert saved(web, url).answers == before
