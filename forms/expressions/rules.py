"""Which types fit together: a value where a type is expected (a string literal where a code is, checked against its
list), the two sides of a comparison, and the result type of each arithmetic operator."""

from __future__ import annotations

from forms.expressions.tree import Const, ListOf, Node
from forms.expressions.types import DATE, DUREE, NOMBRE, TEXTE, Kind, Kinds, Scope, Type, liste_de, type_name
from forms.suggestions import closest


class Misfit(Exception):
    """A value used where its type does not fit; ``message`` when there is more to say than the two types."""

    def __init__(self, message: str | None = None, suggestion: str | None = None, *, literal: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion
        self.literal = literal
        """The fault is a literal's (a code not in its list), not the types': the error points at the literal."""


def is_empty_list(t: Type) -> bool:
    """``[]``: a list whose element type is not known, which fits any list."""
    return t.kind is Kinds.LISTE and (t.element is None or t.element.kind is Kinds.VIDE)


def fit(node: Node, target: Type, scope: Scope) -> Node:
    """``node`` made to fit ``target``: a string literal becomes a code of the target's list once it is checked to
    be one. Raises Misfit."""
    actual = node.type
    if actual is target or actual.kind is Kinds.VIDE or target.kind is Kinds.VIDE or actual == target:
        return node
    if target.kind is Kinds.CODE and actual.kind is Kinds.TEXTE and isinstance(node, Const):
        return Const(target, check_code(node.value, target.liste, scope))
    if target.kind is Kinds.LISTE and actual.kind is Kinds.LISTE:
        if is_empty_list(actual) or is_empty_list(target):
            return node
        if isinstance(node, ListOf) and target.element is not None:
            element = target.element
            return ListOf(target, tuple(fit(e, element, scope) for e in node.elements))
    raise Misfit


def unify(a: Node, b: Node, scope: Scope) -> tuple[Node, Node, Type]:
    """Both values fitted to one type, and that type. Raises Misfit."""
    try:
        b = fit(b, a.type, scope)
    except Misfit as first:
        try:
            a = fit(a, b.type, scope)
        except Misfit as second:
            raise (second if second.message else first) from None
    if a.type.kind is Kinds.VIDE or is_empty_list(a.type):
        return a, b, b.type
    return a, b, a.type


def check_code(value: object, liste: str | None, scope: Scope) -> object:
    """``value`` when it is a code of ``liste``. Raises Misfit listing the codes."""
    codes = scope.listes.get(liste) if liste is not None else None
    if codes is None or value in codes:
        return value
    shown = ", ".join(f"« {c} »" for c in list(codes)[:12]) + (", …" if len(codes) > 12 else "")
    hint = closest(str(value), codes)
    raise Misfit(
        f"« {value} » n'est pas un code de la liste « {liste} » (codes possibles : {shown})",
        f"Vouliez-vous dire « {hint} » ?" if hint else None,
        literal=True,
    )


_RESULTS: dict[tuple[str, Kind, Kind], Type] = {
    **{(op, Kinds.NOMBRE, Kinds.NOMBRE): NOMBRE for op in "+-*/"},
    ("+", Kinds.DATE, Kinds.DUREE): DATE,
    ("+", Kinds.DUREE, Kinds.DATE): DATE,
    ("-", Kinds.DATE, Kinds.DUREE): DATE,
    ("-", Kinds.DATE, Kinds.DATE): NOMBRE,
    ("+", Kinds.DUREE, Kinds.DUREE): DUREE,
    ("-", Kinds.DUREE, Kinds.DUREE): DUREE,
    ("+", Kinds.TEXTE, Kinds.TEXTE): TEXTE,
}


def _both(left: Type, right: Type) -> str:
    return f"{type_name(left, article=True)} et {type_name(right, article=True)}"


def arithmetic(op: str, left: Type, right: Type) -> Type:
    """The type of ``left op right``: numbers, date ± durée, date - date (days), texte + texte. Raises Misfit."""
    result = _RESULTS.get((op, left.kind, right.kind))
    if result is None:
        raise Misfit(f"« {op} » ne s'applique pas à {_both(left, right)} (aucune conversion implicite)")
    return result


def comparison(op: str, left: Node, right: Node, scope: Scope) -> tuple[Node, Node]:
    """Both sides of ``left op right`` fitted to each other (string literals become codes). Raises Misfit."""
    if op in ("==", "!="):
        try:
            left, right, _ = unify(left, right, scope)
        except Misfit as misfit:
            if misfit.message:
                raise
            raise Misfit(f"impossible de comparer {_both(left.type, right.type)}") from None
        return left, right
    if op in ("in", "not in"):
        return _membership(op, left, right, scope)
    if {left.type.kind, right.type.kind} - {Kinds.VIDE} not in _ORDERED:
        raise Misfit(f"« {op} » compare deux nombres ou deux dates, pas {_both(left.type, right.type)}")
    return left, right


_ORDERED: tuple[set[Kind], ...] = ({Kinds.NOMBRE}, {Kinds.DATE}, set())
"""What < <= > >= may compare, once vide is set aside: numbers, or dates (a durée has no order: 1 mois ≠ 30 jours)."""


def _membership(op: str, left: Node, right: Node, scope: Scope) -> tuple[Node, Node]:
    kind = right.type.kind
    if kind is Kinds.VIDE or left.type.kind is Kinds.VIDE:
        return left, right
    if kind is not Kinds.LISTE:
        raise Misfit(f"« {op} » cherche une valeur dans une liste, pas dans {type_name(right.type, article=True)}")
    try:
        if isinstance(right, ListOf):
            return left, fit(right, liste_de(left.type), scope)
        element = right.type.element
        return (fit(left, element, scope) if element is not None else left), right
    except Misfit as misfit:
        if misfit.message:
            raise
        raise Misfit(
            f"« {op} » cherche {type_name(left.type, article=True)} dans une {type_name(right.type)}"
        ) from None
