"""The load-time checker against tests/catalogue/: minimal.yaml loads without a word, and each broken/*.yaml (one
mistake in a copy of minimal.yaml) reports its diagnostic where an editor has to fix it.

The first line of a broken file states what it expects::

    # attendu: E003 31:28 suggestion: motif — nom inconnu dans visible_si
    # attendu: A003 27:15 avertissement — aide avec un lien

(code, 1-based line:column, ``avertissement`` for a warning, the name a « Vouliez-vous dire » must offer). The place
is the one an editor wants: the offending key or value, or the exact name inside an expression or a text.

Every broken file is named ``<code>_<what>.yaml``, which is not a valid id: each one also gets I005 (file name ≠ id),
which the checks below set aside except in I005's own fixture.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from engine.catalogue import load_file, load_source
from engine.cli import main
from engine.diagnostics import Diagnostic, Severity, format_report

CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue"
MINIMAL = CATALOGUE / "minimal.yaml"
BROKEN = sorted((CATALOGUE / "broken").glob("*.yaml"))
TODAY = date(2026, 6, 1)

_HEADER = re.compile(
    r"# attendu: (?P<code>[A-Z]\d{3}) (?P<line>\d+):(?P<column>\d+)(?P<warning> avertissement)?"
    r"(?: suggestion: (?P<suggestion>\S+))? — (?P<what>.+)"
)

# Known checker bugs, by fixture. The marks are strict: once the checker is fixed the case passes, the xfail fails,
# and the entry must go.
WRONG_PLACE = {
    # the expected diagnostic is missing, has another code, or is reported elsewhere
    "E002_power": "E002 for ** points at the start of the BinOp (left operand), not at the refused operator",
    "I004_duplicate_code_long_form": "long-form list without aide/visible_si taken for a short one: points at the list",
    "R006_template_syntax": "template syntax errors are reported at column 0 of the line (and in English words)",
}
EXTRA = {
    # the file reports more (or less, or other) than the one diagnostic of its one mistake
}


@dataclass(frozen=True)
class Expected:
    code: str
    line: int
    column: int
    warning: bool
    suggestion: str | None
    what: str


def expected_of(path: Path) -> Expected:
    # bytes: one fixture is deliberately not UTF-8 after its first line
    header = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    match = _HEADER.fullmatch(header)
    assert match, f"{path.name}: first line must be « # attendu: CODE ligne:colonne — … », not {header!r}"
    return Expected(
        match["code"],
        int(match["line"]),
        int(match["column"]),
        match["warning"] is not None,
        match["suggestion"],
        match["what"],
    )


def _cases(known: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            path,
            id=path.stem,
            marks=[pytest.mark.xfail(strict=True, reason=known[path.stem])] if path.stem in known else [],
        )
        for path in BROKEN
    ]


def _report(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic], path: str, source: str) -> str:
    return format_report(diagnostics, {path: source})


def _relevant(diagnostics: tuple[Diagnostic, ...], expected: Expected) -> list[Diagnostic]:
    """The diagnostics about the fixture's mistake: all but the I005 that its file name brings."""
    return [d for d in diagnostics if d.code != "I005" or expected.code == "I005"]


def test_there_are_enough_fixtures_and_their_names_say_their_code():
    assert len(BROKEN) >= 45
    for path in BROKEN:
        expected = expected_of(path)
        assert path.stem.startswith(f"{expected.code}_"), path.name


def test_minimal_loads_without_any_diagnostic():
    result = load_file(MINIMAL, today=TODAY)
    assert result.diagnostics == (), _report(result.diagnostics, result.path, result.source)
    assert result.entry is not None
    assert result.entry.slug == "minimal"


@pytest.mark.parametrize("path", _cases(WRONG_PLACE))
def test_broken_fixture_reports_its_diagnostic_at_the_place_to_fix(path):
    expected = expected_of(path)
    result = load_file(path, today=TODAY)
    report = _report(result.diagnostics, result.path, result.source)
    found = [
        d for d in result.diagnostics if (d.code, d.line, d.column) == (expected.code, expected.line, expected.column)
    ]
    assert found, f"attendu {expected.code} {expected.line}:{expected.column}, obtenu :\n{report}"
    diagnostic = found[0]
    assert diagnostic.severity == (Severity.AVERTISSEMENT if expected.warning else Severity.ERREUR), report
    assert diagnostic.message.strip(), report
    if expected.suggestion:
        assert f"Vouliez-vous dire « {expected.suggestion} » ?" == diagnostic.suggestion, report
    if not expected.warning:
        assert result.entry is None


