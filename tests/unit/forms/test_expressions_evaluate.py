"""Operators and the semantics of vide, evaluated through the public API."""

from datetime import date
from decimal import Decimal

import pytest

from forms.expressions import (
    BOOLEEN,
    DATE,
    DUREE,
    NOMBRE,
    TEXTE,
    Context,
    Duree,
    Scope,
    Symbol,
    bloc,
    code,
    compile_expression,
    fiche,
    liste_de,
)

SCOPE = Scope(
    symbols={
        "n": Symbol(NOMBRE),
        "m": Symbol(NOMBRE),
        "t": Symbol(TEXTE),
        "u": Symbol(TEXTE),
        "d": Symbol(DATE),
        "e": Symbol(DATE),
        "b": Symbol(BOOLEEN),
        "c": Symbol(BOOLEEN),
        "duree": Symbol(DUREE),
        "situation": Symbol(code("situations")),
        "autre_situation": Symbol(code("situations")),
        "choix": Symbol(liste_de(code("situations"))),
        "notes": Symbol(liste_de(NOMBRE)),
        "membres": Symbol(bloc({"revenu": NOMBRE, "actif": BOOLEEN})),
        "revenu": Symbol(NOMBRE, bloc="membres"),
        "actif": Symbol(BOOLEEN, bloc="membres"),
        "usager": Symbol(fiche({"nom": TEXTE, "adresse": fiche({"commune": TEXTE})})),
    },
    listes={"situations": {"celibataire": "Célibataire", "marie": "Marié(e)"}},
    baremes={},
)
TODAY = date(2025, 6, 15)


def run(source, bloc_name=None, item=None, **values):
    expression = compile_expression(source, SCOPE, bloc=bloc_name)
    return expression.evaluate(Context(values, TODAY, item=item))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("n + m", Decimal("3.5")),
        ("n - m", Decimal("-0.5")),
        ("n * m", Decimal("3.00")),
        ("n / m", Decimal("0.75")),
        ("-n", Decimal("-1.5")),
        ("+n", Decimal("1.5")),
        ("n + 1_000", Decimal("1001.5")),
        ("0.1 + 0.2", Decimal("0.3")),
        ("1 + 2 * 3", Decimal(7)),
        ("(1 + 2) * 3", Decimal(9)),
    ],
)
def test_arithmetic_on_numbers(source, expected):
    assert run(source, n=Decimal("1.5"), m=Decimal(2)) == expected


def test_literals_are_exact_decimals():
    assert run("0.1") == Decimal("0.1")
    assert str(run("0.1")) == "0.1"
    assert run("1_200_000") == Decimal(1200000)


def test_int_and_float_inputs_become_decimals():
    assert run("n + m", n=1, m=0.1) == Decimal("1.1")
    assert isinstance(run("n", n=3), Decimal)


def test_true_division_and_division_by_zero():
    assert run("n / m", n=Decimal(1), m=Decimal(3)) == Decimal(1) / Decimal(3)
    assert run("n / m", n=Decimal(1), m=Decimal(0)) is None
    assert run("n / 0", n=Decimal(1)) is None


def test_arithmetic_with_vide_gives_vide():
    assert run("n + m", n=Decimal(1), m=None) is None
    assert run("n * 2") is None
    assert run("-n") is None
    assert run("t + u", t="a") is None


def test_text_concatenation():
    assert run('t + " " + u', t="Jean", u="Dupont") == "Jean Dupont"


def test_date_arithmetic():
    assert run("d + jours(20)", d=date(2025, 1, 31)) == date(2025, 2, 20)
    assert run("d - mois(1)", d=date(2025, 3, 31)) == date(2025, 2, 28)
    assert run("d + annees(1)", d=date(2024, 2, 29)) == date(2025, 2, 28)
    assert run("mois(1) + d", d=date(2024, 1, 31)) == date(2024, 2, 29)
    assert run("d - e", d=date(2025, 3, 1), e=date(2025, 2, 1)) == Decimal(28)
    assert run("d + duree", d=date(2025, 1, 1), duree=Duree(annees=1, mois=1, jours=1)) == date(2026, 2, 2)
    assert run("d + jours(1)") is None
    assert run("d + jours(1)", d=date(9999, 12, 31)) is None  # beyond the calendar: vide, not a crash


def test_date_plus_a_month_clamps_to_the_end_of_the_month():
    assert run("d + mois(1)", d=date(2024, 1, 31)) == date(2024, 2, 29)
    assert run("d + mois(1)", d=date(2023, 1, 31)) == date(2023, 2, 28)
    assert run("d + mois(13)", d=date(2024, 1, 31)) == date(2025, 2, 28)


