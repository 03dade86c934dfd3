"""Reading a non-empty raw answer of one simple kind (text, number, amount, date, yes/no, choice, file) into its value.

A value comes either from a browser (strings, a list of strings, a mapping of date parts) or already typed from YAML
or JSON (int, Decimal, bool, date): each reader accepts both, so a test case written in YAML stores exactly what the
web form would. Whatever cannot be read raises AnswerError with the French text shown next to the field."""

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from forms.communes import name_key


class AnswerError(ValueError):
    """The answer cannot be read or breaks a rule; .message is the French text shown next to the field.

    ``messages`` holds every problem when a grouped field has several (an address missing two parts), ``message`` is
    the first; ``parts`` names the inputs at fault (``jour``, ``code_postal``) so only those get ``aria-invalid``."""

    def __init__(self, message: str, *more: str, parts: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.messages = (message, *more)
        self.parts = parts


def quoted(libelle: str) -> str:
    """The libellé as messages cite it, so the same text reads well in the error summary and next to the field."""
    return f"« {libelle} »"


def plural(count: int, word: str) -> str:
    """``1 réponse``, ``3 réponses``: French puts 0 and 1 in the singular."""
    return f"{count} {word}{'s' if abs(count) > 1 else ''}"


def french_number(number: int | Decimal) -> str:
    """``150 000``, ``12,5``: digits grouped from 10 000 on (so a year stays ``1996``), a comma before decimals."""
    sign = "-" if number < 0 else ""
    whole, _, fraction = (str(abs(number)) if isinstance(number, int) else format(abs(number), "f")).partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", " ")
    return sign + whole + (f",{fraction}" if fraction else "")


def french_date(day: date) -> str:
    """JJ/MM/AAAA, the form every French administrative text uses."""
    return day.strftime("%d/%m/%Y")


def unreadable(libelle: str, value: object) -> AnswerError:
    """An answer of a Python type no browser sends: a mistake in a YAML test case or an API call, not the usager's."""
    return AnswerError(f"{quoted(libelle)} : réponse de type inattendu ({type(value).__name__})")


def as_text(value: object, libelle: str) -> str:
    """The stripped text of a scalar answer; numbers from YAML are read as their digits."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise unreadable(libelle, value)


def text(value: object, libelle: str) -> str:
    """One line: outer whitespace goes, inner spacing is the usager's own."""
    return as_text(value, libelle)


def long_text(value: object, libelle: str) -> str:
    """Line ends become \\n, so a length limit counts what the usager sees and not what the browser sent."""
    if not isinstance(value, str):
        raise unreadable(libelle, value)
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


_SPACES = re.compile(r"\s+")  # \s also matches the no-break and narrow no-break spaces of pasted numbers
_INTEGER = re.compile(r"[+-]?\d{1,15}")
_DECIMAL = re.compile(r"[+-]?(\d{1,15}([.,]\d*)?|[.,]\d+)")


def integer(value: object, libelle: str) -> int:
    """A whole number; ``1 200`` and ``+3`` are how people write, ``1,5`` is not whole."""
    message = f"{quoted(libelle)} doit être un nombre entier, par exemple 12"
    if isinstance(value, bool):
        raise unreadable(libelle, value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite() or number != number.to_integral_value():
            raise AnswerError(message)
        return int(number)
    compact = _SPACES.sub("", as_text(value, libelle))
    if not _INTEGER.fullmatch(compact):
        raise AnswerError(message)
    return int(compact)


def tidy_decimal(number: Decimal) -> Decimal:
    """``1.50`` and ``1.5`` are the same answer and must be stored alike; ``100`` must not become ``1E+2``."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def decimal(value: object, libelle: str) -> Decimal:
    """A number with a comma or a dot; how many decimals are allowed is a rule for check, not a reading error."""
    message = f"{quoted(libelle)} doit être un nombre, par exemple 12,5"
    if isinstance(value, bool):
        raise unreadable(libelle, value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)  # Decimal(0.1) would carry the binary error into the answer
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AnswerError(message)
        return tidy_decimal(value)
    compact = _SPACES.sub("", as_text(value, libelle))
    if not _DECIMAL.fullmatch(compact):
        raise AnswerError(message)
    return tidy_decimal(Decimal(compact.replace(",", ".")))


_CURRENCY = re.compile(r"(?i)\s*(francs?\s*cfp|francs?|f\s*cfp|fcfp|xpf|cfp|f)\.?$")
_GROUPED_BY_DOTS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")


def amount(value: object, libelle: str) -> int:
    """Francs CFP have no cents: ``150 000 F``, ``1.200.000`` and ``150000 XPF`` are whole amounts, ``12,50`` is not."""
    message = f"{quoted(libelle)} doit être un montant en francs CFP sans centimes, par exemple 150 000"
    if isinstance(value, bool):
        raise unreadable(libelle, value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        try:
            return integer(value, libelle)
        except AnswerError:
            raise AnswerError(message) from None
    compact = _SPACES.sub("", _CURRENCY.sub("", as_text(value, libelle)))
    if _GROUPED_BY_DOTS.fullmatch(compact):
        compact = compact.replace(".", "")
    if not _INTEGER.fullmatch(compact):
        raise AnswerError(message)
    return int(compact)


_ISO_DATE = re.compile(r"(?P<annee>\d{4})-(?P<mois>\d{1,2})-(?P<jour>\d{1,2})")
_FRENCH_DATE = re.compile(r"(?P<jour>\d{1,2})[/.\- ]+(?P<mois>\d{1,2}|[^\W\d_]+)[/.\- ]+(?P<annee>\d{2,4})")
# fmt: off
_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "mar": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "sep": 9, "octobre": 10,
    "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}
# fmt: on
_DATE_PARTS = {"jour": "un jour", "mois": "un mois", "annee": "une année"}


def _part(value: object, libelle: str) -> str:
    return "" if value is None else as_text(value, libelle)


def a_date(value: object, libelle: str) -> date:
    """A date typed, written AAAA-MM-JJ or JJ/MM/AAAA, or given as the three inputs of the DSFR date block."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, Mapping):
        parts = {key: _part(value.get(key), libelle) for key in _DATE_PARTS}
    elif isinstance(value, str):
        match = _ISO_DATE.fullmatch(value.strip()) or _FRENCH_DATE.fullmatch(value.strip())
        if not match:
            raise AnswerError(f"{quoted(libelle)} doit comporter un jour, un mois et une année")
        parts = match.groupdict()
    else:
        raise unreadable(libelle, value)
    return _from_parts(parts, libelle)


def _from_parts(parts: Mapping[str, str], libelle: str) -> date:
    missing = tuple(key for key in _DATE_PARTS if not parts[key])
    if missing:
        wanted = [_DATE_PARTS[key] for key in missing]
        listed = ", ".join(wanted[:-1]) + " et " + wanted[-1] if len(wanted) > 1 else wanted[0]
        raise AnswerError(f"{quoted(libelle)} doit comporter {listed}", parts=missing)
    real = f"{quoted(libelle)} doit être une date réelle"
    day, month, year = parts["jour"], name_key(parts["mois"]), parts["annee"]
    if not re.fullmatch(r"\d{1,2}", day):
        raise AnswerError(real, parts=("jour",))
    if not (re.fullmatch(r"\d{1,2}", month) and 1 <= int(month) <= 12) and month not in _MONTHS:
        raise AnswerError(real, parts=("mois",))
    if not re.fullmatch(r"\d{4}", year):
        raise AnswerError(
            f"{quoted(libelle)} doit comporter une année à 4 chiffres, par exemple 2007", parts=("annee",)
        )
    if int(year) == 0:
        raise AnswerError(real, parts=("annee",))
    try:
        return date(int(year), _MONTHS.get(month) or int(month), int(day))
    except ValueError:
        raise AnswerError(real, parts=("jour",)) from None


def yes_no(value: object, libelle: str) -> bool:
    """``oui``/``non`` as the radios send them, or a boolean from YAML."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("oui", "non"):
        return value.strip().lower() == "oui"
    raise AnswerError(f"Répondez oui ou non à {quoted(libelle)}")


_TICKED = frozenset({"oui", "on", "1", "true"})
_UNTICKED = frozenset({"non", "off", "0", "false"})


def tick(value: object, libelle: str) -> bool | None:
    """True when ticked; unticked is None, as a browser sends nothing for it and YAML's ``non`` must store the same."""
    if isinstance(value, bool):
        return value or None
    if isinstance(value, str) and value.strip().lower() in _TICKED | _UNTICKED:
        return value.strip().lower() in _TICKED or None
    raise unreadable(libelle, value)


def choice(value: object, libelle: str, options: Mapping[str, str]) -> str:
    """One code of the field's list."""
    code = as_text(value, libelle)
    if code not in options:
        raise AnswerError(f"Sélectionnez une des réponses proposées pour {quoted(libelle)}")
    return code


def choices(value: object, libelle: str, options: Mapping[str, str]) -> tuple[str, ...] | None:
    """Codes of the field's list in the list's order, each once: two browsers ticking the same boxes store the same."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple | set | frozenset):
        raise unreadable(libelle, value)
    chosen = {as_text(item, libelle) for item in items} - {""}
    if chosen - options.keys():
        raise AnswerError(f"Sélectionnez uniquement des réponses proposées pour {quoted(libelle)}")
    return tuple(code for code in options if code in chosen) or None


def files(value: object, libelle: str) -> tuple[str, ...] | None:
    """References the upload layer gave for stored files; their content was checked when they arrived."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise unreadable(libelle, value)
    references = []
    for item in items:
        if not isinstance(item, str):
            raise unreadable(libelle, item)
        if item.strip() and item.strip() not in references:
            references.append(item.strip())
    return tuple(references) or None
