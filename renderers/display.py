"""Answers as a person reads them: « 3 juillet 2001 », « 150 000 F CFP », a choice's libellé, an address on lines.

One formatting serves the récapitulatif, the récépissé and the read-only fields « issu de votre compte », so an
answer reads the same wherever the usager meets it. Stored answers come back from JSON (a date as ``2001-07-03``),
so each is first read again through forms.answers.coerce, the same reading the validation uses."""

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from forms.answer_kinds import AnswerError, french_number
from forms.answers import coerce, is_empty
from forms.communes import COMMUNES
from forms.definition import Form
from forms.fields import (
    Adresse,
    BlocRepetable,
    CaseACocher,
    Choix,
    ChoixMultiple,
    Commune,
    Date,
    Explication,
    Fichier,
    Iban,
    Montant,
    NombreDecimal,
    NombreEntier,
    OuiNon,
    Question,
    Telephone,
    TexteLong,
)
from renderers.texts import montant

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

NOT_PROVIDED = "Non renseigné"


def date_fr(value: object) -> str:
    """« 1er août 2026 », « 3 juillet 2001 à 14 h 05 »: dates in words, as a letter from the Province writes them."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, date):
        return "" if value is None else str(value)
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, datetime):
        text += f" à {value.hour} h {value.minute:02d}"
    return text


def phone_fr(number: str) -> str:
    """A New Caledonian number in pairs as people say it (« 77 12 34 »); other numbers as stored."""
    if number.startswith("+687") and len(number) == 10 and number[4:].isdigit():
        local = number[4:]
        return f"{local[:2]} {local[2:4]} {local[4:]}"
    return number


def iban_groups(number: str) -> str:
    """An IBAN in groups of four, as printed on a RIB, so it can be checked against it."""
    compact = number.replace(" ", "")
    return " ".join(compact[start : start + 4] for start in range(0, len(compact), 4))


def options_of(form: Form, field: Question) -> Mapping[str, str] | None:
    """The {code: libellé} a choice field reads its answer against."""
    if isinstance(field, Choix | ChoixMultiple):
        return form.options(field.liste)
    return None


def canonical(form: Form, field: Question, value: object) -> object:
    """The answer in its canonical type, None when empty; a value that cannot be read is kept as given."""
    if is_empty(value):
        return None
    try:
        return coerce(field, value, options_of(form, field))
    except AnswerError:
        return value


def address_lines(value: Mapping[str, object]) -> tuple[str, ...]:
    """An address as written on an envelope: street lines, then postal code and commune."""
    commune = str(value.get("commune") or "")
    found = COMMUNES.get(commune)
    town = " ".join(part for part in (str(value.get("code_postal") or ""), found.nom if found else commune) if part)
    lines = (str(value.get("ligne1") or ""), str(value.get("ligne2") or ""), town)
    return tuple(line for line in lines if line)


def answer_lines(form: Form, field: Question, value: object, file_names: Sequence[str] = ()) -> tuple[str, ...]:
    """The answer as lines of text; an empty tuple when nothing was given (shown as « Non renseigné »)."""
    answer = canonical(form, field, value)
    if answer is None:
        return ()
    match field:
        case OuiNon():
            return ("Oui" if answer is True else "Non" if answer is False else str(answer),)
        case CaseACocher():
            return ("Oui",) if answer is True else ()
        case Date():
            return (date_fr(answer),)
        case Montant():
            return (montant(answer) if isinstance(answer, int) else str(answer),)
        case NombreEntier() | NombreDecimal():
            if isinstance(answer, int | Decimal) and not isinstance(answer, bool):
                return (french_number(answer) + (f" {field.unite}" if field.unite else ""),)
        case Choix():
            return (form.options(field.liste).get(str(answer), str(answer)),)
        case ChoixMultiple() if isinstance(answer, tuple):
            labels = form.options(field.liste)
            return tuple(labels.get(str(code), str(code)) for code in answer)
        case Commune():
            found = COMMUNES.get(str(answer))
            return (found.nom if found else str(answer),)
        case Adresse() if isinstance(answer, Mapping):
            return address_lines(answer)
        case Telephone():
            return (phone_fr(str(answer)),)
        case Iban():
            return (iban_groups(str(answer)),)
        case TexteLong():
            return tuple(str(answer).splitlines()) or ()
        case Fichier():
            if file_names:
                return tuple(file_names)
            count = len(answer) if isinstance(answer, tuple) else 1
            return (f"{count} fichier{'s' if count > 1 else ''}",)
    return (str(answer),)


def calcul_lines(kind: str, value: object) -> tuple[str, ...]:
    """A computed value in words: montants in F CFP, numbers the French way, booleans as Oui/Non."""
    if value is None:
        return ()
    if isinstance(value, bool):
        return ("Oui" if value else "Non",)
    if kind == "montant" and isinstance(value, int | Decimal):
        return (montant(value),)
    if isinstance(value, int | Decimal):
        return (french_number(value),)
    if isinstance(value, date):
        return (date_fr(value),)
    return (str(value),)


_PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*(?:\|[^}]*)?\}\}")
_ADD = re.compile(r"(?i)^ajouter\s+(?:(?:une|un|des|le|la)\s+|l')(?:autre\s+)?(.+?)\s*$")


def item_noun(bloc: BlocRepetable) -> str:
    """What one item is called (« Personne »), taken from « Ajouter une personne », else the block's libellé."""
    found = _ADD.match(bloc.bouton_ajouter or "")
    noun = found.group(1) if found else bloc.libelle
    return noun[:1].upper() + noun[1:]


def item_title(form: Form, bloc: BlocRepetable, index: int, item: Mapping[str, object]) -> str:
    """« Personne 1 — Marie »: the item's number, then ``libelle_element`` filled with the item's answers."""
    subs = {sub.id: sub for sub in bloc.champs if not isinstance(sub, Explication)}

    def fill(match: re.Match[str]) -> str:
        sub = subs.get(match.group(1))
        return " ".join(answer_lines(form, sub, item.get(sub.id))) if sub is not None else ""

    label = _PLACEHOLDER.sub(fill, bloc.libelle_element).strip() if bloc.libelle_element else ""
    return f"{item_noun(bloc)} {index + 1}" + (f" — {label}" if label else "")
