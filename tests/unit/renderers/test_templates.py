"""Every template rendered with a realistic context, then read back as HTML: the rules of FORMAT §3 the renderer
must enforce (labels, fieldsets, aria links, error summary, no inline script or style, pinned htmx)."""

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from engine.catalogue import load_file
from forms.evaluation import evaluate
from renderers.html import HTMX_FILE, STATIC, TEMPLATES, render
from renderers.site import Site, Theme
from renderers.views import (
    CampagneView,
    CatalogueItem,
    DossierRow,
    FicheView,
    UploadedFile,
    build_page,
    build_pieces,
    build_receipt,
    build_summary,
    group_catalogue,
    pieces_to_prepare,
)
from tests.unit.renderers.markup import Element, parse
from tests.unit.renderers.sample_form import ANSWERS, EXPLAINED, EXPLAINED_SITUATION, FORM, RULES, TODAY

FRAME = {"theme": Theme(logo_url="/static/logo.svg"), "site": Site()}
LABELLED = ("input", "select", "textarea")
SITUATION = evaluate(RULES, ANSWERS, today=TODAY)
FILES = {
    "photo": [UploadedFile("terrain.jpg", 20_000, "/f/1", "/f/1/supprimer")],
    "avis.0": [UploadedFile("avis <2025>.pdf", 1_258_291, "/f/2", "/f/2/supprimer")],
}


def step(page_id, errors=None, locked=()):
    page = next(p for p in FORM.pages if p.id == page_id)
    view = build_page(FORM, page, SITUATION, ANSWERS, errors or {}, locked=locked, files=FILES, rules=RULES)
    return {
        **FRAME, "titre_dispositif": "Aide test", "page": view, "action_url": f"/d/1/{page_id}",
        "refresh_url": f"/d/1/{page_id}/champs", "back_url": "/", "csrf_token": "jeton",
    }  # fmt: skip


ERRORS = {
    "nom": ["Saisissez « Nom de naissance »"],
    "date_naissance": ["« Date de naissance » doit être une date réelle"],
    "a_aides": ["Répondez oui ou non"],
    "aides": ["Sélectionnez au moins une réponse"],
    "couleur": ["Sélectionnez une réponse"],
    "engagement": ["Cochez la case"],
    "adresse": ["Saisissez la ligne 1", "Saisissez le code postal"],
    "projet": ["Trop long"],
    "photo": ["Le fichier est trop gros"],
    "revenus": ["« Vos revenus » doit être un montant"],
    "pirate": ["Cette réponse ne correspond à aucune question du formulaire : « pirate »"],
}

FICHE = FicheView(
    titre="Aide test", resume="Une aide <fictive>.", thematique="Éducation", public="Les étudiants.",
    conditions="Résider en Province Sud.\n\nAvoir moins de 28 ans.", pieces=pieces_to_prepare(FORM),
    service="Service des bourses", contact="bourses@exemple.nc", delai="2 mois", duree_estimee="20 minutes",
    campagnes=(CampagneView(date(2026, 8, 1), date(2026, 10, 31)),), avant_de_commencer="Préparez\nvos pièces.",
    rgpd_finalite="instruire",
)  # fmt: skip
CATALOGUE = (
    CatalogueItem("aide", "Aide test", "Une aide.", "Éducation", "/aide", True, None, date(2026, 10, 31)),
    CatalogueItem("permis", "Permis de chasser", "Chasser.", "Environnement", "/permis", False, date(2027, 1, 1)),
)
FORM_PAGE = {"titre_dispositif": "Aide test", "back_url": "/", "csrf_token": "jeton"}


def explained():
    view = build_page(EXPLAINED, EXPLAINED.pages[0], EXPLAINED_SITUATION, {}, {"accord": ["Répondez oui ou non"]})
    return {**step("choix_unique"), "page": view}


def home(q):
    return {**FRAME, "q": q, "groups": group_catalogue(CATALOGUE, q), "search_url": "/"}