@pytest.mark.parametrize("path", _cases(EXTRA))
def test_broken_fixture_has_one_mistake_and_one_diagnostic(path):
    expected = expected_of(path)
    result = load_file(path, today=TODAY)
    relevant = _relevant(result.diagnostics, expected)
    assert [d.code for d in relevant] == [expected.code], _report(relevant, result.path, result.source)


@pytest.mark.parametrize("path", [p for p in BROKEN if expected_of(p).warning], ids=lambda p: p.stem)
def test_a_warning_does_not_stop_the_file_from_loading(path):
    # Under its id's name the same text has no I005: the warning alone must let it load.
    source = path.read_text(encoding="utf-8")
    result = load_source(source, str(path.with_name("minimal.yaml")), today=TODAY)
    assert result.entry is not None, _report(result.diagnostics, result.path, result.source)
    assert {d.severity for d in result.diagnostics} == {Severity.AVERTISSEMENT}


def test_human_report_shows_the_line_the_caret_and_the_suggestion():
    path = CATALOGUE / "broken" / "S003_unknown_key_meta.yaml"
    result = load_file(path, today=TODAY)
    assert format_report(result.diagnostics, {result.path: result.source}) == (
        f"{path}:12:3: erreur S003 : clé inconnue « duree_estime »\n"
        "  12 |   duree_estime: 10 minutes\n"
        "     |   ^^^^^^^^^^^^\n"
        "     Vouliez-vous dire « duree_estimee » ?\n"
        "\n"
        "1 erreur"
    )


def test_human_report_carets_point_into_expressions():
    path = CATALOGUE / "broken" / "E003_unknown_name_visible_si.yaml"
    result = load_file(path, today=TODAY)
    diagnostics = [d for d in result.diagnostics if d.code != "I005"]
    assert format_report(diagnostics, {result.path: result.source}) == (
        f"{path}:31:28: erreur E003 : « motifs » n'existe pas\n"
        "  31 |         visible_si: rempli(motifs)\n"
        "     |                            ^^^^^^\n"
        "     Vouliez-vous dire « motif » ?\n"
        "\n"
        "1 erreur"
    )
    block = CATALOGUE / "broken" / "E003_in_block_scalar.yaml"
    result = load_file(block, today=TODAY)
    diagnostics = [d for d in result.diagnostics if d.code != "I005"]
    assert format_report(diagnostics, {result.path: result.source}) == (
        f"{block}:55:11: erreur E003 : « plafond_aide » n'existe pas\n"
        "  55 |           plafond_aide)\n"
        "     |           ^^^^^^^^^^^^\n"
        "\n"
        "1 erreur"
    )


def _minimal_with(*edits: tuple[str, str]) -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        pytest.param(
            (
                ("  titre: Demande minimale\n", "  titre: 2026\n"),
                ("  conservation: 1 an\n", "  conservation: 5 annees\n"),
                ("    traite: {libelle: Traité, final: oui}\n", "    traite: {libelle: Traité, finale: oui}\n"),
            ),
            [("S005", 7, 10), ("S006", 18, 19), ("S003", 39, 31)],
            id="structure",
        ),
        pytest.param(
            (
                ("        longueur_max: 200\n", "        longueur_max: 200\n        prerempli: usager.prenom\n"),
                (
                    "        libelle: Montant demandé\n",
                    "        libelle: Montant demandé\n        visible_si: rempli(motifs)\n",
                ),
                ("      par: instructeur\n", "      par: instructeurs\n"),
            ),
            [("R002", 28, 20), ("E003", 32, 28), ("R004", 50, 12)],
            id="semantics",
        ),
    ],
)
def test_three_independent_mistakes_are_reported_at_once(edits, expected):
    result = load_source(_minimal_with(*edits), "tests/catalogue/minimal.yaml", today=TODAY)
    found = [(d.code, d.line, d.column) for d in result.diagnostics]
    assert found == expected, _report(result.diagnostics, result.path, result.source)
    assert result.entry is None


def test_check_command_writes_json_and_fails(capsys):
    path = CATALOGUE / "broken" / "S006_bad_duration.yaml"
    code = main(["check", "--format", "json", "--date", "2026-06-01", str(path)])
    assert code == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert payload["fichiers"] == [{"chemin": str(path), "ok": False, "version": None}]
    assert payload["diagnostics"] == [
        {
            "path": str(path),
            "line": 18,
            "column": 19,
            "end_column": 27,
            "code": "S006",
            "severity": "erreur",
            "message": "durée « 5 annees » non comprise : écrivez par exemple « 3 mois », « 1 an » ou « 15 jours »",
            "suggestion": "Vouliez-vous dire « années » ?",
        }
    ]


def test_check_command_accepts_minimal(capsys):
    assert main(["check", "--format", "json", "--date", "2026-06-01", str(MINIMAL)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True
    assert payload["diagnostics"] == []
