"""The French reading of a checked expression, for the agents' view of a rule:
« situation familiale » est « Marié(e) ou pacsé(e) »."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from forms.expressions.tree import (
    Attribute,
    Binary,
    Call,
    Compare,
    Const,
    ListOf,
    Logic,
    Name,
    Node,
    Projection,
    Unary,
    literal,
)
from forms.expressions.types import Kinds, Scope

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
)  # fmt: skip
_COMPARISONS = {
    "==": "est", "!=": "n'est pas", "<": "est inférieur à", "<=": "est inférieur ou égal à", ">": "est supérieur à",
    ">=": "est supérieur ou égal à",
}  # fmt: skip
_DATE_COMPARISONS = {"<": "est avant", "<=": "est au plus tard", ">": "est après", ">=": "est au plus tôt"}
_ARITHMETIC = {"+": "+", "-": "-", "*": "×", "/": "÷"}
_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6, "unary": 7}
_ATOM = 8


def french(node: Node, scope: Scope) -> str:
    """How an agent reads ``node``."""
    return _Renderer(scope).render(node)


def number(value: Decimal) -> str:
    """A number written the French way: 1 200 000,5 (and 2024, since four digits are not grouped)."""
    integer, _, decimals = format(value, "f").partition(".")
    if len(integer.lstrip("-")) > 4:
        integer = format(int(integer), ",").replace(",", "\u202f")
    return integer + ("," + decimals if decimals else "")


def _date(value: date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


class _Renderer:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def render(self, node: Node, parent: int = 0) -> str:
        text, precedence = self._phrase(node)
        return f"({text})" if precedence < parent else text

    def _label(self, name: str) -> str:
        symbol = self.scope.symbols.get(name)
        return f"« {symbol.libelle if symbol is not None and symbol.libelle else name} »"

    def _phrase(self, node: Node) -> tuple[str, int]:
        if isinstance(node, Const):
            return self._constant(node), _ATOM
        if isinstance(node, Name):
            return ("aujourd'hui" if node.name == "aujourdhui" and not node.in_item else self._label(node.name)), _ATOM
        if isinstance(node, Attribute):
            return f"« {node.attr.replace('_', ' ')} » de {self.render(node.value, _ATOM)}", _ATOM
        if isinstance(node, Projection):
            return f"{self._label(node.champ)} de chaque élément de {self._label(node.bloc.name)}", _ATOM
        if isinstance(node, ListOf):
            return ", ".join(self.render(e, _ATOM) for e in node.elements), _ATOM
        if isinstance(node, Unary):
            return self._unary(node)
        if isinstance(node, Binary):
            level = _PRECEDENCE[node.op]
            left, right = self.render(node.left, level), self.render(node.right, level + 1)
            return f"{left} {_ARITHMETIC[node.op]} {right}", level
        if isinstance(node, Logic):
            level = _PRECEDENCE[node.op]
            word = " et " if node.op == "and" else " ou "
            return word.join(self.render(v, level + 1) for v in node.values), level
        if isinstance(node, Compare):
            return self._compare(node), _PRECEDENCE["compare"]
        return self._call(node)

    def _constant(self, node: Const) -> str:
        value = node.value
        if value is None:
            return "vide"
        if isinstance(value, bool):
            return "oui" if value else "non"
        if isinstance(value, Decimal):
            return number(value)
        if isinstance(value, date):
            return _date(value)
        if node.type.kind is Kinds.CODE and node.type.liste is not None:
            value = self.scope.listes.get(node.type.liste, {}).get(str(value), value)
        return f"« {value} »"

    def _unary(self, node: Unary) -> tuple[str, int]:
        if node.op == "not":
            if isinstance(node.operand, Name):
                return f"{self.render(node.operand)} vaut non", _PRECEDENCE["compare"]
            return f"il est faux que {self.render(node.operand, _PRECEDENCE['not'])}", _PRECEDENCE["not"]
        return f"{node.op}{self.render(node.operand, _PRECEDENCE['unary'])}", _PRECEDENCE["unary"]

    def _compare(self, node: Compare) -> str:
        level = _PRECEDENCE["compare"] + 1
        parts = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts.append(self._pair(op, left, right, level))
            left = right
        return " et ".join(parts)

    def _pair(self, op: str, left: Node, right: Node, level: int) -> str:
        if op in ("==", "!=") and isinstance(right, Const) and right.value is None:
            return f"{self.render(left, level)} {'est vide' if op == '==' else 'est rempli'}"
        if op in ("in", "not in"):
            if isinstance(right, ListOf):
                word, joint = (" est ", " ou ") if op == "in" else (" n'est ni ", " ni ")
                return self.render(left, level) + word + joint.join(self.render(e, _ATOM) for e in right.elements)
            verb = "contient" if op == "in" else "ne contient pas"
            return f"{self.render(right, level)} {verb} {self.render(left, level)}"
        if Kinds.DATE in (left.type.kind, right.type.kind) and op in _DATE_COMPARISONS:
            on = " le" if isinstance(right, Const) else ""  # « est avant le 1er janvier 2024 »
            return f"{self.render(left, level)} {_DATE_COMPARISONS[op]}{on} {self.render(right, level)}"
        return f"{self.render(left, level)} {_COMPARISONS[op]} {self.render(right, level)}"

    def _call(self, node: Call) -> tuple[str, int]:
        args = node.args
        name = node.function
        shown = [self.render(a, _ATOM) for a in args]
        if name == "si":
            return f"si {self.render(args[0], 1)} alors {self.render(args[1], 1)} sinon {self.render(args[2], 1)}", 0
        if name in ("vide", "rempli"):
            return f"{self.render(args[0], _PRECEDENCE['compare'] + 1)} est {name}", _PRECEDENCE["compare"]
        if name in ("existe", "tous", "compte"):
            condition = self.render(args[1], _PRECEDENCE["not"])
            items = self.render(args[0], _ATOM)
            phrase = {
                "existe": f"au moins un élément de {items} vérifie : {condition}",
                "tous": f"tous les éléments de {items} vérifient : {condition}",
                "compte": f"le nombre d'éléments de {items} qui vérifient : {condition}",
            }[name]
            return phrase, _PRECEDENCE["not"]
        return self._simple_call(name, args, shown), _ATOM

    def _simple_call(self, name: str, args: tuple[Node, ...], shown: list[str]) -> str:
        if name == "age":
            return f"l'âge à partir de {shown[0]}" + (f" à la date {shown[1]}" if len(args) == 2 else "")
        if name in ("annees", "mois", "jours"):
            count = literal(args[0])
            singular = count is not None and abs(count) <= 1
            unit = {"annees": "an" if singular else "ans", "mois": "mois", "jours": "jour" if singular else "jours"}
            return f"{shown[0]} {unit[name]}"
        if name == "date":
            return f"la date {shown[2]}/{shown[1]}/{shown[0]}"
        if name == "arrondi":
            places = int(literal(args[1])) if len(args) == 2 else 0
            if places == 0:
                return f"l'arrondi de {shown[0]}"
            if places < 0:
                return f"l'arrondi à {number(Decimal(10) ** -places)} près de {shown[0]}"
            return f"l'arrondi à {places} décimale{'s' if places > 1 else ''} de {shown[0]}"
        if name == "tranche":
            column, bareme = literal(args[2]), literal(args[0])
            return f"la colonne « {column} » du barème « {bareme} » pour {shown[1]}"
        lead = {
            "annee": "l'année de",
            "nombre": "le nombre de",
            "somme": "la somme de",
            "min": "le plus petit de",
            "max": "le plus grand de",
            "longueur": "la longueur de",
        }[name]
        return f"{lead} {', '.join(shown)}"
