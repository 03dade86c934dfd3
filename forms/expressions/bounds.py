"""What can be known about an expression's values before any dossier exists: the interval a number lies in (for the
divisor that can be zero, E011) and the conditions whose outcome is fixed (E010)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from forms.expressions.tree import Attribute, Binary, Call, Compare, Const, ListOf, Name, Node, Unary, literal
from forms.expressions.types import Kinds, Scope

_INFINITY = Decimal("Infinity")
_ZERO = Decimal(0)
Interval = tuple[Decimal, Decimal]
_UNKNOWN: Interval = (-_INFINITY, _INFINITY)
_COUNTS: Interval = (_ZERO, _INFINITY)


def can_be_zero(node: Node, scope: Scope) -> bool:
    """Whether the number ``node`` may be zero, as far as constants, field bounds and arithmetic tell."""
    low, high = interval(node, scope)
    return low <= 0 <= high


def interval(node: Node, scope: Scope) -> Interval:
    """Bounds of a number; unknown is (-∞, +∞), which is never wrong, only unhelpful."""
    if isinstance(node, Const):
        return (node.value, node.value) if isinstance(node.value, Decimal) else _UNKNOWN
    if isinstance(node, Name):
        symbol = scope.symbols.get(node.name)
        if symbol is None:
            return _UNKNOWN
        low = symbol.minimum if symbol.minimum is not None else -_INFINITY
        return low, symbol.maximum if symbol.maximum is not None else _INFINITY
    if isinstance(node, Unary):
        low, high = interval(node.operand, scope)
        return (-high, -low) if node.op == "-" else (low, high)
    if isinstance(node, Binary) and node.left.type.kind is Kinds.NOMBRE and node.right.type.kind is Kinds.NOMBRE:
        return _arithmetic(node.op, interval(node.left, scope), interval(node.right, scope))
    if isinstance(node, Call):
        return _call(node, scope)
    return _UNKNOWN


def _arithmetic(op: str, a: Interval, b: Interval) -> Interval:
    if op == "+":
        return a[0] + b[0], a[1] + b[1]
    if op == "-":
        return a[0] - b[1], a[1] - b[0]
    if op == "*":
        products = [_times(x, y) for x in a for y in b]
        return min(products), max(products)
    return _UNKNOWN


def _times(x: Decimal, y: Decimal) -> Decimal:
    return _ZERO if x == 0 or y == 0 else x * y  # 0 × ∞ is 0 here: a bound, not a limit


def _call(node: Call, scope: Scope) -> Interval:
    name, args = node.function, node.args
    if name in ("nombre", "longueur", "compte"):
        return _COUNTS
    if name == "si":
        yes, no = interval(args[1], scope), interval(args[2], scope)
        return min(yes[0], no[0]), max(yes[1], no[1])
    if (
        name in ("min", "max")
        and node.type.kind is Kinds.NOMBRE
        and not (len(args) == 1 and args[0].type.kind is Kinds.LISTE)
    ):
        bounds = [interval(a, scope) for a in args]
        pick = min if name == "min" else max
        return pick(b[0] for b in bounds), pick(b[1] for b in bounds)
    if name == "arrondi":
        exponent = Decimal(1).scaleb(-int(literal(args[1])) if len(args) == 2 else 0)
        low, high = interval(args[0], scope)
        # Rounding never decreases order, so the rounded bounds bound the rounded value.
        return tuple(b if b.is_infinite() else b.quantize(exponent, ROUND_HALF_UP) for b in (low, high))  # type: ignore[return-value]
    return _UNKNOWN


def constant_conditions(op: str, values: tuple[Node, ...]) -> list[str]:
    """Why an ``and``/``or`` has a fixed outcome or a useless part (E010): a fixed value among its conditions, or
    ``x == "a" and x == "b"``."""
    messages: list[str] = []
    equalities = 0
    for value in values:
        if isinstance(value, Compare) and value.ops == ("==",):
            equalities += 1
        elif isinstance(value, Const):
            decisive = (value.value is True) is (op == "or")
            if decisive:
                messages.append(
                    f"condition toujours {'vraie' if op == 'or' else 'fausse'} : elle contient « {_show(value.value)} »"
                )
            else:
                messages.append(f"« {_show(value.value)} » dans une condition « {op} » ne change rien")
    if op == "and" and equalities > 1:
        seen: dict[str, list[object]] = {}
        for value in values:
            if isinstance(value, Compare) and value.ops == ("==",):
                pair = _subject(value.left, value.comparators[0]) or _subject(value.comparators[0], value.left)
                if pair is not None and pair[1] not in seen.setdefault(pair[0], []):
                    seen[pair[0]].append(pair[1])
        for subject, constants in seen.items():
            if len(constants) > 1:
                shown = " et ".join(f"« {_show(c)} »" for c in constants[:2])
                messages.append(f"condition contradictoire : « {subject} » ne peut valoir à la fois {shown}")
    return messages


def constant_comparison(ops: list[str] | tuple[str, ...], operands: list[Node]) -> str | None:
    """Why a comparison has a fixed outcome (E010), or None: it compares only literals, or orders against vide."""
    constants = 0
    vide = False
    for operand in operands:
        if isinstance(operand, Const):
            constants += 1
            vide = vide or operand.value is None
        elif isinstance(operand, ListOf) and all(map(_is_const, operand.elements)):
            constants += 1
    if constants == len(operands):
        return "cette comparaison ne porte que sur des valeurs fixes : son résultat ne change jamais"
    if vide and set(ops) - {"==", "!="}:
        return "une comparaison avec vide est toujours fausse : utilisez vide(x) ou rempli(x)"
    return None


def _is_const(node: Node) -> bool:
    return isinstance(node, Const)


def _subject(node: Node, other: Node) -> tuple[str, object] | None:
    if not isinstance(other, Const):
        return None
    if isinstance(node, Name):
        return node.name, other.value
    if isinstance(node, Attribute) and (inner := _subject(node.value, other)) is not None:
        return f"{inner[0]}.{node.attr}", other.value
    return None


def _show(value: object) -> str:
    if value is None:
        return "vide"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
