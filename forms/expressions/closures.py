"""The closures that run the functions of the table, one builder per function: each gets its compiled arguments
and the checked call (for literal arguments such as a barème's name) and returns the closure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from forms.expressions.tree import Call, literal
from forms.expressions.types import Context, Duree, Kinds
from forms.expressions.values import ZERO, Compiled, Item, decimal_of, is_vide, normalizer

Build = Callable[[tuple[Compiled, ...], Call], Compiled]


def _si(args: tuple[Compiled, ...], call: Call) -> Compiled:
    condition, yes, no = args
    return lambda ctx, item: yes(ctx, item) if condition(ctx, item) else no(ctx, item)


def _vide(args: tuple[Compiled, ...], call: Call) -> Compiled:
    (value,) = args
    return lambda ctx, item: is_vide(value(ctx, item))


def _rempli(args: tuple[Compiled, ...], call: Call) -> Compiled:
    (value,) = args
    return lambda ctx, item: not is_vide(value(ctx, item))


def _years_between(born: Any, at: date) -> Decimal:
    # Full years: one less when the birthday has not come yet in the year of ``at``.
    return decimal_of(at.year - born.year - ((at.month, at.day) < (born.month, born.day)))


def _age(args: tuple[Compiled, ...], call: Call) -> Compiled:
    born = args[0]
    if len(args) == 1:

        def age(ctx: Context, item: Item) -> object:
            value = born(ctx, item)
            if value is None:
                return None
            today = ctx.today
            return decimal_of(today.year - value.year - ((today.month, today.day) < (value.month, value.day)))

        return age
    reference = args[1]

    def age_at(ctx: Context, item: Item) -> object:
        value, at = born(ctx, item), reference(ctx, item)
        return None if value is None or at is None else _years_between(value, at)

    return age_at


def _annee(args: tuple[Compiled, ...], call: Call) -> Compiled:
    (day,) = args

    def annee(ctx: Context, item: Item) -> object:
        value = day(ctx, item)
        return None if value is None else decimal_of(value.year)

    return annee


def _date(args: tuple[Compiled, ...], call: Call) -> Compiled:
    year, month, day = args

    def make(ctx: Context, item: Item) -> object:
        parts = (year(ctx, item), month(ctx, item), day(ctx, item))
        if any(p is None or p % 1 for p in parts):
            return None
        try:
            return date(*(int(p) for p in parts))
        except (ValueError, OverflowError):  # 31 février, année 0 or 10 000: an impossible date is vide
            return None

    return make


def _duree(unit: Callable[[int], Duree]) -> Build:
    def build(args: tuple[Compiled, ...], call: Call) -> Compiled:
        (count,) = args

        def duree(ctx: Context, item: Item) -> object:
            n = count(ctx, item)
            return None if n is None or n % 1 else unit(int(n))

        return duree

    return build


def _length(args: tuple[Compiled, ...], call: Call) -> Compiled:
    (value,) = args

    def length(ctx: Context, item: Item) -> object:
        v = value(ctx, item)
        return decimal_of(len(v)) if v else ZERO

    return length


def _somme(args: tuple[Compiled, ...], call: Call) -> Compiled:
    (values,) = args

    def somme(ctx: Context, item: Item) -> object:
        return sum((n for n in values(ctx, item) or () if n is not None), ZERO)

    return somme


def _extremum(pick: Callable[[list[Any]], Any]) -> Build:
    def build(args: tuple[Compiled, ...], call: Call) -> Compiled:
        if len(args) == 1 and call.args[0].type.kind is Kinds.LISTE:
            (values,) = args

            def over_list(ctx: Context, item: Item) -> object:
                present = [v for v in values(ctx, item) or () if v is not None]
                return pick(present) if present else None

            return over_list

        def over_args(ctx: Context, item: Item) -> object:
            present = [v for arg in args if (v := arg(ctx, item)) is not None]
            return pick(present) if present else None

        return over_args

    return build


_ONE = Decimal(1)


def _arrondi(args: tuple[Compiled, ...], call: Call) -> Compiled:
    value = args[0]
    places = int(literal(call.args[1])) if len(call.args) == 2 else 0
    if places >= 0:
        exponent = _ONE.scaleb(-places)

        def to_places(ctx: Context, item: Item) -> object:
            v = value(ctx, item)
            if v is None:
                return None
            try:
                return v.quantize(exponent, ROUND_HALF_UP)
            except InvalidOperation:  # more than 28 digits: the number is already far coarser than asked
                return v

        return to_places
    step = _ONE.scaleb(-places)  # arrondi(x, -2): to the nearest hundred

    def to_step(ctx: Context, item: Item) -> object:
        v = value(ctx, item)
        if v is None:
            return None
        try:
            return ((v / step).quantize(_ONE, ROUND_HALF_UP) * step).quantize(_ONE)
        except InvalidOperation:
            return v

    return to_step


def _existe(args: tuple[Compiled, ...], call: Call) -> Compiled:
    items, condition = args

    def existe(ctx: Context, item: Item) -> object:
        return any(condition(ctx, each) for each in items(ctx, item) or ())

    return existe


def _tous(args: tuple[Compiled, ...], call: Call) -> Compiled:
    items, condition = args

    def tous(ctx: Context, item: Item) -> object:
        return all(condition(ctx, each) for each in items(ctx, item) or ())

    return tous


def _compte(args: tuple[Compiled, ...], call: Call) -> Compiled:
    items, condition = args

    def compte(ctx: Context, item: Item) -> object:
        return decimal_of(sum(1 for each in items(ctx, item) or () if condition(ctx, each)))

    return compte


def _tranche(args: tuple[Compiled, ...], call: Call) -> Compiled:
    bareme, column = literal(call.args[0]), literal(call.args[2])
    value = args[1]
    normalize = normalizer(call.type)

    def tranche(ctx: Context, item: Item) -> object:
        v = value(ctx, item)
        if v is None:
            return None
        for row in ctx.baremes.get(bareme, ()):
            bound = row.get("jusqu_a")
            if bound is None or v <= bound:  # jusqu_a is inclusive; the au-delà row has none
                found = row.get(column)
                return normalize(found) if normalize else found
        return None

    return tranche


BUILDS: dict[str, Build] = {
    "si": _si,
    "vide": _vide,
    "rempli": _rempli,
    "age": _age,
    "annee": _annee,
    "date": _date,
    "annees": _duree(lambda n: Duree(annees=n)),
    "mois": _duree(lambda n: Duree(mois=n)),
    "jours": _duree(lambda n: Duree(jours=n)),
    "nombre": _length,
    "somme": _somme,
    "min": _extremum(min),
    "max": _extremum(max),
    "arrondi": _arrondi,
    "longueur": _length,
    "existe": _existe,
    "tous": _tous,
    "compte": _compte,
    "tranche": _tranche,
}
"""How to build the closure of each function, by name."""
