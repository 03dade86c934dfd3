"""What one answer means for its field: its canonical value, the rules it breaks, and the French words around it.

The field models in forms.fields only say what was declared; this module gives them their run-time meaning, one
question at a time. Conditions, cross-field rules and date bounds written as expressions are resolved by the caller,
which holds the other answers."""

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import assert_never

from forms import answer_kinds as kinds, identifiers
from forms.answer_kinds import AnswerError, french_date, french_number, plural, quoted
from forms.fields import (
    Adresse,
    BlocRepetable,
    CaseACocher,
    Choix,
    ChoixMultiple,
    Commune,
    Date,
    Email,
    Fichier,
    Iban,
    Montant,
    NombreDecimal,
    NombreEntier,
    OuiNon,
    Question,
    Ridet,
    Telephone,
    Texte,
    TexteLong,
)
from forms.scalars import format_taille

__all__ = ["AnswerError", "check", "coerce", "hint", "is_empty", "missing_message"]


def is_empty(value: object) -> bool:
    """Nothing given: None, blank text, or a list or mapping of parts that are all blank (an untouched date block)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return all(is_empty(item) for item in value)
    if isinstance(value, Mapping):
        return all(is_empty(item) for item in value.values())
    return False


def coerce(field: Question, value: object, options: Mapping[str, str] | None = None) -> object:
    """The canonical value of a raw or typed answer, None when it is empty; AnswerError when it cannot be read.

    ``options`` is the field's list {code: libellé}, needed by choix and choix_multiple."""
    if is_empty(value):
        return None
    label = field.libelle
    match field:
        case Texte():
            return kinds.text(value, label)
        case TexteLong():
            return kinds.long_text(value, label)
        case NombreEntier():
            return kinds.integer(value, label)
        case NombreDecimal():
            return kinds.decimal(value, label)
        case Montant():
            return kinds.amount(value, label)
        case Date():
            return kinds.a_date(value, label)
        case OuiNon():
            return kinds.yes_no(value, label)
        case CaseACocher():
            return kinds.tick(value, label)
        case Choix():
            return kinds.choice(value, label, _options(field, options))
        case ChoixMultiple():
            return kinds.choices(value, label, _options(field, options))
        case Fichier():
            return kinds.files(value, label)
        case Email():
            return identifiers.email(value, label)
        case Telephone():
            return identifiers.telephone(value, label, field.international)
        case Adresse():
            return identifiers.address(value, label)
        case Commune():
            return identifiers.commune(value, label)
        case Iban():
            return identifiers.iban(value, label)
        case Ridet():
            return identifiers.ridet(value, label)
        case _:
            assert_never(field)


def _options(field: Choix | ChoixMultiple, options: Mapping[str, str] | None) -> Mapping[str, str]:
    if options is None:
        # a programming error, not the usager's: never shown as a field message
        raise TypeError(f"coerce() needs the options of list « {field.liste} » for field « {field.id} »")
    return options


def check(
    field: Question,
    value: object,
    *,
    options: Mapping[str, str] | None = None,
    date_min: date | None = None,
    date_max: date | None = None,
) -> list[str]:
    """The declared constraints a non-None canonical value breaks, most useful first (GOV.UK shows only the first).

    Date bounds written as expressions are resolved by the caller and passed in; a literal date in ``min``/``max``
    applies when none is passed. ``options`` lets a choix_multiple message name the exclusive answer by its libellé."""
    label = quoted(field.libelle)
    match field:
        case Texte() | TexteLong():
            problems = _length(field, label, value) if isinstance(value, str) else []
            if isinstance(field, Texte) and field.format and isinstance(value, str):
                if not problems and not re.fullmatch(field.format, value):
                    problems.append(field.message_format or f"{label} n'est pas au format attendu")
            return problems
        case NombreEntier() | NombreDecimal():
            problems = _bounds(label, value, field.min, field.max, field.unite)
            if isinstance(field, NombreDecimal) and isinstance(value, Decimal):
                problems += _decimals(label, value, field.decimales)
            return problems
        case Montant():
            return _bounds(label, value, field.min, field.max, "F CFP")
        case Date():
            lower = date_min if date_min is not None else field.min if isinstance(field.min, date) else None
            upper = date_max if date_max is not None else field.max if isinstance(field.max, date) else None
            return _date_bounds(label, value, lower, upper)
        case ChoixMultiple():
            return _choices(field, label, value, options or {})
        case Fichier():
            if isinstance(value, tuple) and len(value) > field.nombre_max:
                most = "plus d'un fichier" if field.nombre_max == 1 else f"plus de {field.nombre_max} fichiers"
                return [f"{label} ne peut pas comporter {most}"]
            return []
        case _:
            return []


def _length(field: Texte | TexteLong, label: str, value: str) -> list[str]:
    if field.longueur_max is not None and len(value) > field.longueur_max:
        return [f"{label} doit comporter {plural(field.longueur_max, 'caractère')} au maximum"]
    if field.longueur_min is not None and len(value) < field.longueur_min:
        return [f"{label} doit comporter au moins {plural(field.longueur_min, 'caractère')}"]
    return []


