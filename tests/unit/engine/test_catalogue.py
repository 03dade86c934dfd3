"""Catalogue loading: versions by content, a broken reload keeping the last good version, every version kept."""

from datetime import date
from pathlib import Path

import pytest

from engine.catalogue import load_catalogue, load_source
from engine.diagnostics import Severity
from renderers.texts import jinja_placeholders, simple_placeholders

ROOT = Path(__file__).resolve().parents[3]
MINIMAL = (ROOT / "tests" / "catalogue" / "bourse_enseignement_superieur.yaml").read_text(encoding="utf-8")
TODAY = date(2026, 6, 1)


def write(folder: Path, text: str) -> Path:
    path = folder / "bourse_enseignement_superieur.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_version_ignores_comments_spacing_and_key_order():
    first = load_source(MINIMAL, "bourse_enseignement_superieur.yaml", today=TODAY).entry
    reordered = MINIMAL.replace("format: 1", "# un commentaire de plus\nformat: 1   ")
    second = load_source(reordered, "bourse_enseignement_superieur.yaml", today=TODAY).entry
    assert first is not None and second is not None
    assert first.version == second.version
    assert len(first.version) == 64


def test_an_edit_gives_a_new_version_and_the_old_one_stays_retrievable(tmp_path):
    write(tmp_path, MINIMAL)
    before = load_catalogue([tmp_path], today=TODAY)
    old = before["bourse_enseignement_superieur"].version
    write(tmp_path, MINIMAL.replace("Nom de l'établissement", "Nom de votre établissement"))
    after = load_catalogue([tmp_path], today=TODAY, previous=before)
    new = after["bourse_enseignement_superieur"].version
    assert new != old
    assert after.version("bourse_enseignement_superieur", old) is before["bourse_enseignement_superieur"]
    assert after.version("bourse_enseignement_superieur", new) is after["bourse_enseignement_superieur"]


def test_a_broken_reload_keeps_serving_the_last_good_version(tmp_path):
    write(tmp_path, MINIMAL)
    good = load_catalogue([tmp_path], today=TODAY)
    write(tmp_path, MINIMAL.replace("type: oui_non", "type: oui-non", 1))
    reloaded = load_catalogue([tmp_path], today=TODAY, previous=good)
    assert not reloaded.ok
    assert [d.code for d in reloaded.diagnostics if d.severity == Severity.ERREUR] == ["S006"]
    assert reloaded["bourse_enseignement_superieur"] is good["bourse_enseignement_superieur"]


def test_a_file_named_otherwise_than_its_id_is_refused():
    result = load_source(MINIMAL, "autre_nom.yaml", today=TODAY)
    assert result.entry is None
    assert [d.code for d in result.diagnostics if d.severity == Severity.ERREUR] == ["I005"]


@pytest.mark.parametrize(
    "source",
    [
        "Bonjour {{ prenoms }}, le {{ dossier.date_depot | date }} : {{ dossier.lien }}",
        "{{montant_accorde|montant}}\n\nligne {{ transition.commentaire }}",
        "Pas de trou du tout.",
        "Deux lignes\n{{ a.b }} et {{ c }}\n{{ d | libelle }}",
        "prenoms {{ prenoms }} puis {{ dossier.numero }} et {{ dossier.lien }}",
    ],
)
def test_the_placeholder_fast_path_reads_what_jinja_reads(source):
    fast = simple_placeholders(source)
    assert fast is not None

    def names(found):
        return sorted((p.root, p.attribute, p.line, p.column) for p in found if p.root)

    def filters(found):
        return sorted((p.filter, p.line, p.filter_column) for p in found if p.filter)

    assert names(fast) == names(jinja_placeholders(source))
    assert filters(fast) == filters(jinja_placeholders(source))


def test_names_a_template_defines_itself_are_not_read():
    found = jinja_placeholders("{% for l in lignes %}{{ l.nature }}{% endfor %}{% set x = 1 %}{{ x }}")
    assert [(p.root, p.attribute) for p in found if p.root] == [("lignes", None)]


@pytest.mark.parametrize("source", ["{% if a %}x{% endif %}", "{{ a + b }}", "{{ a }", "{# note #}{{ a }}"])
def test_anything_else_goes_to_jinja(source):
    assert simple_placeholders(source) is None
