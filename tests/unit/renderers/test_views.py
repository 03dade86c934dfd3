"""The view-model builders and parse_page: what a step shows, and that what it posts reads back to the same answers."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from engine.catalogue import load_file
from forms.evaluation import evaluate
from forms.rules import compile_rules
from forms.validation import validate
from renderers.display import answer_lines, date_fr, item_title
from renderers.html import render
from renderers.naming import parse_page, parse_pieces
from renderers.site import Site, Theme
from renderers.views import (
    CatalogueItem,
    UploadedFile,
    build_page,
    build_pieces,
    build_receipt,
    build_summary,
    error_summary,
    group_catalogue,
    pieces_to_prepare,
    refresh_triggers,
    stepper,
)
from renderers.widgets import nested
from tests.unit.renderers.markup import parse, submitted
from tests.unit.renderers.sample_form import ANSWERS, EXPLAINED, EXPLAINED_SITUATION, FORM, RULES, TODAY

CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue"


def page(page_id):
    return next(p for p in FORM.pages if p.id == page_id)


def step_html(view):
    context = {
        "theme": Theme(), "site": Site(), "titre_dispositif": "Aide test", "page": view, "action_url": "/d/1/tout",
        "refresh_url": "/d/1/tout/champs", "back_url": "/", "csrf_token": "jeton",
    }  # fmt: skip
    return render("step.html", context)


def views_by_key(view):
    return {field.key: field for field in nested(view.fields)}


@pytest.mark.parametrize("page_id", ["tout", "foyer", "choix_unique"])
def test_what_a_step_posts_reads_back_to_the_same_answers(page_id):
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    view = build_page(FORM, page(page_id), situation, ANSWERS, {}, rules=RULES)
    form = next(f for f in parse(step_html(view)).find_all("form") if f.get("method") == "post")
    raw, action = parse_page(page(page_id), FORM, submitted(form))
    assert action == "continuer"
    assert "csrf_token" not in raw
    result = validate(RULES, {**ANSWERS, **raw}, today=TODAY, pages=[page_id])
    assert result.errors == {}
    names = {field.id for field in page(page_id).champs if field.type != "explication"}
    assert {name: result.answers.get(name) for name in names} == {name: situation.values.get(name) for name in names}


def test_the_posted_strings_of_a_page_redisplay_unchanged_after_an_error():
    posted = [
        ("csrf_token", "jeton"), ("nom", "  Wamytan "), ("revenus", "1 2OO"), ("date_naissance.jour", "31"),
        ("date_naissance.mois", "2"), ("date_naissance.annee", "2001"), ("a_aides", "oui"), ("aides", "bourse"),
        ("aides", "aucune"),
        ("engagement", "oui"), ("adresse.ligne1", "1 rue"), ("adresse.code_postal", "98 800"),
        ("adresse.commune", "noumea"), ("action", "actualiser"),
    ]  # fmt: skip
    raw, action = parse_page(page("tout"), FORM, posted)
    assert action == "actualiser"
    assert raw["date_naissance"] == {"jour": "31", "mois": "2", "annee": "2001"}
    assert raw["aides"] == ["bourse", "aucune"]
    result = validate(RULES, raw, today=TODAY, pages=["tout"])
    view = build_page(FORM, page("tout"), result.situation, raw, result.errors, rules=RULES)
    fields = views_by_key(view)
    assert fields["nom"].value == "  Wamytan "
    assert fields["revenus"].value == "1 2OO"
    assert [part.value for part in fields["date_naissance"].parts] == ["31", "2", "2001"]
    assert fields["revenus"].errors and fields["date_naissance"].errors
    assert [option.code for option in fields["aides"].options if option.checked] == ["bourse", "aucune"]
    assert fields["adresse"].parts[2].value == "98 800"
    assert ("#revenus" in dict(view.errors).values()) and ("#date_naissance-jour" in dict(view.errors).values())


def test_canonical_values_become_what_a_person_types():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    fields = views_by_key(build_page(FORM, page("tout"), situation, ANSWERS, {}, rules=RULES))
    assert fields["revenus"].value == "1 200 000"
    assert fields["revenus"].suffix == "F CFP"
    assert fields["surface"].value == "12,5"
    assert fields["telephone"].value == "77 12 34"
    assert fields["iban"].value == "FR76 3000 6000 0112 3456 7890 189"
    assert [part.value for part in fields["date_naissance"].parts] == ["3", "7", "2001"]
    assert [option.checked for option in fields["a_aides"].options] == [True, False]
    assert fields["engagement"].value == "oui"
    assert fields["couleur"].select and len(fields["couleur"].options) == 8  # more than 7: a select
    assert not fields["a_aides"].select
    assert [option.exclusive for option in fields["aides"].options] == [False, False, True]
    assert fields["projet"].maxlength == 500 and fields["projet"].count_id == "projet-compteur"


def test_stored_json_values_are_read_like_canonical_ones():
    stored = {"date_naissance": "2001-07-03", "surface": "12.5", "aides": ["bourse"], "a_aides": True}
    situation = evaluate(RULES, {"a_aides": True}, today=TODAY)
    fields = views_by_key(build_page(FORM, page("tout"), situation, stored, {}))
    assert [part.value for part in fields["date_naissance"].parts] == ["3", "7", "2001"]
    assert fields["surface"].value == "12.5"
    assert [option.code for option in fields["aides"].options if option.checked] == ["bourse"]


def test_autocomplete_tokens_are_inferred_for_the_usagers_own_data_only():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    fields = views_by_key(build_page(FORM, page("tout"), situation, ANSWERS, {}))
    assert fields["nom"].autocomplete == "family-name"  # from usager.nom_naissance
    assert fields["prenoms"].autocomplete == "given-name"
    assert fields["email"].autocomplete == "email" and fields["email"].input_type == "email"
    assert fields["telephone"].autocomplete == "tel" and fields["telephone"].input_type == "tel"
    assert [part.autocomplete for part in fields["date_naissance"].parts] == ["bday-day", "bday-month", "bday-year"]
    assert [part.autocomplete for part in fields["adresse"].parts] == [
        "address-line1", "address-line2", "postal-code", "address-level2",
    ]  # fmt: skip
    assert fields["revenus"].inputmode == "numeric" and fields["surface"].inputmode == "decimal"
    items = views_by_key(build_page(FORM, page("foyer"), situation, ANSWERS, {}))
    assert items["membres.0.membre_prenom"].autocomplete is None  # another person: never the usager's name
    assert [part.autocomplete for part in items["membres.0.membre_naissance"].parts] == [None, None, None]


def test_hidden_fields_are_not_rendered_and_optional_ones_are_marked():
    answers = {**ANSWERS, "a_aides": False}
    situation = evaluate(RULES, answers, today=TODAY)
    fields = views_by_key(build_page(FORM, page("tout"), situation, answers, {}, rules=RULES))
    assert "aides" not in fields
    assert fields["ridet"].optional and not fields["nom"].optional
    assert [option.code for option in fields["salle"].options] == ["petite"]  # option visible_si a_aides
    assert fields["salle"].options[0].aide == "20 places"


def test_locked_fields_are_text_from_the_account():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    view = build_page(FORM, page("tout"), situation, ANSWERS, {}, locked={"nom", "date_naissance"})
    fields = views_by_key(view)
    assert fields["nom"].locked and fields["nom"].display == ("Wamytan",)
    assert fields["date_naissance"].widget == "fields/_verrouille.html"
    assert fields["date_naissance"].display == ("3 juillet 2001",)


def test_a_block_lists_its_items_with_titles_and_buttons_within_min_and_max():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    view = build_page(FORM, page("foyer"), situation, ANSWERS, {})
    bloc = view.fields[0]
    assert [item.title for item in bloc.items] == ["Personne 1 — Marie", "Personne 2 — Paul"]
    assert [item.remove_action for item in bloc.items] == ["retirer:membres:0", "retirer:membres:1"]
    assert bloc.add_action == "ajouter:membres" and bloc.add_label == "Ajouter une personne"
    keys = [field.key for field in bloc.items[1].fields]
    assert "membres.1.membre_revenus" not in keys  # hidden in this item: Paul has no income
    assert "membres.0.membre_revenus" in [field.key for field in bloc.items[0].fields]
    assert [calcul.lines for calcul in view.calculs] == [("2\u202f700\u202f000\u00a0F\u00a0CFP",)]

    full = {**ANSWERS, "membres": ANSWERS["membres"] + ({"membre_prenom": "Zoé"},)}
    bloc = build_page(FORM, page("foyer"), evaluate(RULES, full, today=TODAY), full, {}).fields[0]
    assert bloc.add_action is None and bloc.max_text

    alone = {**ANSWERS, "membres": ()}
    bloc = build_page(FORM, page("foyer"), evaluate(RULES, alone, today=TODAY), alone, {}).fields[0]
    assert len(bloc.items) == 1 and bloc.items[0].remove_action is None  # min 1: one empty item, not removable


def test_a_new_item_shows_no_conditional_sub_field_until_evaluated():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    added = {**ANSWERS, "membres": [*ANSWERS["membres"], {}]}
    bloc = build_page(FORM, page("foyer"), situation, added, {}).fields[0]
    assert [field.key for field in bloc.items[2].fields][-1] == "membres.2.membre_a_revenus"


def test_refresh_triggers_are_the_answers_conditions_read():
    assert refresh_triggers(FORM, page("tout")) == {"a_aides"}  # aides, and the options of salle
    assert refresh_triggers(FORM, page("foyer")) == {"membre_a_revenus", "membre_revenus"}  # + calcul shown there
    assert refresh_triggers(FORM, page("choix_unique")) == set()


def test_a_single_question_is_the_page_heading():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    view = build_page(FORM, page("choix_unique"), situation, ANSWERS, {})
    assert view.heading_in_field and view.title == "Où habitez-vous ?" and view.fields[0].heading
    assert not view.required_notice
    many = build_page(FORM, page("tout"), situation, ANSWERS, {})
    assert not many.heading_in_field and many.title == "Toutes les questions" and many.required_notice


def test_error_summary_links_each_message_to_its_first_input_in_page_order():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    errors = {"adresse": ["Saisissez le code postal"], "nom": ["Saisissez « Nom »"], "pirate": ["Inconnu"]}
    view = build_page(FORM, page("tout"), situation, ANSWERS, errors)
    assert error_summary(errors, nested(view.fields)) == [
        ("Saisissez « Nom »", "#nom"), ("Saisissez le code postal", "#adresse-ligne1"), ("Inconnu", "#g-champs"),
    ]  # fmt: skip
    assert list(view.errors) == error_summary(errors, nested(view.fields))
    bloc_errors = {"membres": ["Ajoutez au moins 1 élément"], "membres.1.membre_naissance": ["Date incorrecte"]}
    foyer = build_page(FORM, page("foyer"), situation, ANSWERS, bloc_errors)
    assert list(foyer.errors) == [
        ("Ajoutez au moins 1 élément", "#membres-ajouter"), ("Date incorrecte", "#membres-1-membre_naissance-jour"),
    ]  # fmt: skip


def test_parse_page_reads_blocks_dates_in_blocks_and_actions():
    posted = [
        ("csrf_token", "x"), ("membres.0", ""), ("membres.0.membre_prenom", "Marie"),
        ("membres.0.membre_naissance.jour", "1"), ("membres.0.membre_naissance.mois", "1"),
        ("membres.0.membre_naissance.annee", "1970"), ("membres.1", ""), ("action", "retirer:membres:0"),
    ]  # fmt: skip
    raw, action = parse_page(page("foyer"), FORM, posted)
    assert action == "retirer:membres:0"
    assert raw == {
        "membres": [
            {"membre_prenom": "Marie", "membre_naissance": {"jour": "1", "mois": "1", "annee": "1970"}},
            {},  # an item with nothing answered yet survives, thanks to its marker
        ]
    }


def test_parse_page_returns_what_no_field_of_the_page_produces():
    posted = [
        ("nom", "A"), ("nom", "B"), ("inconnu", "1"), ("date_naissance.heure", "12"), ("info", "texte"),
        ("membres.0.nom", "x"), ("photo", "fichier.txt"),
    ]  # fmt: skip
    raw, action = parse_page(page("tout"), FORM, posted)
    assert action == "continuer"
    assert raw == {
        "nom": ["A", "B"],
        "inconnu": "1",
        "date_naissance.heure": "12",
        "info": "texte",
        "membres.0.nom": "x",
    }
    result = validate(RULES, raw, today=TODAY, pages=["tout"])
    assert {"nom", "inconnu", "date_naissance.heure", "info", "membres.0.nom"} <= set(result.errors)


def test_parse_page_refuses_forged_item_indexes():
    raw, _ = parse_page(page("foyer"), FORM, [("membres.999999.membre_prenom", "x"), ("membres.a.membre_prenom", "y")])
    assert raw == {"membres.999999.membre_prenom": "x", "membres.a.membre_prenom": "y"}
    raw, _ = parse_page(page("foyer"), FORM, [("membres.0.pirate", "x")])
    assert raw == {"membres": [{"pirate": "x"}]}
    assert "membres.0.pirate" in validate(RULES, raw, today=TODAY, pages=["foyer"]).errors


def test_summary_groups_by_section_formats_answers_and_links_each_one():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    files = {"photo": [UploadedFile("terrain.jpg", 2048, "/f/1", "/f/1/supprimer")]}
    summary = build_summary(
        FORM, situation, ANSWERS, change_url=lambda page_id, anchor: f"/{page_id}#{anchor}", locked={"nom"}, files=files
    )
    assert [section.title for section in summary.sections] == ["Vous", "Votre foyer", "Une seule question"]
    rows = {row.label: row for row in summary.sections[0].rows}
    assert rows["Vos revenus"].lines == ("1\u202f200\u202f000\u00a0F\u00a0CFP",)
    assert rows["Date de naissance"].lines == ("3 juillet 2001",)
    assert rows["Recevez-vous des aides ?"].lines == ("Oui",)
    assert rows["Lesquelles ?"].lines == ("Bourse de l'État", "Aide de la commune")
    assert rows["Adresse"].lines == ("12 rue de Sébastopol", "98800 Nouméa")
    assert rows["Commune de naissance"].lines == ("L'Île-des-Pins",)
    assert rows["Téléphone"].lines == ("77 12 34",)
    assert rows["Photo du terrain"].lines == ("terrain.jpg",)
    assert rows["Surface"].lines == ("12,5 m²",)
    assert rows["Nom de naissance"].change_url is None  # from the account: not changeable here
    assert rows["Date de naissance"].change_url == "/tout#date_naissance-jour"
    membres = summary.sections[1].rows[0]
    assert [item.title for item in membres.items] == ["Personne 1 — Marie", "Personne 2 — Paul"]
    assert membres.items[0].rows[-1].change_url == "/foyer#membres-0-membre_revenus"
    assert [row.label for row in membres.items[1].rows] == [
        "Prénom",
        "Date de naissance",
        "Lien avec vous",
        "A-t-elle des revenus ?",
    ]
    assert [(row.label, row.lines) for row in summary.calculs] == [
        ("Revenus du foyer", ("2\u202f700\u202f000\u00a0F\u00a0CFP",))
    ]
    assert [row.label for row in summary.pieces] == ["Justificatif de domicile", "Avis d'imposition de Marie"]
    assert summary.pieces[1].change_url == "/pieces#avis-0"
    assert summary.button == "Envoyer ma demande" and summary.stepper.label == "Étape 5 sur 5"


def test_skipped_optional_answers_read_not_provided():
    answers = {key: value for key, value in ANSWERS.items() if key not in ("ridet", "salle")}
    summary = build_summary(FORM, evaluate(RULES, answers, today=TODAY), answers)
    rows = {row.label: row for row in summary.sections[0].rows}
    assert rows["Numéro RIDET"].lines == () and rows["Numéro RIDET"].empty_text == "Non renseigné"
    assert rows["Salle"].change_url is None  # no change_url given: the récépissé's form


def test_stepper_counts_sections_then_pieces_and_summary():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    steps = stepper(FORM, situation, "foyer")
    assert (steps.label, steps.title, steps.next_title) == ("Étape 2 sur 5", "Votre foyer", "Une seule question")
    assert steps.names == ("Vous", "Votre foyer", "Une seule question", "Vos justificatifs", "Vérification et envoi")
    assert stepper(FORM, situation, "pieces").number == 4


def test_pieces_page_asks_each_upload_with_its_constraints_and_document_date():
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    files = {"avis.0": [UploadedFile("avis.pdf", 1_258_291, "/f/2", "/f/2/supprimer")]}
    view = build_pieces(
        FORM, situation, files=files, errors={"domicile": ["Sélectionnez un fichier"]},
        dates={"domicile": {"jour": "2", "mois": "8", "annee": "2026"}},
    )  # fmt: skip
    domicile, avis = view.pieces
    assert domicile.hint == "Formats acceptés : PDF, JPG, PNG. Taille maximale : 5 Mo."
    assert avis.hint == "Formats acceptés : PDF. Taille maximale : 5 Mo par fichier. 3 fichiers au maximum."
    assert avis.libelle == "Avis d'imposition de Marie" and avis.files[0].taille_texte == "1,2 Mo"
    assert domicile.date is not None and [part.name for part in domicile.date.parts] == [
        "domicile.date_document.jour", "domicile.date_document.mois", "domicile.date_document.annee",
    ]  # fmt: skip
    assert "moins de 3 mois" in (domicile.date.hint or "")
    assert avis.date is None and avis.accept == ".pdf,application/pdf"
    assert view.errors == (("Sélectionnez un fichier", "#domicile"),)
    dates, action = parse_pieces(situation.pieces, [("domicile.date_document.jour", "2"), ("action", "enregistrer")])
    assert dates == {"domicile": {"jour": "2"}} and action == "enregistrer"


def test_fiche_catalogue_and_receipt_builders():
    pieces = pieces_to_prepare(FORM)
    assert [piece.libelle for piece in pieces] == ["Justificatif de domicile", "Avis d'imposition de"]
    assert pieces[1].condition == "Pour chaque « Personnes du foyer » concerné(e)"
    items = [
        CatalogueItem("b", "Bourse d'études", "Pour étudier", "Éducation", "/b", False, date(2027, 8, 1)),
        CatalogueItem("a", "Aide médicale", "Soins", "Santé", "/a"),
        CatalogueItem("c", "Apprentissage", "Pour étudier", "éducation", "/c", True, None, date(2026, 10, 31)),
    ]
    groups = group_catalogue(items)
    assert [group.thematique for group in groups] == ["Éducation", "éducation", "Santé"]
    assert items[0].status == "Fermé — ouvre le 1er août 2027"
    assert items[2].status == "Ouvert jusqu'au 31 octobre 2026" and items[1].status is None
    assert [item.slug for group in group_catalogue(items, "ETUDIER") for item in group.items] == ["b", "c"]
    situation = evaluate(RULES, ANSWERS, today=TODAY)
    receipt = build_receipt(
        FORM, situation, ANSWERS, numero="PS-2026-000123", submitted_at=datetime(2026, 9, 1, 14, 5),
        dispositif="Aide test", delai="2 mois",
    )  # fmt: skip
    assert receipt.summary.sections and receipt.title == "Demande envoyée"
    assert "2 mois" in receipt.next_steps[1]


def test_french_formatting():
    assert date_fr(date(2026, 8, 1)) == "1er août 2026"
    assert date_fr(datetime(2026, 9, 1, 14, 5)) == "1er septembre 2026 à 14 h 05"
    assert date_fr("2001-07-03") == "3 juillet 2001"
    bloc = page("foyer").champs[0]
    assert item_title(FORM, bloc, 0, {"membre_prenom": "Marie"}) == "Personne 1 — Marie"
    assert item_title(FORM, bloc, 1, {}) == "Personne 2"
    surface = FORM.fields["surface"]
    assert answer_lines(FORM, surface, Decimal("1234.5")) == ("1234,5 m²",)
    assert answer_lines(FORM, FORM.fields["engagement"], None) == ()


def test_every_page_of_the_test_catalogue_builds():
    entry = load_file(CATALOGUE / "bourse_enseignement_superieur.yaml", today=TODAY).entry
    assert entry is not None
    form = entry.dispositif
    answers = {"reside_province_sud": True, "inscrit_superieur": True, "boursier_annee_precedente": True}
    situation = evaluate(entry.rules, answers, today=TODAY)
    for step in form.pages:
        view = build_page(form, step, situation, answers, {}, locked={"nom", "prenoms"}, rules=entry.rules)
        assert view.fields
    etudes = build_page(form, form.pages[2], situation, answers, {})
    assert "numero_dossier_precedent" in views_by_key(etudes)
    assert views_by_key(etudes)["boursier_annee_precedente"].refresh


def test_explications_are_text_between_questions():
    view = build_page(EXPLAINED, EXPLAINED.pages[0], EXPLAINED_SITUATION, {}, {})
    assert [(field.type, field.style) for field in view.fields[:3]] == [
        ("explication", "encadre"), ("explication", "details"), ("explication", "paragraphe"),
    ]  # fmt: skip
    assert view.heading_in_field and view.title == "Êtes-vous d'accord ?"  # explications are not questions
    assert not view.required_notice


def test_evaluate_accepts_an_explication():
    rules, _ = compile_rules(EXPLAINED)
    assert "info" not in evaluate(rules, {}, today=TODAY).hidden
