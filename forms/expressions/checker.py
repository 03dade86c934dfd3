"""Load-time checking of one expression: only the constructs of the language, only known names, and a type for every
node, with every error found (not just the first) at its exact place."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from forms.expressions.bounds import can_be_zero, constant_comparison, constant_conditions
from forms.expressions.functions import FUNCTIONS, Function, arity_problem
from forms.expressions.names import CONSTANTS, Unresolved, did_you_mean, resolve_attribute, resolve_name
from forms.expressions.rules import Misfit, arithmetic, comparison, fit
from forms.expressions.syntax import (
    Positions,
    checkable_children,
    parse,
    refused_call_parts,
    rejected,
    rejected_operator,
)
from forms.expressions.tree import Binary, Compare, Const, ListOf, Logic, Name, Node, Projection, Unary
from forms.expressions.types import (
    BOOLEEN,
    NOMBRE,
    TEXTE,
    VIDE,
    ExpressionError,
    Kind,
    Kinds,
    Scope,
    Type,
    liste_de,
    type_name,
)
from forms.suggestions import closest

_VIDE = CONSTANTS["vide"]
_LITERALS = (Const, ListOf)  # a tuple, not Const | ListOf: isinstance would build the union at every call
_POISON = Name(VIDE, "")
"""What a node with an error becomes: VIDE fits everywhere, so one mistake is reported once, not at every parent."""

_BOOLEAN_OPS = {ast.And: "and", ast.Or: "or"}
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARISONS = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in",
    ast.NotIn: "not in",
}  # fmt: skip
_SEVERITY = {"E010": "avertissement", "E011": "avertissement"}


@dataclass(slots=True)
class Checked:
    """What checking found: the typed tree (None on error), the names used, and every error and warning."""

    tree: Node | None
    names: frozenset[str]
    problems: tuple[ExpressionError, ...]


def check(source: str, scope: Scope, *, expected: Type | None = None, bloc: str | None = None) -> Checked:
    """Parse and check ``source`` against ``scope``; ``bloc`` is the repeat block whose item it is evaluated on."""
    parsed = parse(source)
    if parsed.tree is None:
        assert parsed.error is not None
        return Checked(None, frozenset(), (parsed.error,))
    checker = _Checker(scope, parsed.positions, bloc)
    tree = checker.node(parsed.tree)
    if expected is not None and tree is not _POISON and tree.type is not expected:
        try:
            tree = fit(tree, expected, scope)
        except Misfit as misfit:
            wanted, got = type_name(expected, article=True), type_name(tree.type, article=True)
            message = misfit.message or f"cette expression doit donner {wanted}, elle donne {got}"
            checker.problem(parsed.tree, "E009", message, misfit.suggestion)
    if not checker.problems:
        return Checked(tree, frozenset(checker.names), ())
    problems = sorted(checker.problems, key=lambda p: (p.severity != "erreur", p.line, p.column))
    failed = any(p.severity == "erreur" for p in problems)
    return Checked(None if failed else tree, frozenset(checker.names), tuple(problems))


class _Checker:
    __slots__ = ("bloc", "names", "positions", "problems", "scope")

    def __init__(self, scope: Scope, positions: Positions, bloc: str | None) -> None:
        self.scope = scope
        self.positions = positions
        self.bloc = bloc
        self.names: set[str] = set()
        self.problems: list[ExpressionError] = []

    def problem(self, node: ast.AST, code: str, message: str, suggestion: str | None = None) -> None:
        line, column, end_column = self.positions.span(node)
        severity = _SEVERITY.get(code, "erreur")
        self.problems.append(ExpressionError(code, message, line, column, end_column, suggestion, severity))

    def node(self, node: ast.expr) -> Node:
        method = _DISPATCH.get(type(node))
        if method is None:
            self.problem(node, "E002", rejected(node))
            for child in checkable_children(node):
                self.node(child)
            return _POISON
        return method(self, node)

    def constant(self, node: ast.Constant) -> Node:
        value = node.value
        if value is True or value is False or value is None:
            self.problem(node, "E002", f"« {value} » n'existe pas dans les expressions : écrivez oui, non ou vide")
        elif isinstance(value, str):
            return Const(TEXTE, value)
        elif value.__class__ is int:
            return Const(NOMBRE, Decimal(value))
        elif isinstance(value, float):
            return Const(NOMBRE, self._decimal(node))
        else:
            self.problem(node, "E002", "seuls les nombres et les textes entre guillemets sont permis comme valeurs")
        return _POISON

    def _decimal(self, node: ast.Constant) -> Decimal:
        # From the literal's own text, so that 0.1 is exactly one tenth, not the nearest binary fraction.
        try:
            return Decimal(self.positions.segment(node))
        except InvalidOperation:  # every float literal Python reads is also a Decimal literal; this is a safety net
            return Decimal(str(node.value))

    def name(self, node: ast.Name) -> Node:
        ident = node.id
        symbol = self.scope.symbols.get(ident)
        if symbol is not None and symbol.bloc is None and ident not in CONSTANTS:  # the common case, first
            self.names.add(ident)
            return Name(symbol.type, ident)
        try:
            found = resolve_name(ident, self.scope, self.bloc)
        except Unresolved as unresolved:
            self.problem(node, unresolved.code, unresolved.message, unresolved.suggestion)
            return _POISON
        if isinstance(found, Name) and node.id not in CONSTANTS:
            self.names.add(node.id)
        return found

    def attribute(self, node: ast.Attribute) -> Node:
        value = self.node(node.value)
        if value is _POISON:
            return _POISON
        try:
            found = resolve_attribute(value, node.attr)
        except Unresolved as unresolved:
            line, _, end_column = self.positions.span(node)  # point at the attribute, not at the record
            start = max(end_column - len(node.attr), 0)
            problem = ExpressionError(
                unresolved.code, unresolved.message, line, start, end_column, unresolved.suggestion
            )
            self.problems.append(problem)
            return _POISON
        if isinstance(found, Projection):
            self.names.add(node.attr)
        return found

    def literal_list(self, node: ast.List) -> Node:
        elements = [self.node(e) for e in node.elts]
        element_type = next((e.type for e in elements if e.type.kind is not Kinds.VIDE), VIDE)
        for index, (element, source) in enumerate(zip(elements, node.elts, strict=True)):
            try:
                elements[index] = fit(element, element_type, self.scope)
            except Misfit:
                kinds = f"{type_name(element_type)} puis {type_name(element.type)}"
                self.problem(source, "E005", f"une liste contient des valeurs d'un seul type, pas : {kinds}")
        return ListOf(liste_de(element_type), tuple(elements))

    def unary(self, node: ast.UnaryOp) -> Node:
        operand = self.node(node.operand)
        if isinstance(node.op, ast.Not):
            self._expect(node.operand, operand, Kinds.BOOLEEN, "« not » s'applique à une condition oui/non, pas à {}")
            return Unary(BOOLEEN, "not", operand)
        reason = rejected_operator(node.op)
        if reason is not None:
            self.problem(node, "E002", reason)
            return _POISON
        op = "-" if isinstance(node.op, ast.USub) else "+"
        if not self._expect(
            node.operand, operand, Kinds.NOMBRE, f"« {op} » devant une valeur s'applique à un nombre, pas à {{}}"
        ):
            return _POISON
        if isinstance(operand, Const) and isinstance(operand.value, Decimal):
            return Const(NOMBRE, -operand.value if op == "-" else operand.value)
        return Unary(NOMBRE, op, operand)

    def _expect(self, source: ast.expr, node: Node, kind: Kind, message: str) -> bool:
        if node.type.kind is kind or node.type.kind is Kinds.VIDE:
            return True
        self.problem(source, "E005", message.format(type_name(node.type, article=True)))
        return False

    def boolean(self, node: ast.BoolOp) -> Node:
        op = _BOOLEAN_OPS[type(node.op)]
        values = tuple([self.node(v) for v in node.values])
        for value, source in zip(values, node.values, strict=True):
            if value.type.kind is not Kinds.BOOLEEN:
                self._expect(source, value, Kinds.BOOLEEN, f"« {op} » relie des conditions oui/non, pas {{}}")
        for message in constant_conditions(op, values):
            self.problem(node, "E010", message)
        return Logic(BOOLEEN, op, values)

    def binary(self, node: ast.BinOp) -> Node:
        left, right = self.node(node.left), self.node(node.right)
        op = _ARITHMETIC.get(type(node.op))
        if op is None:
            self.problem(node, "E002", rejected(node.op))
            return _POISON
        if left.type.kind is Kinds.VIDE or right.type.kind is Kinds.VIDE:
            return Binary(VIDE, op, left, right)
        try:
            result = arithmetic(op, left.type, right.type)
        except Misfit as misfit:
            self.problem(node, "E005", misfit.message or "")
            return _POISON
        if op == "/" and can_be_zero(right, self.scope):
            self.problem(node.right, "E011", "ce diviseur peut valoir zéro : la division donnera alors vide")
        return Binary(result, op, left, right)

    def compare(self, node: ast.Compare) -> Node:
        if len(node.ops) == 1:
            return self._single_compare(node)
        operands = [self.node(node.left)]
        operands.extend([self.node(c) for c in node.comparators])
        ops: list[str] = []
        for index, ast_op in enumerate(node.ops):
            op = _COMPARISONS.get(type(ast_op))
            if op is None:
                self.problem(node, "E002", rejected(ast_op))
                return _POISON
            ops.append(op)
            try:
                operands[index], operands[index + 1] = comparison(op, operands[index], operands[index + 1], self.scope)
            except Misfit as misfit:
                sources = [node.left, *node.comparators]
                literal = misfit.literal and isinstance(operands[index], _LITERALS)
                self.problem(sources[index if literal else index + 1], "E005", misfit.message or "", misfit.suggestion)
        constant = constant_comparison(ops, operands)
        if constant is not None:
            self.problem(node, "E010", constant)
        return Compare(BOOLEEN, operands[0], tuple(ops), tuple(operands[1:]))

    def _single_compare(self, node: ast.Compare) -> Node:
        left, right = self.node(node.left), self.node(node.comparators[0])
        op = _COMPARISONS.get(type(node.ops[0]))
        if op is None:
            self.problem(node, "E002", rejected(node.ops[0]))
            return _POISON
        try:
            left, right = comparison(op, left, right, self.scope)
        except Misfit as misfit:
            literal = misfit.literal and isinstance(left, _LITERALS)
            self.problem(node.left if literal else node.comparators[0], "E005", misfit.message or "", misfit.suggestion)
        both_fixed = isinstance(left, Const) and isinstance(right, _LITERALS)
        if both_fixed or (op not in ("==", "!=") and (left is _VIDE or right is _VIDE)):
            constant = constant_comparison((op,), [left, right])
            if constant is not None:
                self.problem(node, "E010", constant)
        return Compare(BOOLEEN, left, (op,), (right,))

    def call(self, node: ast.Call) -> Node:
        if not isinstance(node.func, ast.Name) or node.keywords:
            for refused, reason in refused_call_parts(node):
                self.problem(refused, "E002", reason)
            if not isinstance(node.func, ast.Name):
                self._arguments(node)
                return _POISON
        name = node.func.id
        function = FUNCTIONS.get(name)
        if function is None:
            hint = closest(name, FUNCTIONS)
            self.problem(node.func, "E004", f"la fonction « {name} » n'existe pas", did_you_mean(hint))
            self._arguments(node)
            return _POISON
        wrong_count = arity_problem(function, len(node.args))
        if wrong_count is not None:
            self.problem(node, "E004", wrong_count)
            self._arguments(node)
            return _POISON
        args = self._per_item(function, node) if function.per_item else tuple([self.node(a) for a in node.args])
        if node.keywords or _POISON in args:
            return _POISON

        def report(index: int, code: str, message: str, suggestion: str | None = None) -> None:
            self.problem(node.args[index] if index >= 0 else node, code, message, suggestion)

        return function.check(name, args, self.scope, report)

    def _arguments(self, node: ast.Call) -> None:
        for arg in node.args:
            self.node(arg)

    def _per_item(self, function: Function, node: ast.Call) -> tuple[Node, ...]:
        items = self.node(node.args[0])
        if not (isinstance(items, Name) and items.type.kind is Kinds.BLOC and not items.in_item):
            if items is not _POISON:
                message = f"« {function.name} » attend le nom d'un bloc répétable en premier argument"
                self.problem(node.args[0], "E005", message)
            return items, _POISON
        enclosing, self.bloc = self.bloc, items.name
        try:
            return items, self.node(node.args[1])
        finally:
            self.bloc = enclosing


_DISPATCH: dict[type[ast.AST], Callable[[_Checker, Any], Node]] = {
    ast.Constant: _Checker.constant,
    ast.Name: _Checker.name,
    ast.Attribute: _Checker.attribute,
    ast.List: _Checker.literal_list,
    ast.UnaryOp: _Checker.unary,
    ast.BoolOp: _Checker.boolean,
    ast.BinOp: _Checker.binary,
    ast.Compare: _Checker.compare,
    ast.Call: _Checker.call,
}
