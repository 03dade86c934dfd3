"""``guichet new`` and ``guichet explain`` through the real command line, on files written in tmp_path."""

from datetime import date
from pathlib import Path

import pytest

from engine.catalogue import load_file
from engine.cli import main
from renderers.explain import WIDTH, wrap

ROOT = Path(__file__).resolve().parents[2]


def loadable_catalogue_files():
    """The catalogue files that load today: they are written by editors, so one may be mid-edit."""
    files = sorted((ROOT / "catalogue").glob("*.yaml"))
    return [path for path in files if load_file(path, today=date.today()).ok]


@pytest.fixture
def scaffold(tmp_path, capsys):
    assert main(["new", "aide_au_permis", "--dossier", str(tmp_path)]) == 0
    capsys.readouterr()
    return tmp_path / "aide_au_permis.yaml"


@pytest.mark.parametrize("slug", ["aide_au_permis", "bourse", "x_", "a1"])
def test_new_writes_a_file_that_checks_clean(tmp_path, capsys, slug):
    assert main(["new", slug, "--dossier", str(tmp_path)]) == 0
    created = tmp_path / f"{slug}.yaml"
    out = capsys.readouterr().out
    assert str(created) in out
    assert f"guichet check {created}" in out

    assert main(["check", str(created)]) == 0
    report = capsys.readouterr().out
    assert "avertissement" not in report
    assert "1/1 dispositif chargé" in report


def test_new_file_is_commented_and_named_after_the_slug(scaffold):
    text = scaffold.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema.json\n")
    assert "id: aide_au_permis" in text
    assert "titre: Aide au permis" in text
    for section in (
        "dispositif:",
        "listes:",
        "pages:",
        "calculs:",
        "pieces:",
        "recapitulatif:",
        "confirmation:",
        "instruction:",
        "courriels:",
        "cas_de_test:",
        "# campagnes:",
        "fiche:",
        "rgpd:",
    ):
        assert f"\n{section}" in text or f"\n  {section}" in text, section
    for transition in (
        "deposer",
        "prendre_en_charge",
        "demander_complements",
        "completer",
        "accepter",
        "refuser",
        "classer_sans_suite",
    ):
        assert f"- id: {transition}\n" in text, transition
    assert "delai_reponse:" in text and "a_expiration:" in text


def test_new_never_overwrites(scaffold, capsys):
    scaffold.write_text("# mon travail\n", encoding="utf-8")
    assert main(["new", "aide_au_permis", "--dossier", str(scaffold.parent)]) == 2
    assert "existe déjà" in capsys.readouterr().err
    assert scaffold.read_text(encoding="utf-8") == "# mon travail\n"


@pytest.mark.parametrize("slug", ["Aide", "aide-permis", "2aide", "aide_é", "a" * 41, "", "usager", "dossier"])
def test_new_refuses_a_bad_slug(tmp_path, capsys, slug):
    assert main(["new", slug, "--dossier", str(tmp_path)]) == 2
    assert "refusé" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_explain_reads_the_scaffold_in_french(scaffold, capsys):
    assert main(["explain", str(scaffold)]) == 0
    out = capsys.readouterr().out
    for phrase in (
        "Aide au permis (aide_au_permis, version 1)",
        "Page 1 — Vérifions que vous pouvez faire cette demande",
        "- Habitez-vous en province Sud ?",
        "oui ou non ; obligatoire",
        "affiché si « Habitez-vous en province Sud ? » vaut oui",
        "Arrêt si « Habitez-vous en province Sud ? » vaut non : Vous ne pouvez pas faire cette demande",
        "montant en francs CFP ; obligatoire ; entre 1 et 1 000 000 F CFP",
        "texte long ; facultatif ; 1000 caractères au plus",
        "choix parmi : Salarié ou salariée, Travailleur",
        "pré-rempli depuis nom de naissance (registre des usagers), non modifiable",
        "Montant retenu (montant_retenu) = le plus petit de « Montant demandé », « Plafond de l'aide »",
        "500 000 F CFP depuis le 01/01/2026",
        "demandée si « Montant demandé » est supérieur à 100 000",
        "l'usager lit « Demande reçue »",
        "commentaire obligatoire ; délai 15 jours, puis automatiquement « classer_sans_suite »",
        "Demande au-dessus du plafond (au 01/03/2026)",
    ):
        assert phrase in " ".join(out.split()), phrase
    assert all(len(line) <= WIDTH for line in out.splitlines())


def test_explain_shows_a_repeatable_block_with_its_sub_fields(tmp_path, capsys):
    source = ROOT / "tests" / "catalogue" / "bourse_enseignement_superieur.yaml"
    if not load_file(source, today=date.today()).ok:
        pytest.skip("the test catalogue's bourse does not load today")
    assert main(["explain", str(source)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "bloc répétable (de 0 à 12 éléments)" in out
    assert "une par élément de « Personne du foyer »" in out


@pytest.mark.parametrize("path", loadable_catalogue_files() or [None], ids=lambda p: p.name if p else "aucun")
def test_explain_reads_catalogue_files(path, scaffold, capsys):
    path = path or scaffold
    assert main(["explain", str(path)]) == 0
    out = capsys.readouterr().out
    flat = " ".join(out.split())
    assert "Formulaire" in out and "Instruction" in out
    assert "obligatoire" in flat
    first = load_file(path, today=date.today()).entry
    assert first is not None
    assert f"- {first.dispositif.pages[0].champs[0].libelle or ''}".strip() in flat
    assert all(len(line) <= WIDTH for line in out.splitlines())


def test_explain_prints_the_diagnostics_of_a_broken_file(scaffold, capsys):
    text = scaffold.read_text(encoding="utf-8").replace("visible_si: habite_province_sud ", "visible_si: habite_sud ")
    scaffold.write_text(text, encoding="utf-8")
    assert main(["explain", str(scaffold)]) == 1
    out = capsys.readouterr().out
    assert f"{scaffold}:" in out and "erreur E003" in out
    assert "Formulaire" not in out


def test_explain_refuses_a_missing_file(tmp_path, capsys):
    assert main(["explain", str(tmp_path / "absent.yaml")]) == 2
    assert "n'existe pas" in capsys.readouterr().err


def test_wrap_keeps_quotes_with_their_text():
    lines = wrap("x " * 45 + "« Habitez-vous en province Sud ? » ; suite", 2)
    assert all(len(line) <= WIDTH for line in lines)
    assert not any(line.rstrip().endswith("«") or line.lstrip().startswith(("»", ";")) for line in lines)
