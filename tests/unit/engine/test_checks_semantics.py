"""Checker behaviour that a one-mistake fixture cannot show: texts that are right and must stay silent, and a warning
that depends on how an expression is spaced."""

from datetime import date
from pathlib import Path

import pytest

from engine.catalogue import load_source
from engine.diagnostics import format_report

MINIMAL = Path(__file__).resolve().parents[2] / "catalogue" / "minimal.yaml"
TODAY = date(2026, 6, 1)


def _load(*edits: tuple[str, str], append: str = ""):
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return load_source(text + append, "tests/catalogue/minimal.yaml", today=TODAY)


def _with_courriel(corps: str):
    return _load(
        ("      par: usager\n", "      par: usager\n      courriel: accuse_reception\n"),
        append=f"\ncourriels:\n  accuse_reception:\n    objet: Demande reçue\n    corps: |\n      {corps}\n",
    )


def test_a_known_placeholder_and_filter_are_accepted():
    result = _with_courriel("Vous demandez {{ montant_demande | montant }} pour {{ motif }} ({{ dossier.numero }}).")
    assert result.diagnostics == (), format_report(result.diagnostics, {result.path: result.source})


def test_a_loop_variable_is_not_an_unknown_name():
    result = _with_courriel("{% for n in [1, 2] %}Relance {{ n }}. {% endfor %}")
    assert result.diagnostics == (), format_report(result.diagnostics, {result.path: result.source})


def test_a_set_variable_is_not_an_unknown_name():
    result = _with_courriel("{% set total = montant_demande %}Total : {{ total | montant }}")
    assert result.diagnostics == (), format_report(result.diagnostics, {result.path: result.source})


_AGENT_FIELD = (
    "  etats:\n",
    "  champs_agent:\n    - id: avis_favorable\n      type: oui_non\n      libelle: Avis favorable\n  etats:\n",
)


@pytest.mark.parametrize(
    "condition",
    [
        "avis_favorable == oui",
        "avis_favorable==oui",
        "si(avis_favorable, montant_demande, 0) > 0",
    ],
)
def test_a_guard_reading_an_agent_field_nobody_fills_is_a_warning(condition):
    result = _load(
        _AGENT_FIELD, ("      par: instructeur\n", f"      par: instructeur\n      condition: {condition}\n")
    )
    assert [d.code for d in result.diagnostics] == ["W009"], format_report(
        result.diagnostics, {result.path: result.source}
    )
    assert result.entry is not None