def fiche(**changes):
    return {**FRAME, "fiche": replace(FICHE, **changes), "start_url": "/aide/demarrer", "csrf_token": "jeton"}


def pieces():
    errors = {"domicile": ["Sélectionnez un fichier"], "domicile.date_document": ["Date incorrecte"]}
    view = build_pieces(FORM, SITUATION, files=FILES, errors=errors)
    return {**FRAME, **FORM_PAGE, "pieces": view, "action_url": "/d/1/pieces"}


def summary():
    view = build_summary(
        FORM, SITUATION, ANSWERS, change_url=lambda p, a: f"/d/1/{p}?retour=recapitulatif#{a}", files=FILES
    )
    errors = [("Cochez la déclaration", "#declaration")]
    return {
        **FRAME, **FORM_PAGE, "summary": view, "action_url": "/d/1/envoyer", "errors": errors,
        "declaration_error": "Cochez la déclaration",
    }  # fmt: skip


def receipt():
    view = build_receipt(
        FORM, SITUATION, ANSWERS, numero="PS-2026-000123", submitted_at=datetime(2026, 9, 1, 14, 5),
        dispositif="Aide test", files=FILES, email="lea@exemple.nc", delai="2 mois",
    )  # fmt: skip
    return {**FRAME, "receipt": view}


def my_dossiers(empty=False):
    draft = DossierRow("Aide test", "/d/1/foyer", "Brouillon", updated_at=datetime(2026, 9, 1, 9, 0), step="Foyer")
    sent = DossierRow("Permis", "/d/2", "Reçu", False, "PS-2026-000001", submitted_at=datetime(2026, 8, 2, 10, 0))
    return {**FRAME, "drafts": [] if empty else [draft], "submitted": [] if empty else [sent]}


def stop():
    texts = {"titre": "Vous ne pouvez pas demander cette aide", "texte": "Réservée.\n\nÉcrivez-nous."}
    return {**FRAME, **FORM_PAGE, **texts}


CASES = {
    "home": ("home.html", home("")),
    "home-search": ("home.html", {**home("xyz"), "q": "chasse <b>"}),
    "fiche": ("fiche.html", fiche()),
    "fiche-fermee": ("fiche.html", fiche(is_open=False, opens_on=date(2027, 8, 1))),
    "step": ("step.html", step("tout", locked={"nom"})),
    "step-errors": ("step.html", step("tout", ERRORS)),
    "step-block": ("step.html", step("foyer", {"membres.1.membre_naissance": ["Incorrecte"], "membres": ["Trop"]})),
    "step-single": ("step.html", step("choix_unique", {"lieu": ["Sélectionnez une commune"]})),
    "step-explained": ("step.html", explained()),
    "stop": ("stop.html", stop()),
    "pieces": ("pieces.html", pieces()),
    "summary": ("summary.html", summary()),
    "receipt": ("receipt.html", receipt()),
    "my_dossiers": ("my_dossiers.html", my_dossiers()),
    "my_dossiers-empty": ("my_dossiers.html", my_dossiers(empty=True)),
    **{
        f"error-{code}": ("error.html", {**FRAME, "status_code": code, "detail": None})
        for code in (403, 404, 409, 413, 500)
    },
}


@pytest.fixture(scope="module", params=sorted(CASES))
def page(request):
    name, context = CASES[request.param]
    html = render(name, context)
    return request.param, html, parse(html)


def by_id(root: Element) -> dict[str, Element]:
    found: dict[str, Element] = {}
    for element in root.iter():
        if element.get("id") is not None:
            assert element.get("id") not in found, f"id « {element.get('id')} » twice"
            found[element.get("id") or ""] = element
    return found


def test_ids_are_unique_and_aria_references_exist(page):
    _, _, root = page
    ids = by_id(root)
    for element in root.iter():
        for attribute in ("aria-describedby", "aria-labelledby"):
            for target in (element.get(attribute) or "").split():
                assert target in ids, f"<{element.tag} {attribute}> names missing « {target} »"
        if element.tag == "label" and element.get("for"):
            assert ids[element.get("for") or ""].tag in LABELLED


