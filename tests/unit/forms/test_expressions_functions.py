"""Every function of the table, with its vide cases."""

from datetime import date
from decimal import Decimal

import pytest

from forms.expressions import (
    BOOLEEN,
    DATE,
    NOMBRE,
    TEXTE,
    Context,
    Duree,
    Scope,
    Symbol,
    bloc,
    code,
    compile_expression,
    liste_de,
)

SCOPE = Scope(
    symbols={
        "n": Symbol(NOMBRE),
        "m": Symbol(NOMBRE),
        "t": Symbol(TEXTE),
        "d": Symbol(DATE),
        "e": Symbol(DATE),
        "b": Symbol(BOOLEEN),
        "notes": Symbol(liste_de(NOMBRE)),
        "dates": Symbol(liste_de(DATE)),
        "choix": Symbol(liste_de(code("sports"))),
        "membres": Symbol(bloc({"revenu": NOMBRE, "actif": BOOLEEN})),
        "revenu": Symbol(NOMBRE, bloc="membres"),
        "actif": Symbol(BOOLEEN, bloc="membres"),
    },
    listes={"sports": {"foot": "Football", "voile": "Voile"}},
    baremes={"echelons": {"echelon": NOMBRE, "libelle": TEXTE}},
)
TODAY = date(2025, 6, 15)
ECHELONS = (
    {"jusqu_a": Decimal(600000), "echelon": 3, "libelle": "trois"},
    {"jusqu_a": Decimal(900000), "echelon": 2, "libelle": "deux"},
    {"jusqu_a": None, "echelon": 0, "libelle": "hors barème"},
)
MEMBRES = (
    {"revenu": Decimal(100), "actif": True},
    {"revenu": Decimal(0), "actif": False},
    {"revenu": None, "actif": True},
)


def run(source, **values):
    expression = compile_expression(source, SCOPE)
    return expression.evaluate(Context(values, TODAY, baremes={"echelons": ECHELONS}))


def test_si_is_lazy_and_typed_by_its_branches():
    assert run("si(b, 1, 2)", b=True) == Decimal(1)
    assert run("si(b, 1, 2)", b=False) == Decimal(2)
    assert run("si(b, 1, 2)", b=None) == Decimal(2)
    assert run("si(b, n / 0, 2)", b=False, n=Decimal(1)) == Decimal(2)
    assert run("si(b, vide, 2)", b=True) is None
    assert compile_expression("si(b, vide, 2)", SCOPE).type == NOMBRE
    assert compile_expression('si(b, "x", t)', SCOPE).type == TEXTE


@pytest.mark.parametrize(
    ("value", "is_vide"),
    [(None, True), ("", True), ((), True), ("a", False), (Decimal(0), False), (False, False)],
)
def test_vide_and_rempli(value, is_vide):
    scope_name = {str: "t", type(None): "t", tuple: "notes", Decimal: "n", bool: "b"}[type(value)]
    assert run(f"vide({scope_name})", **{scope_name: value}) is is_vide
    assert run(f"rempli({scope_name})", **{scope_name: value}) is not is_vide


def test_age_counts_full_years_at_today():
    assert run("age(d)", d=date(2007, 6, 15)) == Decimal(18)
    assert run("age(d)", d=date(2007, 6, 16)) == Decimal(17)
    assert run("age(d)", d=date(2008, 2, 29)) == Decimal(17)
    assert run("age(d)") is None


def test_age_at_a_reference_date():
    assert run("age(d, e)", d=date(2000, 3, 1), e=date(2020, 2, 29)) == Decimal(19)
    assert run("age(d, e)", d=date(2000, 3, 1), e=date(2020, 3, 1)) == Decimal(20)
    assert run("age(d, e)", d=date(2000, 3, 1)) is None


def test_annee():
    assert run("annee(d)", d=date(2024, 12, 31)) == Decimal(2024)
    assert run("annee(aujourdhui)") == Decimal(2025)
    assert run("annee(d)") is None


def test_date_from_a_literal_and_from_numbers():
    assert run('date("2024-02-29")') == date(2024, 2, 29)
    assert run("date(n, 2, 29)", n=Decimal(2024)) == date(2024, 2, 29)
    assert run("date(n, 2, 29)", n=Decimal(2023)) is None  # impossible date
    assert run("date(n, 13, 1)", n=Decimal(2023)) is None
    assert run("date(n, 1, 1.5)", n=Decimal(2023)) is None
    assert run("date(n, 1, 1)") is None


