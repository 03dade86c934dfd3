"""Consistency of the values an editor declares: bounds (C001), patterns (C002), defaults (C009), barèmes (R005),
dated parametres, and per-page sanity (C008)."""

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from forms.checks.references import _field_locs
from forms.definition import Form
from forms.fields import REPEAT_CAP, BlocRepetable, Choix, ChoixMultiple, Explication
from forms.problems import AVERTISSEMENT, Loc, Problem

_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")


def check_values(form: Form) -> Iterator[Problem]:
    """Every value check of the form."""
    for loc, field in _field_locs(form):
        yield from _bounds(loc, field)
        yield from _pattern(loc, field)
        yield from _default(form, loc, field)
    yield from _baremes(form)
    yield from _parametres(form)
    yield from _pages(form)


def _pair(loc: Loc, field: object, low: str, high: str) -> Iterator[Problem]:
    a, b = getattr(field, low, None), getattr(field, high, None)
    if a is not None and b is not None and not isinstance(a, str) and not isinstance(b, str) and a > b:
        yield Problem("C001", (*loc, low), f"« {low} » ({a}) est plus grand que « {high} » ({b})")


def _bounds(loc: Loc, field: object) -> Iterator[Problem]:
    yield from _pair(loc, field, "min", "max")
    yield from _pair(loc, field, "longueur_min", "longueur_max")
    yield from _pair(loc, field, "min_choix", "max_choix")
    if isinstance(field, BlocRepetable) and field.max > REPEAT_CAP:
        yield Problem("C001", (*loc, "max"), f"un bloc répétable compte au plus {REPEAT_CAP} éléments")


def _pattern(loc: Loc, field: object) -> Iterator[Problem]:
    pattern = getattr(field, "format", None)
    if not isinstance(pattern, str):
        if getattr(field, "message_format", None) is not None:
            yield Problem("C002", (*loc, "message_format"), "« message_format » sans « format »")
        return
    try:
        re.compile(pattern)
    except re.error as error:
        yield Problem("C002", (*loc, "format"), f"expression régulière incorrecte : {error}")
        return
    if not (pattern.startswith("^") and pattern.endswith("$")):
        yield Problem("C002", (*loc, "format"), "ancrez l'expression régulière : commencez par ^ et finissez par $")
    if _NESTED_QUANTIFIER.search(pattern):
        yield Problem(
            "C002",
            (*loc, "format"),
            "quantificateurs imbriqués, comme (a+)+ : une saisie piégée pourrait bloquer le serveur",
        )
    if getattr(field, "message_format", None) is None:
        yield Problem(
            "C002",
            (*loc, "format"),
            "ajoutez « message_format » : un message qui montre le format attendu",
            AVERTISSEMENT,
        )


def _default(form: Form, loc: Loc, field: object) -> Iterator[Problem]:
    default = getattr(field, "defaut", None)
    if default is None:
        return
    if isinstance(field, Choix) and default not in form.options(field.liste):
        yield Problem("C009", (*loc, "defaut"), f"« {default} » n'est pas un code de la liste « {field.liste} »")
    if isinstance(field, ChoixMultiple):
        for code in default:
            if code not in form.options(field.liste):
                yield Problem("C009", (*loc, "defaut"), f"« {code} » n'est pas un code de la liste « {field.liste} »")
    low, high = getattr(field, "min", None), getattr(field, "max", None)
    if not isinstance(default, str | tuple | bool):
        if low is not None and not isinstance(low, str) and default < low:
            yield Problem("C009", (*loc, "defaut"), f"la valeur par défaut est inférieure au minimum ({low})")
        if high is not None and not isinstance(high, str) and default > high:
            yield Problem("C009", (*loc, "defaut"), f"la valeur par défaut dépasse le maximum ({high})")


def _baremes(form: Form) -> Iterator[Problem]:
    for name, rows in form.baremes.items():
        previous = None
        columns = set(rows[0].colonnes) if rows else set()
        for index, row in enumerate(rows):
            loc: Loc = ("baremes", name, index)
            if row.au_dela and index != len(rows) - 1:
                yield Problem("R005", loc, "la tranche « au_dela » doit être la dernière du barème")
            if row.jusqu_a is not None:
                if previous is not None and row.jusqu_a <= previous:
                    yield Problem(
                        "R005", (*loc, "jusqu_a"), f"les bornes doivent croître : {row.jusqu_a} suit {previous}"
                    )
                previous = row.jusqu_a
            if set(row.colonnes) != columns:
                odd = sorted(set(row.colonnes) - columns)
                where: Loc = (*loc, odd[0]) if odd else loc
                message = "toutes les tranches doivent avoir les mêmes colonnes : " + ", ".join(sorted(columns))
                yield Problem("R005", where, message, key=bool(odd))
        if rows and not rows[-1].au_dela:
            yield Problem(
                "R005",
                ("baremes", name),
                "le barème doit finir par une tranche « au_dela: oui » : "
                "sans elle, une valeur au-delà de la dernière borne n'aurait pas de résultat",
                key=True,
            )


def _parametres(form: Form) -> Iterator[Problem]:
    for name, parametre in form.parametres.items():
        previous = None
        for index, row in enumerate(parametre.valeurs):
            loc: Loc = ("parametres", name, "valeurs", index)
            if previous is not None and row.depuis <= previous:
                yield Problem("C001", (*loc, "depuis"), "les dates « depuis » doivent se suivre dans l'ordre")
            previous = row.depuis
            expected = {"texte": str, "date": date}.get(parametre.type, Decimal)
            if not isinstance(row.valeur, expected) or isinstance(row.valeur, datetime):
                yield Problem("S005", (*loc, "valeur"), f"la valeur doit être de type « {parametre.type} »")


def _pages(form: Form) -> Iterator[Problem]:
    for index, page in enumerate(form.pages):
        if all(isinstance(field, Explication) for field in page.champs) and not page.arret_si:
            yield Problem("C008", ("pages", index), "cette page ne pose aucune question", AVERTISSEMENT)