def test_every_input_has_a_label_or_a_legend(page):
    _, _, root = page
    labelled = {element.get("for") for element in root.find_all("label")}
    for element in root.iter():
        if element.tag not in LABELLED or element.get("type") in ("hidden", "submit"):
            continue
        in_legend_fieldset = any(
            ancestor.tag == "fieldset" and any(child.tag == "legend" for child in ancestor.iter())
            for ancestor in element.ancestors()
        )
        assert element.get("id") in labelled or in_legend_fieldset, f"<{element.tag} name={element.get('name')}>"
        assert element.get("id") in labelled or element.get("type") in ("radio", "checkbox"), element.attrs


def test_no_inline_script_or_style_and_htmx_pinned(page):
    _, html, root = page
    assert not root.find_all("style")
    for element in root.iter():
        assert "style" not in element.attrs, element.tag
        assert not any(name.startswith("on") for name in element.attrs), element.attrs
    scripts = root.find_all("script")
    assert all(script.get("src") and not script.text().strip() for script in scripts)
    assert [script.get("src") for script in scripts] == ["/static/htmx-2.0.4.min.js", "/static/guichet.js"]
    assert (STATIC / HTMX_FILE).is_file() and HTMX_FILE == "htmx-2.0.4.min.js"
    assert 'version:"2.0.4"' in (STATIC / HTMX_FILE).read_text(encoding="utf-8")
    assert "javascript:" not in html


def test_page_frame_lang_title_landmarks_and_one_h1(page):
    name, _, root = page
    assert root.find_all("html")[0].get("lang") == "fr"
    assert len(root.find_all("h1")) == 1
    assert len(root.find_all("main")) == 1 and root.find_all("main")[0].get("id") == "g-contenu"
    skip = root.find_all("a")[0]
    assert skip.get("href") == "#g-contenu" and skip.text() == "Aller au contenu"
    footer = root.find_all("footer")[0].text()
    assert "Données personnelles" in footer and "Accessibilité" in footer
    title = root.find_all("title")[0].text()
    has_errors = bool(root.find_all("div") and [d for d in root.find_all("div") if d.get("role") == "alert"])
    assert title.startswith("Erreur : ") == has_errors, title
    meta = [meta for meta in root.find_all("meta") if meta.get("name") == "htmx-config"][0]
    config = json.loads(meta.get("content") or "")
    assert {"code": "422", "swap": True} in config["responseHandling"]  # htmx 2 swaps no 4xx unless told
    assert config["responseHandling"].index({"code": "422", "swap": True}) < 3  # before the generic [45].. rule
    assert (config["includeIndicatorStyles"], config["allowEval"], config["historyCacheSize"]) == (False, False, 0)


def test_forms_post_with_csrf_and_no_browser_validation(page):
    _, _, root = page
    for form in root.find_all("form"):
        assert not any("required" in element.attrs for element in form.iter())
        if form.get("method") == "post":
            assert "novalidate" in form.attrs
            hidden = [i for i in form.find_all("input") if i.get("name") == "csrf_token"]
            assert len(hidden) == 1 and hidden[0].get("value")
        else:
            assert form.get("method") == "get" and form.get("role") == "search"


def test_error_summary_links_to_existing_inputs(page):
    _, _, root = page
    ids = by_id(root)
    summaries = [div for div in root.find_all("div") if div.get("role") == "alert"]
    for summary in summaries:
        heading = summary.find_all("h2")[0]
        assert "autofocus" in heading.attrs and heading.get("tabindex") == "-1"
        for link in summary.find_all("a"):
            assert (link.get("href") or "").startswith("#") and (link.get("href") or "")[1:] in ids