def test_durations():
    assert run("annees(2)") == Duree(annees=2)
    assert run("mois(n)", n=Decimal(3)) == Duree(mois=3)
    assert run("jours(n)", n=Decimal(10)) == Duree(jours=10)
    assert run("jours(n)") is None
    assert run("jours(n)", n=Decimal("1.5")) is None


def test_nombre_counts_a_bloc_or_a_list():
    assert run("nombre(membres)", membres=MEMBRES) == Decimal(3)
    assert run("nombre(membres)", membres=None) == Decimal(0)
    assert run("nombre(choix)", choix=("foot", "voile")) == Decimal(2)
    assert run("nombre(choix)", choix=()) == Decimal(0)


def test_somme_ignores_vide():
    assert run("somme(notes)", notes=(Decimal(1), None, Decimal("2.5"))) == Decimal("3.5")
    assert run("somme(notes)", notes=None) == Decimal(0)
    assert run("somme(membres.revenu)", membres=MEMBRES) == Decimal(100)
    assert run("somme([1, 2, 3])") == Decimal(6)


def test_min_and_max():
    assert run("min(n, m, 5)", n=Decimal(3), m=None) == Decimal(3)
    assert run("max(n, m, 5)", n=Decimal(3), m=None) == Decimal(5)
    assert run("min(n, m)") is None
    assert run("max(notes)", notes=(Decimal(1), None, Decimal(7))) == Decimal(7)
    assert run("min(notes)", notes=(None,)) is None
    assert run("min(notes)", notes=None) is None
    assert run("max(d, e)", d=date(2024, 1, 1), e=date(2025, 1, 1)) == date(2025, 1, 1)
    assert run("min(dates)", dates=(date(2024, 1, 1), date(2023, 1, 1))) == date(2023, 1, 1)


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("arrondi(n)", "2.5", "3"),
        ("arrondi(n)", "3.5", "4"),
        ("arrondi(n)", "-2.5", "-3"),
        ("arrondi(n)", "2.49", "2"),
        ("arrondi(n, 2)", "1.005", "1.01"),
        ("arrondi(n, 1)", "0.25", "0.3"),
        ("arrondi(n, -2)", "1250", "1300"),
        ("arrondi(n, -2)", "1249", "1200"),
    ],
)
def test_arrondi_rounds_half_up(source, value, expected):
    result = run(source, n=Decimal(value))
    assert result == Decimal(expected)
    assert str(result) == expected


def test_arrondi_of_vide():
    assert run("arrondi(n)") is None


def test_longueur():
    assert run("longueur(t)", t="abcé") == Decimal(4)
    assert run("longueur(t)") == Decimal(0)


def test_existe_tous_compte_run_the_condition_per_item():
    assert run("existe(membres, revenu > 50)", membres=MEMBRES) is True
    assert run("existe(membres, revenu > 500)", membres=MEMBRES) is False
    assert run("tous(membres, actif)", membres=MEMBRES) is False
    assert run("tous(membres, rempli(actif))", membres=MEMBRES) is True
    assert run("compte(membres, actif)", membres=MEMBRES) == Decimal(2)
    assert run("compte(membres, revenu >= n)", membres=MEMBRES, n=Decimal(0)) == Decimal(2)


def test_existe_tous_compte_on_an_empty_bloc():
    assert run("existe(membres, actif)", membres=()) is False
    assert run("tous(membres, actif)", membres=()) is True
    assert run("tous(membres, actif)", membres=None) is True
    assert run("compte(membres, actif)", membres=None) == Decimal(0)


@pytest.mark.parametrize(
    ("value", "echelon"),
    [("0", 3), ("600000", 3), ("600000.01", 2), ("900000", 2), ("900001", 0), ("99999999", 0)],
)
def test_tranche_bounds_are_inclusive(value, echelon):
    assert run('tranche("echelons", n, "echelon")', n=Decimal(value)) == Decimal(echelon)


def test_tranche_columns_keep_their_type_and_vide_gives_vide():
    assert run('tranche("echelons", n, "libelle")', n=Decimal(700000)) == "deux"
    assert compile_expression('tranche("echelons", n, "libelle")', SCOPE).type == TEXTE
    assert run('tranche("echelons", n, "echelon")') is None


def test_tranche_without_an_au_dela_row_gives_vide_above_the_last_bound():
    expression = compile_expression('tranche("echelons", n, "echelon")', SCOPE)
    rows = ({"jusqu_a": Decimal(10), "echelon": 1},)
    assert expression.evaluate(Context({"n": Decimal(11)}, TODAY, baremes={"echelons": rows})) is None
