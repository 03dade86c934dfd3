"""What a name in an expression stands for: a reserved word, a field, calcul or parametre, a sub-field of the
current repeat item, an attribute of a record, or a sub-field projected across a repeat block."""

from __future__ import annotations

from itertools import chain

from forms.expressions.functions import FUNCTIONS
from forms.expressions.tree import Attribute, Const, Name, Node, Projection
from forms.expressions.types import BOOLEEN, DATE, VIDE, Kinds, Scope, Type, liste_de, type_name
from forms.suggestions import closest

CONSTANTS: dict[str, Node] = {
    "oui": Const(BOOLEEN, True),
    "non": Const(BOOLEEN, False),
    "vide": Const(VIDE, None),
    "aujourdhui": Name(DATE, "aujourdhui"),
}
"""The reserved words; they win over any symbol of the same name (the format forbids such ids anyway)."""


class Unresolved(Exception):
    """A name or attribute that stands for nothing usable here."""

    def __init__(self, code: str, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.suggestion = suggestion


def did_you_mean(hint: str | None) -> str | None:
    """The suggestion line of an error, when there is a close name."""
    return f"Vouliez-vous dire « {hint} » ?" if hint else None


def resolve_name(ident: str, scope: Scope, bloc: str | None) -> Node:
    """The node a bare name stands for, ``bloc`` being the repeat block whose item is current. Raises Unresolved."""
    constant = CONSTANTS.get(ident)
    if constant is not None:
        return constant
    symbol = scope.symbols.get(ident)
    if symbol is None:
        enclosing = scope.symbols.get(bloc) if bloc is not None else None
        champ = champ_type(enclosing.type, ident) if enclosing is not None else None
        if champ is not None:
            return Name(champ, ident, in_item=True)
        if ident in FUNCTIONS:
            raise Unresolved("E003", f"« {ident} » est une fonction : écrivez {FUNCTIONS[ident].signature}")
        hint = closest(ident, chain(scope.symbols, CONSTANTS))
        raise Unresolved("E003", f"« {ident} » n'existe pas", did_you_mean(hint))
    if symbol.bloc is None:
        return Name(symbol.type, ident)
    if symbol.bloc == bloc:
        return Name(symbol.type, ident, in_item=True)
    owner = symbol.bloc
    raise Unresolved(
        "E006",
        f"« {ident} » est un champ du bloc répétable « {owner} » : ici, utilisez-le dans existe({owner}, …), "
        f"tous({owner}, …), compte({owner}, …) ou {owner}.{ident}",
    )


def resolve_attribute(value: Node, attr: str) -> Node:
    """``value.attr``: an attribute of a record, or a projection of a repeat block. Raises Unresolved."""
    kind = value.type.kind
    if kind is Kinds.FICHE or (kind is Kinds.BLOC and isinstance(value, Name) and not value.in_item):
        champ = champ_type(value.type, attr)
        if champ is None:
            hint = closest(attr, (name for name, _ in value.type.champs))
            owner = f"la fiche « {_path(value)} »" if kind is Kinds.FICHE else f"le bloc « {_path(value)} »"
            raise Unresolved("E003", f"{owner} n'a pas de champ « {attr} »", did_you_mean(hint))
        if isinstance(value, Name) and kind is Kinds.BLOC:
            return Projection(liste_de(champ), value, attr)
        return Attribute(champ, value, attr)
    raise Unresolved(
        "E002",
        f"« .{attr} » : l'accès par un point n'est possible que sur une fiche (usager, dossier…) ou un bloc "
        f"répétable, pas sur {type_name(value.type, article=True)}",
    )


def champ_type(t: Type, name: str) -> Type | None:
    """The type of a sub-field of a bloc or an attribute of a fiche."""
    for champ, found in t.champs:
        if champ == name:
            return found
    return None


def _path(node: Node) -> str:
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Attribute):
        return f"{_path(node.value)}.{node.attr}"
    return "?"
