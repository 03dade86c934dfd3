"""The dispositif expression language: conditions and computations written by content editors, checked against the
form at load time, compiled to closures and evaluated on the server."""

from forms.expressions.expression import Expression, compile_expression
from forms.expressions.types import (
    BOOLEEN,
    DATE,
    DUREE,
    NOMBRE,
    TEXTE,
    VIDE,
    Context,
    Duree,
    ExpressionError,
    ExpressionErrors,
    Kind,
    Scope,
    Symbol,
    Type,
    bloc,
    code,
    fiche,
    liste_de,
)

__all__ = [
    "BOOLEEN",
    "DATE",
    "DUREE",
    "NOMBRE",
    "TEXTE",
    "VIDE",
    "Context",
    "Duree",
    "Expression",
    "ExpressionError",
    "ExpressionErrors",
    "Kind",
    "Scope",
    "Symbol",
    "Type",
    "bloc",
    "code",
    "compile_expression",
    "fiche",
    "liste_de",
]
