"""The small value types an editor writes in a dispositif file: oui/non, identifiers, durations, file sizes.

Each one parses the French spelling an editor types (``oui``, ``3 mois``, ``5 Mo``) and fails with a coded French
message, so the loader can point at the exact place (see engine.pydantic_errors)."""

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from forms.expressions import Duree
from forms.suggestions import closest


class Definition(BaseModel):
    """Base of every definition model: immutable, and an unknown key is an error (S003), never silently ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _oui_non(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value in ("oui", "non"):
        return value == "oui"
    raise PydanticCustomError("S005", "« {found} » : écrivez oui ou non", {"found": value})


Booleen = Annotated[
    bool,
    BeforeValidator(_oui_non),
    PlainSerializer(lambda v: "oui" if v else "non", return_type=str),
    WithJsonSchema({"enum": ["oui", "non", True, False]}),
]
"""oui/non as editors write it; YAML's own true/false is accepted too."""

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,39}")

RESERVED = frozenset(
    {
        # records and constants of the expression language
        *("usager", "organisation", "dossier", "transition", "campagne", "oui", "non", "vide", "aujourdhui"),
        # functions of the expression language
        *("si", "rempli", "age", "annee", "date", "annees", "mois", "jours", "nombre", "somme", "min", "max"),
        *("arrondi", "longueur", "existe", "tous", "compte", "tranche"),
        # Python words the parser would misread
        *("and", "or", "not", "in", "is", "if", "else", "lambda", "none", "true", "false"),
        # actors that are not roles
        "systeme",
    }
)


def _identifier(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("S005", "un identifiant est un texte, pas « {found} »", {"found": value})
    if not IDENTIFIER.fullmatch(value):
        raise PydanticCustomError(
            "I001",
            "identifiant « {found} » incorrect : minuscules sans accent, chiffres et _ seulement, "
            "40 caractères au plus, en commençant par une lettre",
            {"found": value},
        )
    if value in RESERVED:
        raise PydanticCustomError(
            "I002", "« {found} » est un mot réservé du moteur : choisissez un autre identifiant", {"found": value}
        )
    return value


Identifiant = Annotated[
    str,
    BeforeValidator(_identifier),
    WithJsonSchema({"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"}),
]
"""A stable id: the storage key of an answer, so it never changes once dossiers exist."""

_DURATION = re.compile(r"(\d+)\s*(jours?|mois|ans?|années?|semaines?)")
_DURATION_UNITS = ("jour", "jours", "semaine", "semaines", "mois", "an", "ans", "année", "années")


def parse_duree(value: Any) -> Duree:
    """``3 mois``, ``1 an``, ``90 jours``, ``2 semaines`` → Duree."""
    if isinstance(value, Duree):
        return value
    text = str(value).strip() if isinstance(value, str) else ""
    match = _DURATION.fullmatch(text)
    if not match:
        unit = text.split()[-1] if text.split() else text
        hint = closest(unit, _DURATION_UNITS)
        raise PydanticCustomError(
            "S006",
            "durée « {found} » non comprise : écrivez par exemple « 3 mois », « 1 an » ou « 15 jours »",
            {"found": value, **({"suggestion": f"Vouliez-vous dire « {hint} » ?"} if hint else {})},
        )
    count, unit = int(match.group(1)), match.group(2)
    if unit.startswith("jour"):
        return Duree(jours=count)
    if unit.startswith("semaine"):
        return Duree(jours=7 * count)
    if unit == "mois":
        return Duree(mois=count)
    return Duree(annees=count)


def format_duree(duree: Duree) -> str:
    """The French spelling of a duration, the inverse of parse_duree for what editors write."""
    parts = []
    if duree.annees:
        parts.append(f"{duree.annees} an{'s' if duree.annees > 1 else ''}")
    if duree.mois:
        parts.append(f"{duree.mois} mois")
    if duree.jours:
        parts.append(f"{duree.jours} jour{'s' if duree.jours > 1 else ''}")
    return " ".join(parts) or "0 jour"


DureeTexte = Annotated[
    Duree,
    BeforeValidator(parse_duree),
    PlainSerializer(format_duree, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\s*(jours?|mois|ans?|années?|semaines?)$"}),
]

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Platform limit for one file; a larger taille_max is C007 (the reverse proxy would refuse it anyway)."""

_SIZE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(o|Ko|Mo|Go)")
_SIZE_FACTORS = {"o": 1, "Ko": 1024, "Mo": 1024**2, "Go": 1024**3}


def _taille(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    else:
        match = _SIZE.fullmatch(str(value).strip()) if isinstance(value, str) else None
        if not match:
            raise PydanticCustomError(
                "S006", "taille « {found} » non comprise : écrivez par exemple « 5 Mo » ou « 500 Ko »", {"found": value}
            )
        size = int(Decimal(match.group(1).replace(",", ".")) * _SIZE_FACTORS[match.group(2)])
    if size <= 0 or size > MAX_UPLOAD_BYTES:
        raise PydanticCustomError(
            "C007",
            "taille « {found} » hors limites : la plateforme accepte au plus 50 Mo par fichier",
            {"found": value},
        )
    return size


def format_taille(size: int) -> str:
    """Bytes as a French size, for hints (« 5 Mo maximum »)."""
    for unit in ("Go", "Mo", "Ko"):
        factor = _SIZE_FACTORS[unit]
        if size >= factor:
            amount = Decimal(size) / factor
            text = f"{amount:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{text} {unit}"
    return f"{size} o"


Taille = Annotated[
    int,
    BeforeValidator(_taille),
    PlainSerializer(format_taille, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+([.,]\d+)?\s*(o|Ko|Mo|Go)$"}),
]

MAX_FILES = 20


def _file_count(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= MAX_FILES:
        raise PydanticCustomError(
            "C007", "« nombre_max » va de 1 à {most} fichiers, pas {found}", {"found": value, "most": MAX_FILES}
        )
    return value


NombreFichiers = Annotated[
    int, BeforeValidator(_file_count), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_FILES})
]
"""How many files one upload accepts."""

_DAY_MONTH = re.compile(r"(\d{2})/(\d{2})")


def _jour_mois(value: Any) -> Any:
    match = _DAY_MONTH.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise PydanticCustomError(
            "S005", "« {found} » : écrivez le jour et le mois sous la forme JJ/MM", {"found": value}
        )
    day, month = int(match.group(1)), int(match.group(2))
    try:
        date(2024, month, day)  # a leap year, so 29/02 is accepted
    except ValueError:
        raise PydanticCustomError("S005", "« {found} » n'est pas un jour de l'année", {"found": value}) from None
    return value


JourMois = Annotated[str, BeforeValidator(_jour_mois), WithJsonSchema({"type": "string", "pattern": r"^\d{2}/\d{2}$"})]
"""A day of the year (``01/08``) for windows that come back every year."""


def as_tuple(value: Any) -> Any:
    """Lets an editor write one item where a list is expected (``etats: paiement`` as well as a list)."""
    if isinstance(value, str):
        return (value,)
    return value


def _non_vide(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("S005", "ce texte est vide : écrivez-le ou retirez la clé", {})
    return value


OneOrMore = Annotated[
    tuple[str, ...],
    BeforeValidator(as_tuple),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]
"""One name, or a list of names."""

NonVide = Annotated[str, BeforeValidator(_non_vide), WithJsonSchema({"type": "string", "minLength": 1})]
