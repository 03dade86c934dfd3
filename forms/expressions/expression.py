"""The Expression callers keep, and compile_expression: check, compile, and remember the result in the scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from forms.expressions.checker import check
from forms.expressions.compiler import compile_tree, is_strict_boolean
from forms.expressions.french import french as to_french
from forms.expressions.tree import Node
from forms.expressions.types import BOOLEEN, Context, ExpressionError, ExpressionErrors, Scope, Type
from forms.expressions.values import Compiled, Item


@dataclass(frozen=True, slots=True)
class Expression:
    """A checked expression, ready to evaluate as often as needed."""

    source: str
    type: Type
    names: frozenset[str]
    """Every symbol referenced, roots and sub-fields: for dependency order, cycles and forward references."""
    warnings: tuple[ExpressionError, ...]
    _run: Compiled = field(repr=False, compare=False)
    _tree: Node = field(repr=False, compare=False)
    _scope: Scope = field(repr=False, compare=False)

    def evaluate(self, context: Context) -> object:
        """The value of the expression for this context (None means vide)."""
        return self._run(context, context.item)

    def french(self) -> str:
        """The expression as an agent reads it."""
        return to_french(self._tree, self._scope)


def compile_expression(
    source: str, scope: Scope, *, expected: Type | None = None, bloc: str | None = None
) -> Expression:
    """Check ``source`` against ``scope`` and compile it; raises ExpressionErrors when it has at least one error.

    ``expected`` is the type the result must have; ``bloc`` the repeat block whose item the expression is evaluated
    on, whose sub-fields it may then use directly."""
    key = (source, expected, bloc)
    found = scope._compiled.get(key)
    if found is None:
        found = scope._compiled[key] = build(source, scope, expected=expected, bloc=bloc)
    if isinstance(found, Expression):
        return found
    raise ExpressionErrors(found)  # type: ignore[arg-type]  # the cache holds an Expression or its errors


def build(
    source: str, scope: Scope, *, expected: Type | None = None, bloc: str | None = None
) -> Expression | tuple[ExpressionError, ...]:
    """compile_expression without its cache: the Expression, or every problem found when one is an error."""
    checked = check(source, scope, expected=expected, bloc=bloc)
    tree = checked.tree
    if tree is None:
        return checked.problems
    run = compile_tree(tree)
    if expected == BOOLEEN and not is_strict_boolean(tree):
        inner = run

        def run(ctx: Context, item: Item) -> object:
            return True if inner(ctx, item) else False

    return Expression(source, tree.type, checked.names, checked.problems, run, tree, scope)
