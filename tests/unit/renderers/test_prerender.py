"""A field drawn from its kept shape is byte for byte the field drawn by its template, whatever the usager typed.

The views come from the sample form (every field type, a block, conditional options, locked fields, files) with
random texts in every answer and random errors; the htmx URL varies too, since it names the dossier."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from markupsafe import Markup

from forms.evaluation import evaluate
from renderers import widgets
from renderers.fields_view import FieldView
from renderers.html import environment
from renderers.prerender import FieldRenderer
from renderers.uploads import UploadedFile
from renderers.views import build_page, nested
from tests.unit.renderers.sample_form import ANSWERS, FORM, RULES, TODAY

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), include_characters="<>&\"'«» \ue000\ue001"),
    max_size=12,
)
RAW_ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "nom": TEXT,
        "prenoms": TEXT,
        "projet": TEXT,
        "enfants": TEXT,
        "surface": TEXT,
        "revenus": TEXT,
        "date_naissance": st.fixed_dictionaries({"jour": TEXT, "mois": TEXT, "annee": TEXT}),
        "a_aides": st.sampled_from(["oui", "non", "", "peut-être"]),
        "aides": st.lists(st.sampled_from(["bourse", "commune", "aucune", "inconnue"]), max_size=3),
        "couleur": st.sampled_from(["c1", "c8", "", "c9"]),
        "salle": st.sampled_from(["petite", "grande", ""]),
        "engagement": st.sampled_from(["oui", ""]),
        "email": TEXT,
        "telephone": TEXT,
        "adresse": st.fixed_dictionaries(
            {
                "ligne1": TEXT,
                "ligne2": TEXT,
                "code_postal": TEXT,
                "commune": st.one_of(st.sampled_from(["noumea", ""]), TEXT),
            }
        ),
        "commune_naissance": st.sampled_from(["ile_des_pins", "Nouméa", ""]),
        "iban": TEXT,
        "ridet": TEXT,
        "membres": st.lists(
            st.fixed_dictionaries({"membre_prenom": TEXT, "membre_lien": st.sampled_from(["parent", "x"])}),
            max_size=3,
        ),
        "lieu": st.sampled_from(["mont_dore", ""]),
    },
)
FILES = {"photo": [UploadedFile("plan <1>.png", 2048, "/f/1", "/f/1/supprimer")]}


def _views(answers: dict[str, Any], errors: dict[str, list[str]], locked: tuple[str, ...]) -> list[FieldView]:
    situation = evaluate(RULES, {**ANSWERS, "a_aides": answers.get("a_aides") == "oui"}, today=TODAY)
    found: list[FieldView] = []
    for page in FORM.pages:
        view = build_page(FORM, page, situation, answers, errors, locked=locked, files=FILES, rules=RULES)
        found += nested(view.fields)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=RAW_ANSWERS,
    error_keys=st.lists(st.sampled_from(["nom", "date_naissance", "aides", "adresse", "membres.0.membre_prenom"])),
    message=TEXT,
    locked=st.sampled_from([(), ("nom", "adresse")]),
    url=st.sampled_from(["/dossiers/abc/etapes/tout/champs", "", "/d?a=1&b=<2>"]),
)
def test_a_kept_shape_draws_exactly_what_the_template_draws(answers, error_keys, message, locked, url):
    renderer = FieldRenderer(environment(), size=64)
    errors = {key: [message or "Erreur"] for key in error_keys}
    answers.update({key: ANSWERS[key] for key in locked})  # a locked answer comes from the account: canonical
    for view in _views(answers, errors, locked):
        expected = renderer.draw(view, url)
        assert renderer(view, url) == expected, view.key
        assert renderer(view, url) == expected, view.key  # drawn from the kept shape this time


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=RAW_ANSWERS,
    answers=RAW_ANSWERS,
    error_keys=st.lists(st.sampled_from(["nom", "engagement", "aides", "adresse", "membres.0.membre_prenom"])),
    locked=st.sampled_from([(), ("nom", "adresse")]),
)
def test_a_view_given_texts_on_a_kept_shape_is_the_view_built_in_full(before, answers, error_keys, locked):
    errors = {key: ["Erreur"] for key in error_keys}
    _views(before, errors, locked)  # another usager's answers went through the same shapes first
    kept = _views(answers, errors, locked)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(widgets, "_answer_shape", lambda *_: None)  # every view built attribute by attribute
        full = _views(answers, errors, locked)
    assert kept == full
    renderer = FieldRenderer(environment())
    for view, expected in zip(kept, full, strict=True):
        assert renderer(view, "/u") == renderer.draw(expected, "/u"), view.key


def test_texts_never_leak_from_one_usager_to_the_next():
    renderer = FieldRenderer(environment())
    (first,) = [v for v in _views({"nom": "Wamytan"}, {}, ()) if v.key == "nom"]
    (second,) = [v for v in _views({"nom": "Gope <b>"}, {}, ()) if v.key == "nom"]
    assert 'value="Wamytan"' in renderer(first, "/a")
    html = renderer(second, "/b")
    assert 'value="Gope &lt;b&gt;"' in html and "Wamytan" not in html
    assert isinstance(html, Markup)


def test_a_marker_typed_by_the_usager_is_only_text():
    renderer = FieldRenderer(environment())
    (view,) = [v for v in _views({"nom": "\ue0000\ue001"}, {}, ()) if v.key == "nom"]
    assert renderer(view, "/url") == renderer.draw(view, "/url")


def test_kept_shapes_are_bounded():
    renderer = FieldRenderer(environment(), size=8)
    for number in range(40):
        for view in _views({"couleur": f"c{number % 9}"}, {"nom": [f"Erreur {number}"]}, ()):
            renderer(view, "/u")
    assert len(renderer._drawn) == 8