def test_errors_are_marked_next_to_their_fields():
    root = parse(render("step.html", step("tout", ERRORS)))
    ids = by_id(root)
    messages = [p for p in root.find_all("p") if "erreur" in (p.get("class") or "").split()]
    assert len(messages) == 10  # one per field with errors, the unknown name only in the summary
    for message in messages:
        assert message.find_all("span")[0].text() == "Erreur :"
    assert ids["nom"].get("aria-invalid") == "true" and "nom-erreur" in (ids["nom"].get("aria-describedby") or "")
    for part in ("jour", "mois", "annee"):
        assert ids[f"date_naissance-{part}"].get("aria-invalid") == "true"
    fieldset = ids["date_naissance-champ"].find_all("fieldset")[0]
    assert fieldset.get("aria-describedby") == "date_naissance-aide date_naissance-erreur"
    assert "champ-erreur" in (ids["adresse-champ"].get("class") or "")
    assert "Saisissez le code postal" in ids["adresse-erreur"].text()
    assert ids["revenus"].get("aria-describedby") == "revenus-aide revenus-unite revenus-erreur"
    alert = [d for d in root.find_all("div") if d.get("role") == "alert"][0]
    assert [a.get("href") for a in alert.find_all("a")][:3] == ["#nom", "#projet", "#revenus"]


def test_widgets_use_the_native_inputs_of_their_type():
    root = parse(render("step.html", step("tout")))
    ids = by_id(root)
    assert ids["email"].get("type") == "email" and ids["email"].get("autocomplete") == "email"
    assert ids["telephone"].get("type") == "tel" and ids["telephone"].get("autocomplete") == "tel"
    assert ids["revenus"].get("inputmode") == "numeric" and ids["revenus"].get("type") == "text"
    assert ids["revenus-unite"].text() == "F CFP"
    assert ids["couleur"].tag == "select" and ids["commune_naissance"].tag == "select"
    assert [o.get("value") for o in ids["commune_naissance"].find_all("option")][:2] == ["", "belep"]
    assert ids["a_aides"].get("type") == "radio" and ids["aides"].get("type") == "checkbox"
    assert ids["engagement"].get("type") == "checkbox" and "checked" in ids["engagement"].attrs
    assert ids["projet"].tag == "textarea" and ids["projet"].get("data-max") == "500"
    assert "maxlength" not in ids["projet"].attrs and ids["projet-compteur"].text().startswith("Vous pouvez saisir")
    assert ids["photo"].get("type") == "file" and "multiple" in ids["photo"].attrs
    assert ids["photo"].get("accept") == ".jpg,.jpeg,image/jpeg,.png,image/png"
    delete = [b for b in ids["photo-champ"].find_all("button") if b.get("formaction")]
    assert delete[0].get("formaction") == "/f/1/supprimer" and "terrain.jpg" in delete[0].text()
    jour = ids["date_naissance-jour"]
    assert jour.get("inputmode") == "numeric" and jour.get("value") == "3"
    assert [label.text() for label in ids["date_naissance-champ"].find_all("label")] == ["Jour", "Mois", "Année"]
    assert ids["date_naissance-aide"].text() == "Par exemple : 27 3 2007"
    assert ids["a_aides-champ"].get("hx-post") == "/d/1/tout/champs"
    assert ids["a_aides-champ"].get("hx-target") == "#g-champs" and ids["a_aides-champ"].get("hx-select") == "#g-champs"
    assert ids["nom-champ"].get("hx-post") is None
    buttons = root.find_all("button")
    assert buttons[0].get("value") == "continuer"  # Enter in a field means Continuer, never Ajouter or Retirer
    assert [b.get("value") for b in buttons if b.get("value") == "actualiser"] == ["actualiser"]
    texts = [b.text() for b in buttons]
    assert "Continuer" in texts and "Enregistrer et reprendre plus tard" in texts
    form = [f for f in root.find_all("form")][0]
    assert form.get("enctype") == "multipart/form-data" and form.get("hx-boost") == "true"
    assert "Tous les champs sont obligatoires sauf mention (optionnel)." in root.text()


def test_locked_field_shows_text_from_the_account_without_an_input():
    root = parse(render("step.html", step("tout", locked={"nom"})))
    ids = by_id(root)
    assert ids["nom"].tag == "p" and "Issu de votre compte" in ids["nom-champ"].text()
    assert not [i for i in root.find_all("input") if i.get("name") == "nom"]