def test_durations_add_up():
    assert run("annees(1) + mois(2)") == Duree(annees=1, mois=2)
    assert run("annees(1) - mois(2)") == Duree(annees=1, mois=-2)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("n == 2", True),
        ("n != 2", False),
        ("n < 3", True),
        ("n <= 2", True),
        ("n > 2", False),
        ("n >= 2", True),
        ("2 < n", False),
        ("3 > n", True),
        ("1 < n < 3", True),
        ("1 < n < 2", False),
        ("n == m", False),
        ("n < m", True),
        ("n in [1, 2]", True),
        ("n not in [1, 2]", False),
        ("n in notes", True),
        ("n not in notes", False),
    ],
)
def test_comparisons(source, expected):
    assert run(source, n=Decimal(2), m=Decimal(5), notes=(Decimal(2), Decimal(4))) is expected


def test_comparisons_of_dates_texts_and_codes():
    assert run("d < e", d=date(2024, 1, 1), e=date(2024, 1, 2)) is True
    assert run("d >= e", d=date(2024, 1, 1), e=date(2024, 1, 2)) is False
    assert run('d == date("2024-01-01")', d=date(2024, 1, 1)) is True
    assert run('t == "abc"', t="abc") is True
    assert run('situation == "marie"', situation="marie") is True
    assert run('situation != "marie"', situation="celibataire") is True
    assert run("situation == autre_situation", situation="marie", autre_situation="marie") is True
    assert run('situation in ["marie", "celibataire"]', situation="marie") is True
    assert run('"marie" in choix', choix=("marie",)) is True
    assert run('"marie" not in choix', choix=("celibataire",)) is True
    assert run("b == oui", b=True) is True
    assert run("b != non", b=True) is True


@pytest.mark.parametrize(
    "source",
    ["n == 2", "n != 2", "n < 2", "n <= 2", "n > 2", "n >= 2", "n == m", "n != m", "n in [1, 2]", "n not in [1, 2]"],
)
def test_a_comparison_involving_vide_is_false(source):
    assert run(source, n=None, m=None) is False


def test_equality_with_vide():
    assert run("n == vide") is True
    assert run("n == vide", n=Decimal(0)) is False
    assert run("n != vide", n=Decimal(0)) is True
    assert run("vide == n") is True
    assert run("t == vide", t="") is True
    assert run("choix == vide", choix=()) is True
    assert run("choix != vide", choix=("marie",)) is True


def test_membership_in_a_vide_list():
    assert run('"marie" in choix', choix=None) is False
    assert run('"marie" not in choix', choix=None) is True
    assert run('"marie" in choix', choix=()) is False


def test_empty_text_counts_as_vide_in_comparisons():
    assert run('t != "x"', t="") is False
    assert run("t == u", t="", u="") is False


@pytest.mark.parametrize(
    ("source", "b", "c", "expected"),
    [
        ("b and c", True, True, True),
        ("b and c", True, False, False),
        ("b and c", True, None, False),
        ("b or c", False, True, True),
        ("b or c", None, None, False),
        ("not b", True, None, False),
        ("not b", None, None, True),
        ("not b", False, None, True),
        ("b and c and b", True, True, True),
        ("b or c or b", None, False, False),
    ],
)
def test_boolean_operators(source, b, c, expected):
    assert run(source, b=b, c=c) is expected


def test_reserved_names():
    assert run("oui") is True
    assert run("non") is False
    assert run("vide") is None
    assert run("aujourdhui") == TODAY


def test_record_attributes():
    usager = {"nom": "Dupont", "adresse": {"commune": "Nouméa"}}
    assert run("usager.nom", usager=usager) == "Dupont"
    assert run("usager.adresse.commune", usager=usager) == "Nouméa"
    assert run("usager.adresse.commune", usager={"nom": "x"}) is None
    assert run("usager.nom") is None


def test_projection_of_a_repeat_block():
    membres = ({"revenu": 100, "actif": True}, {"revenu": None, "actif": False})
    assert run("membres.revenu", membres=membres) == (Decimal(100), None)
    assert run("membres.revenu", membres=None) == ()
    assert run("somme(membres.revenu)", membres=membres) == Decimal(100)


def test_sub_fields_read_from_the_current_item():
    item = {"revenu": Decimal(10), "actif": True}
    assert run("actif and revenu > 0", bloc_name="membres", item=item) is True
    assert run("actif and revenu > 0", bloc_name="membres", item={"actif": True}) is False
    assert run("revenu + n", bloc_name="membres", item=item, n=Decimal(1)) == Decimal(11)
    assert run("revenu", bloc_name="membres", item=None) is None


def test_a_condition_expected_boolean_gives_true_or_false_never_vide():
    expression = compile_expression("b", SCOPE, expected=BOOLEEN)
    assert expression.evaluate(Context({}, TODAY)) is False
    assert expression.evaluate(Context({"b": True}, TODAY)) is True


def test_a_literal_list():
    assert run('["a", t]', t="b") == ("a", "b")
    assert run("[1, 2]") == (Decimal(1), Decimal(2))
    assert run("[]") == ()
