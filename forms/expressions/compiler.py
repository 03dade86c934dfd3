"""Turning a checked tree into Python closures (never eval, compile or exec), specialised (constants folded, root
names read without an item test, comparisons against a literal inlined) so that evaluating a typical condition costs
about as much as a hand-written lambda."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from forms.expressions.functions import FUNCTIONS
from forms.expressions.tree import Attribute, Binary, Call, Compare, Const, ListOf, Logic, Name, Node, Projection, Unary
from forms.expressions.types import BOOLEEN, Context, Kinds
from forms.expressions.values import Compiled, Item, decimal_of, is_vide, normalizer, to_decimal


def compile_tree(node: Node) -> Compiled:
    """The closure computing a checked tree's value."""
    return _COMPILERS[type(node)](node)


def _const(node: Const) -> Compiled:
    value = node.value
    return lambda ctx, item: value


def _call(node: Call) -> Compiled:
    return FUNCTIONS[node.function].build(tuple([compile_tree(a) for a in node.args]), node)


def _name(node: Name) -> Compiled:
    name = node.name
    normalize = normalizer(node.type)
    if node.in_item:
        if normalize is None:
            return lambda ctx, item: item.get(name) if item is not None else None
        return lambda ctx, item: normalize(item.get(name)) if item is not None else None
    if name == "aujourdhui":
        return lambda ctx, item: ctx.today
    kind = node.type.kind
    if kind is Kinds.NOMBRE:

        def number(ctx: Context, item: Item) -> object:
            value = ctx.values.get(name)
            return value if value is None or value.__class__ is Decimal else to_decimal(value)

        return number
    if kind is Kinds.TEXTE or kind is Kinds.CODE:
        return lambda ctx, item: ctx.values.get(name) or None
    if normalize is None:
        return lambda ctx, item: ctx.values.get(name)
    return lambda ctx, item: normalize(ctx.values.get(name))


_STRICT_FUNCTIONS = frozenset({"vide", "rempli", "existe", "tous"})


def is_strict_boolean(node: Node) -> bool:
    """Whether the node always gives True or False, never vide: its parents can then skip a bool()."""
    kind = type(node)
    if kind is Compare or kind is Logic:
        return True
    if kind is Unary:
        return node.op == "not"  # type: ignore[union-attr]
    if kind is Call:
        return node.function in _STRICT_FUNCTIONS  # type: ignore[union-attr]
    return kind is Const and node.value.__class__ is bool  # type: ignore[union-attr]


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
_READS = (Name, Attribute)  # a tuple: isinstance with Name | Attribute would build the union at every call
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _is_vide_literal(node: Node) -> bool:
    return isinstance(node, Const) and node.value is None


def _compare(node: Compare) -> Compiled:
    if len(node.ops) == 1:
        return _pair(node.ops[0], node.left, node.comparators[0])
    left = compile_tree(node.left)
    steps = [(_test(op, right), compile_tree(right)) for op, right in zip(node.ops, node.comparators, strict=True)]

    def chain(ctx: Context, item: Item) -> object:
        value = left(ctx, item)
        for test, right in steps:
            other = right(ctx, item)
            if not test(value, other):
                return False
            value = other
        return True

    return chain


def _test(op: str, right: Node) -> Callable[[Any, Any], bool]:
    """The comparison of two values with the semantics of vide: false as soon as one is vide, except ``== vide``."""
    if op in ("==", "!=") and _is_vide_literal(right):
        return (lambda a, b: is_vide(a)) if op == "==" else (lambda a, b: not is_vide(a))
    if op == "==":
        return lambda a, b: a is not None and b is not None and a == b
    if op == "!=":
        return lambda a, b: a is not None and b is not None and a != b
    if op == "in":
        return lambda a, b: a is not None and b is not None and a in b
    if op == "not in":
        return lambda a, b: a is not None and (b is None or a not in b)
    order = _ORDER[op]
    return lambda a, b: a is not None and b is not None and order(a, b)


def _pair(op: str, left_node: Node, right_node: Node) -> Compiled:
    if _is_vide_literal(left_node) and op in ("==", "!="):
        left_node, right_node = right_node, left_node
    if isinstance(left_node, Const) and not isinstance(right_node, Const) and op in _FLIPPED:
        op, left_node, right_node = _FLIPPED[op], right_node, left_node
    left = compile_tree(left_node)
    if isinstance(right_node, Const) and not _is_blank(right_node.value):
        # Names and attributes read "" and () as None, so None is their only vide: tests can be simpler.
        return _against_constant(op, left, right_node.value, normalized=isinstance(left_node, _READS))
    if isinstance(right_node, ListOf) and all(isinstance(e, Const) for e in right_node.elements):
        members = frozenset(e.value for e in right_node.elements if e.value is not None)  # type: ignore[union-attr]
        if op == "in":
            return lambda ctx, item: left(ctx, item) in members
        if op == "not in":
            return lambda ctx, item: (value := left(ctx, item)) is not None and value not in members
    right, test = compile_tree(right_node), _test(op, right_node)
    return lambda ctx, item: test(left(ctx, item), right(ctx, item))


def _is_blank(value: object) -> bool:
    return value is None or ((value.__class__ is str or value.__class__ is tuple) and not value)


