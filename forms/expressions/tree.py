"""The typed tree: what the checker proved about an expression, in the shape the compiler, the bounds analysis and
the French renderer walk (they never see Python's ast).

The nodes are not frozen: one is built at every node of every check, a frozen dataclass's __init__ costs three times
as much (object.__setattr__ per field), and nothing changes a node once the checker has returned it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from forms.expressions.types import Type


@dataclass(slots=True, eq=False)
class Const:
    """A literal, or a value the checker could compute once (``-1``, ``date("2024-01-31")``)."""

    type: Type
    value: object


@dataclass(slots=True, eq=False)
class Name:
    """A field, calcul, parametre or record; ``in_item`` when it is read from the current repeat item."""

    type: Type
    name: str
    in_item: bool = False


@dataclass(slots=True, eq=False)
class Attribute:
    """An attribute of a record: ``usager.nom``."""

    type: Type
    value: Node
    attr: str


@dataclass(slots=True, eq=False)
class Projection:
    """One sub-field across every item of a repeat block: ``membres.membre_revenus``."""

    type: Type
    bloc: Name
    champ: str


@dataclass(slots=True, eq=False)
class ListOf:
    """A list literal: ``["a", "b"]``."""

    type: Type
    elements: tuple[Node, ...]


@dataclass(slots=True, eq=False)
class Unary:
    """``not x``, ``-x`` or ``+x``."""

    type: Type
    op: str
    operand: Node


@dataclass(slots=True, eq=False)
class Binary:
    """``+ - * /``; what they mean (numbers, dates, texts) follows from the operand types."""

    type: Type
    op: str
    left: Node
    right: Node


@dataclass(slots=True, eq=False)
class Logic:
    """``and`` / ``or`` over two or more conditions."""

    type: Type
    op: str
    values: tuple[Node, ...]


@dataclass(slots=True, eq=False)
class Compare:
    """A comparison, possibly chained: ``0 < x <= 10``."""

    type: Type
    left: Node
    ops: tuple[str, ...]
    comparators: tuple[Node, ...]


@dataclass(slots=True, eq=False)
class Call:
    """A call to a function of the table."""

    type: Type
    function: str
    args: tuple[Node, ...]


Node = Const | Name | Attribute | Projection | ListOf | Unary | Binary | Logic | Compare | Call


class Report(Protocol):
    """Where a function's check sends a problem about its argument number ``index`` (-1: the whole call)."""

    def __call__(self, index: int, code: str, message: str, suggestion: str | None = None) -> None: ...


def literal(node: Node) -> Any:
    """The value of an argument the checker proved to be a literal (a barème's name, arrondi's decimals)."""
    return node.value if isinstance(node, Const) else None
