"""The public surface: types, durations, names, the per-scope cache, and no eval anywhere."""

import ast
import gc
import weakref
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import forms.expressions
from forms.expressions import (
    BOOLEEN,
    DATE,
    NOMBRE,
    TEXTE,
    Context,
    Duree,
    ExpressionError,
    ExpressionErrors,
    Kind,
    Scope,
    Symbol,
    Type,
    bloc,
    code,
    compile_expression,
    fiche,
    liste_de,
)


def scope(**symbols):
    return Scope(symbols=symbols, listes={"l": {"a": "A", "b": "B"}}, baremes={})


def test_exported_names():
    assert set(forms.expressions.__all__) == {
        "BOOLEEN", "DATE", "DUREE", "NOMBRE", "TEXTE", "VIDE", "Context", "Duree", "Expression", "ExpressionError",
        "ExpressionErrors", "Kind", "Scope", "Symbol", "Type", "bloc", "code", "compile_expression", "fiche",
        "liste_de",
    }  # fmt: skip


def test_type_constructors():
    assert code("l") == Type(Kind.CODE, liste="l")
    assert liste_de(NOMBRE) == Type(Kind.LISTE, element=NOMBRE)
    assert bloc({"x": NOMBRE}).champs == (("x", NOMBRE),)
    assert fiche({"nom": TEXTE}).kind is Kind.FICHE
    assert hash(code("l")) == hash(code("l"))
    assert code("l") != code("m")


def test_duree_on_dates():
    assert date(2024, 1, 31) + Duree(mois=1) == date(2024, 2, 29)
    assert date(2024, 2, 29) + Duree(annees=1) == date(2025, 2, 28)
    assert date(2024, 1, 31) + Duree(annees=1, mois=1, jours=1) == date(2025, 3, 1)
    assert date(2024, 2, 29) + Duree(annees=1, mois=1) == date(2025, 3, 28)  # years, then months, then days
    assert date(2024, 3, 31) - Duree(mois=1) == date(2024, 2, 29)
    assert date(2024, 1, 1) - Duree(jours=1) == date(2023, 12, 31)
    assert Duree(mois=11) + date(2024, 1, 15) == date(2024, 12, 15)
    assert Duree(annees=1) + Duree(mois=2) == Duree(1, 2, 0)
    assert Duree(annees=1) - Duree(mois=2) == Duree(1, -2, 0)
    assert -Duree(1, 2, 3) == Duree(-1, -2, -3)


def test_names_lists_roots_and_sub_fields():
    symbols = {
        "membres": Symbol(bloc({"revenu": NOMBRE})),
        "revenu": Symbol(NOMBRE, bloc="membres"),
        "plafond": Symbol(NOMBRE),
        "usager": Symbol(fiche({"nom": TEXTE})),
        "d": Symbol(DATE),
    }
    expression = compile_expression(
        'somme(membres.revenu) <= plafond and existe(membres, revenu > 0) and usager.nom != "x" and d < aujourdhui',
        scope(**symbols),
    )
    assert expression.names == frozenset({"membres", "revenu", "plafond", "usager", "d"})


def test_source_type_and_warnings_are_kept():
    expression = compile_expression("n / n", scope(n=Symbol(NOMBRE)), expected=NOMBRE)
    assert expression.source == "n / n"
    assert expression.type == NOMBRE
    assert [w.code for w in expression.warnings] == ["E011"]


def test_the_cache_is_per_scope():
    first = scope(x=Symbol(NOMBRE))
    second = scope(x=Symbol(TEXTE))
    assert compile_expression("x", first) is compile_expression("x", first)
    assert compile_expression("x", first).type == NOMBRE
    assert compile_expression("x", second).type == TEXTE
    assert compile_expression("x", first, expected=NOMBRE) is not compile_expression("x", first)
    with pytest.raises(ExpressionErrors):
        compile_expression("x + 1", second)
    assert compile_expression("x + 1", first).type == NOMBRE


def test_compiled_expressions_die_with_their_scope():
    dying = scope(x=Symbol(NOMBRE))
    compile_expression("x + 1", dying)
    alive = weakref.ref(dying)
    del dying
    gc.collect()
    assert alive() is None


def test_a_failing_expression_fails_every_time():
    empty = scope()
    for _ in range(2):
        with pytest.raises(ExpressionErrors) as raised:
            compile_expression("y", empty)
        assert raised.value.errors == (ExpressionError("E003", "« y » n'existe pas", 1, 0, 1),)
        assert "E003" in str(raised.value)


def test_context_defaults():
    context = Context({}, date(2025, 1, 1))
    assert context.baremes == {}
    assert context.item is None


def test_evaluate_is_cheap_to_call_repeatedly():
    expression = compile_expression("b and n >= 2", scope(b=Symbol(BOOLEEN), n=Symbol(NOMBRE)))
    results = [expression.evaluate(Context({"b": True, "n": Decimal(i)}, date(2025, 1, 1))) for i in range(4)]
    assert results == [False, False, True, True]


def test_the_package_never_uses_eval_exec_or_compile():
    package = Path(forms.expressions.__file__).parent
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "compile", "__import__"}, module.name
