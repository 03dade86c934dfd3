"""What run-time values mean: which count as vide, how numbers arrive as Decimal, and how a read value is brought to
the form its static type promises, so the closures that use it need no further checks."""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from forms.expressions.types import Context, Kinds, Type

Item = Mapping[str, object] | None
Compiled = Callable[[Context, Item], Any]
"""A compiled expression. The current repeat item travels beside the context, so that existe/tous/compte can run a
condition per item without building a new Context for each; the result is Any because its Python type follows from
the checked static type."""

ZERO = Decimal(0)
_SMALL = tuple(Decimal(n) for n in range(256))


def decimal_of(n: int) -> Decimal:
    """A Decimal for an int, from a table for the small counts and ages that are computed again and again."""
    return _SMALL[n] if 0 <= n < 256 else Decimal(n)


def is_vide(value: object) -> bool:
    """vide, "" and () all mean that nothing was answered."""
    return value is None or value == "" or value == () or value == []


def to_decimal(value: object) -> object:
    """A number as Decimal (int and float inputs are tolerated); vide and other values pass through."""
    if value is None or value.__class__ is Decimal or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    return value


def _text(value: object) -> object:
    return value or None


def _sequence(value: object) -> object:
    if not value:
        return None
    return value if value.__class__ is tuple else tuple(value)  # type: ignore[arg-type]


def _numbers(value: object) -> object:
    if not value:
        return None
    return tuple(to_decimal(v) for v in value)  # type: ignore[attr-defined]


def normalizer(t: Type) -> Callable[[object], object] | None:
    """How to bring a read value to its type's canonical form; None when it already is."""
    kind = t.kind
    if kind is Kinds.NOMBRE:
        return to_decimal
    if kind is Kinds.TEXTE or kind is Kinds.CODE:
        return _text
    if kind is Kinds.LISTE:
        if t.element is not None and t.element.kind is Kinds.NOMBRE:
            return _numbers
        return _sequence
    if kind is Kinds.BLOC:
        return _sequence
    return None