def _against_constant(op: str, left: Compiled, constant: Any, *, normalized: bool) -> Compiled:
    # The constant is not vide, so `==` needs no vide test at all: a vide value never equals it.
    if op == "==":
        return lambda ctx, item: left(ctx, item) == constant
    if op == "!=":
        if normalized:
            return lambda ctx, item: (value := left(ctx, item)) is not None and value != constant
        return lambda ctx, item: not is_vide(value := left(ctx, item)) and value != constant
    if op == ">=":
        return lambda ctx, item: (value := left(ctx, item)) is not None and value >= constant
    if op == ">":
        return lambda ctx, item: (value := left(ctx, item)) is not None and value > constant
    if op == "<=":
        return lambda ctx, item: (value := left(ctx, item)) is not None and value <= constant
    if op == "<":
        return lambda ctx, item: (value := left(ctx, item)) is not None and value < constant
    test = _test(op, Const(BOOLEEN, constant))
    return lambda ctx, item: test(left(ctx, item), constant)


def _logic(node: Logic) -> Compiled:
    parts = [compile_tree(v) for v in node.values]
    strict = all([is_strict_boolean(v) for v in node.values])
    if len(parts) == 2:
        a, b = parts
        if node.op == "and":
            if strict:
                return lambda ctx, item: a(ctx, item) and b(ctx, item)
            return lambda ctx, item: True if a(ctx, item) and b(ctx, item) else False
        if strict:
            return lambda ctx, item: a(ctx, item) or b(ctx, item)
        return lambda ctx, item: True if a(ctx, item) or b(ctx, item) else False
    if node.op == "and":
        return lambda ctx, item: all(part(ctx, item) for part in parts)
    return lambda ctx, item: any(part(ctx, item) for part in parts)


def _unary(node: Unary) -> Compiled:
    operand = compile_tree(node.operand)
    if node.op == "not":
        return lambda ctx, item: not operand(ctx, item)
    if node.op == "+":
        return operand
    return lambda ctx, item: None if (value := operand(ctx, item)) is None else -value


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def _binary(node: Binary) -> Compiled:
    if node.type.kind is Kinds.VIDE:
        return lambda ctx, item: None
    left, right = compile_tree(node.left), compile_tree(node.right)
    if node.op == "/":
        run = _divide(left, right)
    elif node.left.type.kind is Kinds.DATE and node.right.type.kind is Kinds.DATE:
        run = _days_between(left, right)
    elif Kinds.DATE in (node.left.type.kind, node.right.type.kind):
        run = _calendar(_ARITHMETIC[node.op], left, right)
    elif isinstance(node.right, Const):
        run = _with_constant(_ARITHMETIC[node.op], left, node.right.value)
    else:
        apply = _ARITHMETIC[node.op]

        def run(ctx: Context, item: Item) -> object:
            a = left(ctx, item)
            if a is None:
                return None
            b = right(ctx, item)
            return None if b is None else apply(a, b)

    if isinstance(node.left, Const) and isinstance(node.right, Const):
        value = run(None, None)  # type: ignore[arg-type]  # two constants read no context: fold them once
        return lambda ctx, item: value
    return run


def _with_constant(apply: Callable[[Any, Any], Any], left: Compiled, constant: object) -> Compiled:
    return lambda ctx, item: None if (value := left(ctx, item)) is None else apply(value, constant)


def _divide(left: Compiled, right: Compiled) -> Compiled:
    def divide(ctx: Context, item: Item) -> object:
        a = left(ctx, item)
        if a is None:
            return None
        b = right(ctx, item)
        return None if not b else a / b  # b is a Decimal or None: division by zero gives vide

    return divide


def _days_between(left: Compiled, right: Compiled) -> Compiled:
    def days(ctx: Context, item: Item) -> object:
        a, b = left(ctx, item), right(ctx, item)
        return None if a is None or b is None else decimal_of((a - b).days)

    return days


def _calendar(apply: Callable[[Any, Any], Any], left: Compiled, right: Compiled) -> Compiled:
    def shift(ctx: Context, item: Item) -> object:
        a, b = left(ctx, item), right(ctx, item)
        if a is None or b is None:
            return None
        try:
            return apply(a, b)
        except (ValueError, OverflowError):  # beyond year 9999
            return None

    return shift


def _attribute(node: Attribute) -> Compiled:
    record, attr, normalize = compile_tree(node.value), node.attr, normalizer(node.type)

    def attribute(ctx: Context, item: Item) -> object:
        found = record(ctx, item)
        if found is None:
            return None
        value = found.get(attr)
        return normalize(value) if normalize is not None else value

    return attribute


def _projection(node: Projection) -> Compiled:
    items, champ = compile_tree(node.bloc), node.champ
    element = node.type.element
    normalize = normalizer(element) if element is not None else None

    def projection(ctx: Context, item: Item) -> object:
        rows = items(ctx, item)
        if not rows:
            return ()
        if normalize is None:
            return tuple(row.get(champ) for row in rows)
        return tuple(normalize(row.get(champ)) for row in rows)

    return projection


def _list(node: ListOf) -> Compiled:
    elements = [compile_tree(e) for e in node.elements]
    if all(isinstance(e, Const) for e in node.elements):
        value = tuple(e.value for e in node.elements)  # type: ignore[union-attr]
        return lambda ctx, item: value
    return lambda ctx, item: tuple(e(ctx, item) for e in elements)


_COMPILERS: dict[type, Callable[[Any], Compiled]] = {
    Const: _const,
    Name: _name,
    Compare: _compare,
    Logic: _logic,
    Call: _call,
    Binary: _binary,
    Unary: _unary,
    Attribute: _attribute,
    Projection: _projection,
    ListOf: _list,
}