def _bounds(
    label: str, value: object, low: int | Decimal | None, high: int | Decimal | None, unit: str | None
) -> list[str]:
    if not isinstance(value, int | Decimal) or isinstance(value, bool):
        return []

    def shown(number: int | Decimal) -> str:
        return french_number(number) + (f" {unit}" if unit else "")

    too_low, too_high = low is not None and value < low, high is not None and value > high
    if (too_low or too_high) and low is not None and high is not None:
        return [f"{label} doit être entre {shown(low)} et {shown(high)}"]
    if too_low and low is not None:
        return [f"{label} doit être {shown(low)} ou plus"]
    if too_high and high is not None:
        return [f"{label} doit être {shown(high)} ou moins"]
    return []


def _decimals(label: str, value: Decimal, allowed: int) -> list[str]:
    exponent = value.normalize().as_tuple().exponent
    given = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if given <= allowed:
        return []
    if allowed == 0:
        return [f"{label} doit être un nombre entier"]
    return [f"{label} doit comporter {plural(allowed, 'chiffre')} après la virgule au maximum"]


def _date_bounds(label: str, value: object, lower: date | None, upper: date | None) -> list[str]:
    if not isinstance(value, date):
        return []
    too_early, too_late = lower is not None and value < lower, upper is not None and value > upper
    if (too_early or too_late) and lower is not None and upper is not None:
        return [f"{label} doit être entre le {french_date(lower)} et le {french_date(upper)}"]
    if too_early and lower is not None:
        return [f"{label} doit être le {french_date(lower)} ou après"]
    if too_late and upper is not None:
        return [f"{label} doit être le {french_date(upper)} ou avant"]
    return []


def _choices(field: ChoixMultiple, label: str, value: object, options: Mapping[str, str]) -> list[str]:
    if not isinstance(value, tuple):
        return []
    if field.exclusif is not None and field.exclusif in value and len(value) > 1:
        alone = quoted(options.get(field.exclusif, field.exclusif))
        return [f"{alone} ne peut pas être cochée avec une autre réponse"]
    if field.max_choix is not None and len(value) > field.max_choix:
        return [f"Sélectionnez au plus {plural(field.max_choix, 'réponse')} pour {label}"]
    if field.min_choix is not None and len(value) < field.min_choix:
        return [f"Sélectionnez au moins {plural(field.min_choix, 'réponse')} pour {label}"]
    return []


def missing_message(field: Question | BlocRepetable) -> str:
    """What to do when a required answer is missing: the editor's message_obligatoire, else an instruction by kind."""
    label = quoted(field.libelle)
    match field:
        case BlocRepetable():
            return f"Ajoutez au moins {plural(max(field.min, 1), 'élément')} à {label}"
        case _ if field.message_obligatoire:
            return field.message_obligatoire
        case OuiNon():
            return f"Répondez oui ou non à {label}"
        case CaseACocher():
            return f"Cochez la case {label} pour continuer"
        case Choix():
            return f"Sélectionnez une réponse pour {label}"
        case ChoixMultiple():
            return f"Sélectionnez au moins une réponse pour {label}"
        case Commune():
            return f"Sélectionnez une commune pour {label}"
        case Fichier():
            return f"Sélectionnez un fichier pour {label}"
        case _:
            return f"Saisissez {label}"


def hint(field: Question) -> str | None:
    """The text under the label: the editor's ``aide``, else a generated hint giving the expected format, if any."""
    if field.aide:
        return field.aide
    match field:
        case Date():
            return "Par exemple : 27 3 2007"
        case Telephone() if field.international:
            return "Par exemple : 77 12 34 en Nouvelle-Calédonie, +33 6 12 34 56 78 ailleurs"
        case Telephone():
            return "Format attendu : 6 chiffres, par exemple 77 12 34"
        case Email():
            return "Format attendu : nom@exemple.nc"
        case Montant():
            return "En francs CFP"
        case NombreDecimal() if field.decimales:
            return f"{plural(field.decimales, 'chiffre')} après la virgule au maximum"
        case Iban():
            return "27 caractères commençant par FR76 pour un compte en Nouvelle-Calédonie, comme sur votre RIB"
        case Ridet():
            return "7 chiffres puis le rang de l'établissement, par exemple 1234567.001"
        case ChoixMultiple() if field.max_choix:
            return f"Sélectionnez {plural(field.max_choix, 'réponse')} au maximum"
        case ChoixMultiple():
            return "Plusieurs réponses possibles"
        case Fichier():
            count = "Un seul fichier" if field.nombre_max == 1 else f"{field.nombre_max} fichiers au maximum"
            accepted = ", ".join(field.formats)
            return f"Taille maximale : {format_taille(field.taille_max)}. Formats acceptés : {accepted}. {count}."
        case _:
            return None
