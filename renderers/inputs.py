"""What goes inside an input: the text of an answer to redisplay, and the attributes that help people fill it.

An answer reaches a page either canonical (from the store: a date, an int, ``True``) or as the raw strings the usager
just posted (after an error); the first is turned into what a person would type, the second is shown back verbatim,
so a mistyped value stays in front of the usager to be corrected (GOV.UK: never clear an answer on error)."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from forms.answer_kinds import french_number
from forms.fields import (
    Adresse,
    AnyField,
    CaseACocher,
    ChampSimple,
    Date,
    Email,
    Iban,
    Montant,
    NombreDecimal,
    NombreEntier,
    OuiNon,
    Telephone,
)
from forms.register import attribute
from renderers.display import iban_groups, phone_fr
from renderers.naming import ADDRESS_PARTS, DATE_PARTS

_BY_ID = {
    "nom": "family-name", "nom_naissance": "family-name", "nom_de_naissance": "family-name",
    "nom_famille": "family-name", "nom_usage": "family-name", "prenom": "given-name", "prenoms": "given-name",
    "civilite": "honorific-prefix", "date_naissance": "bday", "code_postal": "postal-code",
    "raison_sociale": "organization", "denomination": "organization", "nom_association": "organization",
    "nom_entreprise": "organization", "nom_organisation": "organization",
}  # fmt: skip
"""Ids editors use for the usager's own data (WCAG 1.3.5 / RGAA 11.13), when nothing more precise is known."""

_PART_TOKENS = {
    "bday": dict(zip(DATE_PARTS, ("bday-day", "bday-month", "bday-year"), strict=True)),
    "street-address": dict(
        zip(ADDRESS_PARTS, ("address-line1", "address-line2", "postal-code", "address-level2"), strict=True)
    ),
}


def autocomplete(field: AnyField | ChampSimple, *, in_bloc: bool) -> str | None:
    """The purpose of a field's input: the editor's token, else the register attribute it is filled from, else
    inferred from its type and id. Inside a block nothing is inferred: the items describe other people, and
    offering the usager's own name there would be wrong."""
    explicit = getattr(field, "autocomplete", None)
    if explicit:
        return str(explicit)
    if in_bloc:
        return None
    for path in getattr(field, "prerempli", ()):
        found = attribute(path)
        if found is not None and found.autocomplete:
            return found.autocomplete
    match field:
        case Email():
            return "email"
        case Telephone():
            return "tel"
        case Adresse():
            return "street-address"
    return _BY_ID.get(field.id)


def part_autocomplete(token: str | None, part: str) -> str | None:
    """The token of one input of a date or an address (``bday`` → ``bday-day``…); ``off`` stays off everywhere."""
    if token == "off":
        return "off"
    return _PART_TOKENS.get(token or "", {}).get(part)


def inputmode(field: AnyField | ChampSimple) -> str | None:
    """The keyboard a phone should offer; inputs stay ``type=text`` (GOV.UK: ``type=number`` loses typed spaces)."""
    if isinstance(field, NombreEntier | Montant):
        return "numeric"
    if isinstance(field, NombreDecimal):
        return "decimal"
    return None


def _number_text(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return french_number(value)
    if isinstance(value, float):
        return french_number(Decimal(repr(value)))
    return None


def input_text(field: AnyField | ChampSimple, value: object) -> str:
    """The text of a single input: verbatim when posted, written as a person would type it when canonical."""
    if value is None:
        return ""
    if isinstance(value, str):
        if isinstance(field, Telephone):
            return phone_fr(value)
        if isinstance(field, Iban):
            return iban_groups(value)
        return value
    if isinstance(field, OuiNon | CaseACocher) and isinstance(value, bool):
        return "oui" if value else "non"
    number = _number_text(value)
    return str(value) if number is None else number


def input_choices(value: object) -> tuple[str, ...]:
    """The codes ticked in a choix_multiple, whether posted (a list, one string) or stored (a tuple)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(str(item) for item in value)
    return ()


def is_ticked(value: object) -> bool:
    """A case_a_cocher is ticked when stored True or posted with its value."""
    return value is True or (isinstance(value, str) and value.strip().lower() in ("oui", "on", "1", "true"))


def input_parts(field: AnyField | ChampSimple, value: object) -> dict[str, str]:
    """The texts of a date's or an address's inputs, from a posted mapping of parts or a stored value."""
    parts = DATE_PARTS if isinstance(field, Date) else ADDRESS_PARTS
    if isinstance(value, str) and isinstance(field, Date):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return dict.fromkeys(parts, "")
    if isinstance(value, date):
        return {"jour": str(value.day), "mois": str(value.month), "annee": str(value.year)}
    if isinstance(value, Mapping):
        return {part: "" if value.get(part) is None else str(value.get(part)) for part in parts}
    return dict.fromkeys(parts, "")