def test_block_items_are_fieldsets_with_titles_and_buttons():
    root = parse(render("step.html", step("foyer")))
    ids = by_id(root)
    legends = [
        legend.text() for legend in ids["membres"].find_all("legend") if "element-titre" in (legend.get("class") or "")
    ]
    assert legends == ["Personne 1 — Marie", "Personne 2 — Paul"]
    assert ids["membres-ajouter"].text() == "Ajouter une personne"
    remove = [b for b in ids["membres"].find_all("button") if (b.get("value") or "").startswith("retirer:")]
    assert [b.text() for b in remove] == ["Retirer Personne 1 — Marie", "Retirer Personne 2 — Paul"]
    assert ids["membres-1-membre_naissance-annee"].get("name") == "membres.1.membre_naissance.annee"
    assert "Revenus du foyer" in root.text()


def test_single_question_is_the_h1_inside_its_label():
    root = parse(render("step.html", step("choix_unique")))
    h1 = root.find_all("h1")[0]
    assert h1.find_all("label")[0].get("for") == "lieu" and "Où habitez-vous ?" in h1.text()
    assert root.find_all("title")[0].text().startswith("Où habitez-vous ?")


def test_fields_fragment_renders_alone_for_htmx():
    context = step("foyer")
    root = parse(render("_fields.html", {"page": context["page"], "refresh_url": context["refresh_url"]}))
    container = root.find_all("div")[0]
    assert container.get("id") == "g-champs"
    assert [i for i in root.find_all("input") if i.get("name") == "membres.0.membre_prenom"]


def test_summary_and_receipt_show_answers_with_named_change_links():
    _, context = CASES["summary"]
    root = parse(render("summary.html", context))
    links = [a for a in root.find_all("a") if a.text().startswith("Modifier")]
    assert links and all(a.find_all("span")[0].get("class") == "sr-only" for a in links)
    assert "Modifier : Vos revenus" in [a.text() for a in links]
    assert [b.text() for b in root.find_all("button")][-1] == "Envoyer ma demande"
    receipt = parse(render("receipt.html", CASES["receipt"][1]))
    assert "PS-2026-000123" in receipt.text() and "1er septembre 2026 à 14 h 05" in receipt.text()
    assert not [a for a in receipt.find_all("a") if a.text().startswith("Modifier")]
    assert "avis <2025>.pdf" in receipt.text()  # escaped in the HTML, read back as text
    printing = [b for b in receipt.find_all("button") if "js-imprimer" in (b.get("class") or "")]
    assert printing and "hidden" in printing[0].attrs  # guichet.js shows it; without JS the hint says how


def test_home_groups_by_thematique_and_marks_closed_ones():
    root = parse(render("home.html", CASES["home"][1]))
    assert [h2.text() for h2 in root.find_all("h2")] == ["Éducation", "Environnement"]
    assert "Fermé — ouvre le 1er janvier 2027" in root.text()
    search = parse(render("home.html", CASES["home-search"][1]))
    assert "0 démarche pour « chasse <b> »" in search.text() and not search.find_all("b")


def test_fiche_lists_pieces_and_starts_with_a_post():
    root = parse(render("fiche.html", CASES["fiche"][1]))
    text = root.text()
    for expected in ("Qui peut en bénéficier", "Pièces à préparer", "Formats acceptés : PDF, JPG, PNG.", "20 minutes",
                     "du 1er août 2026 au 31 octobre 2026", "2 mois"):  # fmt: skip
        assert expected in text
    form = root.find_all("form")[0]
    assert form.get("method") == "post" and form.find_all("button")[0].text() == "Faire la démarche"
    closed = parse(render("fiche.html", CASES["fiche-fermee"][1]))
    assert not closed.find_all("form") and "elle ouvrira le 1er août 2027" in closed.text()


