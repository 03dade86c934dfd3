"""How much an expression costs to compile and to evaluate, against a hand-written lambda doing the same work.

Run from the repository root: ``python bench/expressions.py``. Each figure is the best of several runs (the least
disturbed by the rest of the machine), in microseconds."""

import sys
import timeit
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable without installing the project

from forms.expressions import (
    BOOLEEN,
    DATE,
    NOMBRE,
    Context,
    Scope,
    Symbol,
    Type,
    bloc,
    code,
    compile_expression,
)
from forms.expressions.expression import build
from forms.expressions.syntax import parse

SCOPE = Scope(
    symbols={
        "date_naissance": Symbol(DATE, libelle="date de naissance"),
        "situation": Symbol(code("situations"), libelle="situation familiale"),
        "membres": Symbol(bloc({"membre_a_revenus": BOOLEEN, "membre_revenus": NOMBRE}), libelle="membres du foyer"),
        "membre_a_revenus": Symbol(BOOLEEN, bloc="membres", libelle="a des revenus"),
        "membre_revenus": Symbol(NOMBRE, bloc="membres", libelle="revenus", minimum=Decimal(0)),
        "revenus_foyer": Symbol(NOMBRE, libelle="revenus du foyer"),
        "nombre_parts": Symbol(NOMBRE, libelle="nombre de parts", minimum=Decimal(1)),
    },
    listes={"situations": {"celibataire": "Célibataire", "marie": "Marié(e) ou pacsé(e)"}},
    baremes={},
)
TODAY = date(2025, 6, 1)
_UNIT = Decimal(1)


def _age_lambda(ctx: Context) -> bool:
    born, today = ctx.values.get("date_naissance"), ctx.today
    if born is None or not isinstance(born, date):
        return False
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age >= 18 and ctx.values.get("situation") == "marie"


def _item_lambda(ctx: Context) -> bool:
    item = ctx.item or {}
    revenus = item.get("membre_revenus")
    return bool(item.get("membre_a_revenus")) and revenus is not None and revenus > 0  # type: ignore[operator]


def _quotient_lambda(ctx: Context) -> object:
    revenus, parts = ctx.values.get("revenus_foyer"), ctx.values.get("nombre_parts")
    if revenus is None or not parts:
        return None
    return (revenus / parts).quantize(_UNIT, ROUND_HALF_UP)  # type: ignore[operator]


CASES: list[tuple[str, Type, str | None, Context, Callable[[Context], object]]] = [
    (
        'age(date_naissance) >= 18 and situation == "marie"',
        BOOLEEN,
        None,
        Context({"date_naissance": date(1990, 7, 14), "situation": "marie"}, TODAY),
        _age_lambda,
    ),
    (
        "membre_a_revenus and membre_revenus > 0",
        BOOLEEN,
        "membres",
        Context({}, TODAY, item={"membre_a_revenus": True, "membre_revenus": Decimal(250000)}),
        _item_lambda,
    ),
    (
        "arrondi(revenus_foyer / nombre_parts)",
        NOMBRE,
        None,
        Context({"revenus_foyer": Decimal(1850000), "nombre_parts": Decimal("2.5")}, TODAY),
        _quotient_lambda,
    ),
]


def _best(run: Callable[[], object], number: int) -> float:
    """Microseconds per call, best of 7 runs."""
    return min(timeit.repeat(run, number=number, repeat=7)) / number * 1e6


def main() -> None:
    """Print one line per expression."""
    columns = ("parse", 6), ("check+compile", 14), ("cold", 6), ("cached", 7), ("eval", 6), ("lambda", 7), ("ratio", 6)
    print(f"{'expression (µs)':<52} " + " ".join(f"{name:>{width}}" for name, width in columns))
    for source, expected, in_bloc, context, by_hand in CASES:
        expression = compile_expression(source, SCOPE, expected=expected, bloc=in_bloc)
        assert expression.evaluate(context) == by_hand(context), source
        parsing = _best(lambda: parse.__wrapped__(source), 2_000)  # noqa: B023
        checking = _best(lambda: build(source, SCOPE, expected=expected, bloc=in_bloc), 2_000)  # noqa: B023
        cached = _best(lambda: compile_expression(source, SCOPE, expected=expected, bloc=in_bloc), 20_000)  # noqa: B023
        evaluating = _best(lambda: expression.evaluate(context), 50_000)  # noqa: B023
        ceiling = _best(lambda: by_hand(context), 50_000)  # noqa: B023
        print(
            f"{source:<52} {parsing:>6.1f} {checking:>14.1f} {parsing + checking:>6.1f} {cached:>7.2f} "
            f"{evaluating:>6.2f} {ceiling:>7.2f} {evaluating / ceiling:>6.2f}"
        )


if __name__ == "__main__":
    main()
