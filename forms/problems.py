"""A problem found in a definition, located by its path in the data: the engine turns the path into file:line:col.

Pure packages cannot know files or positions; a path (pydantic's ``loc``) is what both the models and the YAML
source map understand."""

from dataclasses import dataclass

Loc = tuple[str | int, ...]

ERREUR = "erreur"
AVERTISSEMENT = "avertissement"


@dataclass(frozen=True)
class Problem:
    """One finding of a check: a stable code, a French message, and where it is."""

    code: str
    loc: Loc
    message: str
    severity: str = ERREUR
    suggestion: str | None = None
    span: tuple[int, int, int] | None = None
    """Inside an expression: (line within the expression, start column, end column), columns 0-based."""
    key: bool = False
    """Point at the key of ``loc`` rather than its value (a duplicate id, an unknown name used as a key)."""


def suggest(name: str | None) -> str | None:
    """The « vouliez-vous dire » sentence for a candidate, if any."""
    return f"Vouliez-vous dire « {name} » ?" if name else None