def test_pieces_page_is_a_multipart_form_with_document_dates():
    root = parse(render("pieces.html", CASES["pieces"][1]))
    ids = by_id(root)
    assert root.find_all("form")[0].get("enctype") == "multipart/form-data"
    assert ids["domicile"].get("type") == "file" and ids["domicile-aide"].text().strip().startswith("Formats acceptés")
    assert ids["domicile-date_document-jour"].get("name") == "domicile.date_document.jour"
    assert ids["avis-0"].get("name") == "avis.0" and "multiple" in ids["avis-0"].attrs
    assert "avis <2025>.pdf" in ids["avis-0-piece"].text()


def test_theme_css_sets_the_custom_properties():
    css = render("theme.css", {"theme": Theme(primary="#123456")})
    assert "--couleur-principale: #123456;" in css
    with pytest.raises(ValueError):
        Theme(primary="red; } body { display: none")


def test_every_template_documents_its_context():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            assert path.read_text(encoding="utf-8").lstrip().startswith("{#"), path.name
    for path in (STATIC / "guichet.css", STATIC / "guichet.js", STATIC / "htmx-2.0.4.LICENSE.txt"):
        assert path.is_file()


def test_autoescape_is_on_for_answers():
    answers = {**ANSWERS, "prenoms": '<script>alert("x")</script>'}
    page = FORM.pages[0]
    view = build_page(FORM, page, evaluate(RULES, answers, today=TODAY), answers, {})
    html = render("step.html", {**step("tout"), "page": view})
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_static_files_respect_the_csp():
    css = (STATIC / "guichet.css").read_text(encoding="utf-8")
    assert "@media print" in css and "min-height: var(--cible)" in css and "outline: 3px solid" in css
    js = (STATIC / "guichet.js").read_text(encoding="utf-8")
    assert "eval(" not in js and "innerHTML" not in js
    assert Path(STATIC / "htmx-2.0.4.LICENSE.txt").read_text(encoding="utf-8").startswith("Zero-Clause BSD")


def test_explications_render_as_box_details_and_paragraph():
    root = parse(render("step.html", explained()))
    ids = by_id(root)
    assert "encadre" in (ids["info-champ"].get("class") or "")
    assert [p.text() for p in ids["info-champ"].find_all("p")] == ["Important", "Lisez bien.", "Deuxième paragraphe."]
    assert ids["plus-champ"].tag == "details" and ids["plus-champ"].find_all("summary")[0].text() == "En savoir plus"
    assert ids["simple-champ"].text().strip() == "Un paragraphe."
    assert root.find_all("h1")[0].parent is not None and root.find_all("h1")[0].parent.tag == "legend"


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[3] / "catalogue").glob("*.yaml")), ids=str)
def test_every_page_of_every_catalogue_dispositif_renders_accessibly(path):
    entry = load_file(path, today=TODAY).entry
    assert entry is not None
    form = entry.dispositif
    situation = evaluate(entry.rules, {}, today=TODAY, through_stops=True)
    for number, page in enumerate(form.pages):
        errors = {field.id: ["Message"] for field in page.champs}
        view = build_page(form, page, situation, {}, errors if number % 2 else {}, rules=entry.rules)
        context = {**step("tout"), "page": view, "titre_dispositif": form.dispositif.titre}
        root = parse(render("step.html", context))
        ids = by_id(root)
        labelled = {label.get("for") for label in root.find_all("label")}
        for element in root.iter():
            for target in (element.get("aria-describedby") or "").split():
                assert target in ids, (page.id, target)
            if element.tag in LABELLED and element.get("type") not in ("hidden", "submit"):
                assert element.get("id") in labelled, (page.id, element.attrs)
        alerts = [div for div in root.find_all("div") if div.get("role") == "alert"]
        for link in alerts[0].find_all("a") if alerts else []:
            assert (link.get("href") or "#")[1:] in ids, (page.id, link.get("href"))
    summary_view = build_summary(form, situation, {}, change_url=lambda p, a: f"/{p}#{a}")
    parse(render("summary.html", {**summary(), "summary": summary_view}))
    parse(render("pieces.html", {**pieces(), "pieces": build_pieces(form, situation)}))
