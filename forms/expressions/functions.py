"""The function table: for each function an editor may call, its French signature, the load-time check of its
arguments, and the closure that runs it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from forms.expressions.closures import BUILDS, Build
from forms.expressions.rules import Misfit, is_empty_list, unify
from forms.expressions.tree import Call, Const, Name, Node, Report
from forms.expressions.types import BOOLEEN, DATE, DUREE, NOMBRE, VIDE, Kind, Kinds, Scope, Type, type_name
from forms.suggestions import closest

Check = Callable[[str, tuple[Node, ...], Scope, Report], Node]


@dataclass(frozen=True, slots=True)
class Function:
    """One entry of the table."""

    name: str
    signature: str
    """As error messages show it."""
    counts: tuple[int, ...]
    """How many arguments it takes; with ``variadic``, the least it takes."""
    check: Check
    build: Build
    variadic: bool = False
    per_item: bool = False
    """existe/tous/compte: the second argument is checked and run in the scope of one item of the first."""


def arity_problem(function: Function, count: int) -> str | None:
    """Why ``count`` arguments do not suit ``function`` (E004), or None when they do."""
    counts = function.counts
    if count in counts or (function.variadic and count >= counts[0]):
        return None
    if function.variadic:
        wanted = f"au moins {counts[0]} argument{'s' if counts[0] > 1 else ''}"
    else:
        *head, last = counts
        wanted = f"{', '.join(map(str, head))} ou {last}" if head else str(last)
        wanted += " arguments" if last > 1 else " argument"
    return f"« {function.name} » attend {wanted}, pas {count} : {function.signature}"


def _kinds(name: str, args: tuple[Node, ...], index: int, kinds: tuple[Kind, ...], report: Report) -> bool:
    actual = args[index].type
    if actual.kind in kinds or actual.kind is Kinds.VIDE:
        return True
    wanted = " ou ".join(type_name(Type(k), article=True) for k in kinds)
    report(index, "E005", f"« {name} » attend {wanted} en argument {index + 1}, pas {type_name(actual, article=True)}")
    return False


def _fixed(result: Type, *kinds: Kind | None) -> Check:
    """The check of a function whose arguments have fixed kinds (None: any) and whose result type is fixed."""

    def check(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
        checked = [
            _kinds(name, args, i, (kind,), report) for i, kind in enumerate(kinds[: len(args)]) if kind is not None
        ]
        ok = all(checked)
        return Call(result if ok else VIDE, name, args)

    return check


def _check_si(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
    condition, yes, no = args
    _kinds(name, args, 0, (Kinds.BOOLEEN,), report)
    if isinstance(condition, Const):
        report(0, "E010", "condition constante : « si » donne toujours la même valeur")
    try:
        yes, no, result = unify(yes, no, scope)
    except Misfit as misfit:
        message = f"les deux valeurs de « si » doivent avoir le même type, pas {type_name(yes.type)} et "
        at = 1 if misfit.literal and isinstance(yes, Const) else 2
        report(at, "E005", misfit.message or message + type_name(no.type), misfit.suggestion)
        return Call(VIDE, name, args)
    return Call(result, name, (condition, yes, no))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_date(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
    if len(args) == 3:
        return _fixed(DATE, Kinds.NOMBRE, Kinds.NOMBRE, Kinds.NOMBRE)(name, args, scope, report)
    (text,) = args
    if not (isinstance(text, Const) and isinstance(text.value, str)):
        report(0, "E004", '« date » avec un seul argument attend une date écrite entre guillemets : "AAAA-MM-JJ"')
        return Call(VIDE, name, args)
    try:
        if not _ISO_DATE.fullmatch(text.value):
            raise ValueError
        return Const(DATE, date.fromisoformat(text.value))
    except ValueError:
        report(
            0, "E005", f'« {text.value} » n\'est pas une date valide : écrivez "AAAA-MM-JJ", par exemple "2024-01-31"'
        )
        return Call(VIDE, name, args)


def _check_count(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
    (count,) = args
    if isinstance(count, Const) and isinstance(count.value, Decimal) and count.value % 1:
        report(0, "E005", f"« {name} » compte des unités entières, pas {count.value}")
    return _fixed(DUREE, Kinds.NOMBRE)(name, args, scope, report)


def _check_nombre(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
    ok = _kinds(name, args, 0, (Kinds.BLOC, Kinds.LISTE), report)
    return Call(NOMBRE if ok else VIDE, name, args)


def _check_somme(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
    actual = args[0].type
    if actual.kind is Kinds.VIDE or actual == Type(Kinds.LISTE, element=NOMBRE) or is_empty_list(actual):
        return Call(NOMBRE, name, args)
    report(0, "E005", f"« somme » attend une liste de nombres, pas {type_name(actual, article=True)}")
    return Call(VIDE, name, args)


def _check_extremum(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
    types = [a.type for a in args]
    if len(args) == 1 and types[0].kind is Kinds.LISTE:
        types = [types[0].element or VIDE]
    known = {t.kind for t in types} - {Kinds.VIDE}
    if known <= {Kinds.NOMBRE} or known == {Kinds.DATE}:
        return Call(DATE if known == {Kinds.DATE} else NOMBRE, name, args)
    shown = ", ".join(sorted({type_name(t) for t in types}))
    report(-1, "E005", f"« {name} » compare des nombres ou des dates (tous du même type), pas : {shown}")
    return Call(VIDE, name, args)


def _check_arrondi(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
    ok = _kinds(name, args, 0, (Kinds.NOMBRE,), report)
    if len(args) == 2:
        places = args[1]
        if not (isinstance(places, Const) and isinstance(places.value, Decimal) and places.value % 1 == 0):
            report(1, "E004", "« arrondi » attend un nombre entier écrit tel quel pour les décimales, par exemple 2")
            ok = False
    return Call(NOMBRE if ok else VIDE, name, args)


def _check_per_item(result: Type) -> Check:
    def check(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
        items, condition = args
        if not isinstance(items, Name):
            report(0, "E004", f"« {name} » attend le nom d'un bloc répétable en premier argument")
            return Call(VIDE, name, args)
        ok = _kinds(name, args, 0, (Kinds.BLOC,), report)
        ok = _kinds(name, args, 1, (Kinds.BOOLEEN,), report) and ok
        return Call(result if ok else VIDE, name, args)

    return check


def _check_tranche(name: str, args: tuple[Node, ...], scope: Scope, report: Report) -> Node:
    bareme, value, column = args
    _kinds(name, args, 1, (Kinds.NOMBRE,), report)
    if not (isinstance(bareme, Const) and isinstance(bareme.value, str)):
        report(0, "E004", "« tranche » attend le nom du barème entre guillemets en premier argument")
        return Call(VIDE, name, args)
    columns = scope.baremes.get(bareme.value)
    if columns is None:
        hint = closest(bareme.value, scope.baremes)
        report(0, "E004", f"barème « {bareme.value} » inconnu", f"Vouliez-vous dire « {hint} » ?" if hint else None)
        return Call(VIDE, name, args)
    if not (isinstance(column, Const) and isinstance(column.value, str)):
        report(2, "E004", "« tranche » attend le nom de la colonne entre guillemets en troisième argument")
        return Call(VIDE, name, args)
    if column.value not in columns:
        hint = closest(column.value, columns)
        message = f"le barème « {bareme.value} » n'a pas de colonne « {column.value} »"
        report(2, "E004", message, f"Vouliez-vous dire « {hint} » ?" if hint else None)
        return Call(VIDE, name, args)
    return Call(columns[column.value], name, args)


def _function(name: str, signature: str, counts: tuple[int, ...], check: Check, *, variadic: bool = False) -> Function:
    return Function(
        name, signature, counts, check, BUILDS[name], variadic, per_item=name in ("existe", "tous", "compte")
    )


_SIGNATURES: tuple[Function, ...] = (
    _function("si", "si(condition, valeur_si_vrai, valeur_si_faux)", (3,), _check_si),
    _function("vide", "vide(valeur)", (1,), _fixed(BOOLEEN, None)),
    _function("rempli", "rempli(valeur)", (1,), _fixed(BOOLEEN, None)),
    _function("age", "age(date) ou age(date, date_de_reference)", (1, 2), _fixed(NOMBRE, Kinds.DATE, Kinds.DATE)),
    _function("annee", "annee(date)", (1,), _fixed(NOMBRE, Kinds.DATE)),
    _function("date", 'date("AAAA-MM-JJ") ou date(annee, mois, jour)', (1, 3), _check_date),
    _function("annees", "annees(nombre)", (1,), _check_count),
    _function("mois", "mois(nombre)", (1,), _check_count),
    _function("jours", "jours(nombre)", (1,), _check_count),
    _function("nombre", "nombre(bloc_ou_liste)", (1,), _check_nombre),
    _function("somme", "somme(liste_de_nombres)", (1,), _check_somme),
    _function("min", "min(valeur, valeur, …) ou min(liste)", (1,), _check_extremum, variadic=True),
    _function("max", "max(valeur, valeur, …) ou max(liste)", (1,), _check_extremum, variadic=True),
    _function("arrondi", "arrondi(nombre) ou arrondi(nombre, decimales)", (1, 2), _check_arrondi),
    _function("longueur", "longueur(texte)", (1,), _fixed(NOMBRE, Kinds.TEXTE)),
    _function("existe", "existe(bloc, condition)", (2,), _check_per_item(BOOLEEN)),
    _function("tous", "tous(bloc, condition)", (2,), _check_per_item(BOOLEEN)),
    _function("compte", "compte(bloc, condition)", (2,), _check_per_item(NOMBRE)),
    _function("tranche", 'tranche("bareme", valeur, "colonne")', (3,), _check_tranche),
)

FUNCTIONS: dict[str, Function] = {function.name: function for function in _SIGNATURES}
"""Every function an expression may call, by name."""
