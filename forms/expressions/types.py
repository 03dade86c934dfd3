"""The vocabulary every step of an expression shares: value types, durations, the names in scope, the run-time
context and the errors reported to the editor."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of value an expression can produce."""

    TEXTE = "texte"
    NOMBRE = "nombre"
    DATE = "date"
    DUREE = "duree"
    BOOLEEN = "booleen"
    CODE = "code"
    LISTE = "liste"
    BLOC = "bloc"
    FICHE = "fiche"
    VIDE = "vide"


class Kinds:
    """The members of Kind as plain class attributes, for the checker and the compiler that test kinds at every node:
    in Python 3.11 reading ``Kind.X`` goes through the enum metaclass's __getattr__ hook, about 0.2 µs each time."""

    TEXTE = Kind.TEXTE
    NOMBRE = Kind.NOMBRE
    DATE = Kind.DATE
    DUREE = Kind.DUREE
    BOOLEEN = Kind.BOOLEEN
    CODE = Kind.CODE
    LISTE = Kind.LISTE
    BLOC = Kind.BLOC
    FICHE = Kind.FICHE
    VIDE = Kind.VIDE


@dataclass(frozen=True, slots=True, eq=False)
class Type:
    """The static type of an expression or a name."""

    kind: Kind
    liste: str | None = None
    """CODE: the name of its list (its codes are in Scope.listes)."""
    element: Type | None = None
    """LISTE: the type of its elements."""
    champs: tuple[tuple[str, Type], ...] = ()
    """BLOC: the sub-fields of one item; FICHE: the attributes of a record."""

    # Written out rather than generated: the checker compares types at every node, and most comparisons are between
    # the same objects (NOMBRE, a symbol's own type), which the identity test settles without building tuples.
    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Type):
            return NotImplemented
        return (
            self.kind is other.kind
            and self.liste == other.liste
            and self.element == other.element
            and self.champs == other.champs
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.liste, self.element, self.champs))


TEXTE = Type(Kind.TEXTE)
NOMBRE = Type(Kind.NOMBRE)
DATE = Type(Kind.DATE)
DUREE = Type(Kind.DUREE)
BOOLEEN = Type(Kind.BOOLEEN)
VIDE = Type(Kind.VIDE)


def code(liste: str) -> Type:
    """The type of a code of the list ``liste``."""
    return Type(Kind.CODE, liste=liste)


def liste_de(element: Type) -> Type:
    """The type of a list of ``element``."""
    return Type(Kind.LISTE, element=element)


def bloc(champs: Mapping[str, Type]) -> Type:
    """The type of a repeat block whose items have these sub-fields."""
    return Type(Kind.BLOC, champs=tuple(champs.items()))


def fiche(champs: Mapping[str, Type]) -> Type:
    """The type of a record (usager, dossier…) with these attributes."""
    return Type(Kind.FICHE, champs=tuple(champs.items()))


_NAMES = {
    Kind.TEXTE: ("texte", "textes"),
    Kind.NOMBRE: ("nombre", "nombres"),
    Kind.DATE: ("date", "dates"),
    Kind.DUREE: ("durée", "durées"),
    Kind.BOOLEEN: ("oui/non", "oui/non"),
    Kind.BLOC: ("bloc répétable", "blocs répétables"),
    Kind.FICHE: ("fiche", "fiches"),
    Kind.VIDE: ("vide", "vides"),
}


_FEMININE = frozenset({Kind.DATE, Kind.DUREE, Kind.LISTE, Kind.FICHE})


def type_name(t: Type, *, plural: bool = False, article: bool = False) -> str:
    """The French name of a type, as error messages show it (``article``: « un nombre », « une date »)."""
    if article and t.kind is not Kind.VIDE:
        return ("une " if t.kind in _FEMININE else "un ") + type_name(t)
    if t.kind is Kind.CODE:
        return f"{'codes' if plural else 'code'} de la liste « {t.liste} »"
    if t.kind is Kind.LISTE:
        head = "listes" if plural else "liste"
        if t.element is None or t.element.kind is Kind.VIDE:
            return head
        return f"{head} de {type_name(t.element, plural=True)}"
    return _NAMES[t.kind][plural]


@dataclass(frozen=True)
class Duree:
    """A calendar duration: adding it to a date moves years, then months (clamping the day), then days."""

    annees: int = 0
    mois: int = 0
    jours: int = 0

    def __add__(self, other: object) -> Duree | date:
        if isinstance(other, Duree):
            return Duree(self.annees + other.annees, self.mois + other.mois, self.jours + other.jours)
        if isinstance(other, date):
            return _shift(other, self.annees, self.mois, self.jours)
        return NotImplemented

    # date.__add__ refuses anything but a timedelta, so Python asks the duration: `date + Duree` lands here.
    __radd__ = __add__

    def __sub__(self, other: object) -> Duree:
        if isinstance(other, Duree):
            return Duree(self.annees - other.annees, self.mois - other.mois, self.jours - other.jours)
        return NotImplemented

    def __rsub__(self, other: object) -> date:
        if isinstance(other, date):
            return _shift(other, -self.annees, -self.mois, -self.jours)
        return NotImplemented

    def __neg__(self) -> Duree:
        return Duree(-self.annees, -self.mois, -self.jours)


def _shift(day: date, annees: int, mois: int, jours: int) -> date:
    # One step after the other, each landing on a real date: 2024-02-29 + 1 an 1 mois is 2025-02-28, then 2025-03-28.
    if annees:
        day = _add_months(day, 12 * annees)
    if mois:
        day = _add_months(day, mois)
    return day + timedelta(days=jours) if jours else day


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, monthrange(year, month + 1)[1]))


@dataclass(frozen=True, slots=True)
class Symbol:
    """A name an expression may use."""

    type: Type
    bloc: str | None = None
    """The repeat block this name is a sub-field of, else None."""
    libelle: str = ""
    """The human label french() shows."""
    minimum: Decimal | None = None
    """A known lower bound of a number, so a divisor that cannot be zero is not flagged."""
    maximum: Decimal | None = None


@dataclass(frozen=True)
class Scope:
    """Every name, list and barème an expression of one dispositif may use; treated as immutable once built."""

    symbols: Mapping[str, Symbol]
    listes: Mapping[str, Mapping[str, str]]
    baremes: Mapping[str, Mapping[str, Type]]
    _compiled: dict[object, object] = field(default_factory=dict, init=False, repr=False, compare=False)
    """compile_expression's cache for this scope: it lives and dies with the scope (a scope is built once per
    dispositif), so no global table can keep a dead dispositif's expressions or confuse two scopes."""


@dataclass(frozen=True, slots=True)
class Context:
    """What an expression reads when it is evaluated."""

    values: Mapping[str, object]
    today: date
    baremes: Mapping[str, Sequence[Mapping[str, object]]] = field(default_factory=dict)
    item: Mapping[str, object] | None = None


@dataclass(frozen=True, slots=True)
class ExpressionError:
    """One problem of an expression, located inside its source."""

    code: str
    message: str
    line: int
    """1-based line inside the expression source."""
    column: int
    """0-based character offset inside that line."""
    end_column: int
    """Exclusive, on the same line."""
    suggestion: str | None = None
    severity: str = "erreur"

    def __str__(self) -> str:
        hint = f" {self.suggestion}" if self.suggestion else ""
        return f"{self.line}:{self.column}: {self.code} {self.message}{hint}"


class ExpressionErrors(Exception):
    """An expression that cannot be used: ``errors`` holds every problem found, warnings included."""

    def __init__(self, errors: tuple[ExpressionError, ...]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors
