"""Reading answers that identify someone or somewhere: e-mail, phone, commune, address, IBAN, RIDET.

Each is stored in one normal form (E.164 phone, IBAN without spaces, ``1234567.001``) whatever the usager typed,
so an agent searching for a number finds it and an application métier gets what it expects."""

import re
from collections.abc import Mapping

from email_validator import EmailNotValidError, validate_email

from forms import communes
from forms.answer_kinds import AnswerError, as_text, quoted, unreadable


def email(value: object, libelle: str) -> str:
    """Syntax only: whether the mailbox exists is learnt by writing to it, never by a DNS lookup during a form."""
    try:
        return validate_email(as_text(value, libelle), check_deliverability=False).normalized
    except EmailNotValidError:
        raise AnswerError("Saisissez une adresse électronique au bon format, par exemple nom@exemple.nc") from None


_PHONE_NOISE = re.compile(r"[\s.\-/()]")
_NC_NUMBER = re.compile(r"\d{6}")
_INTERNATIONAL = re.compile(r"\+[1-9]\d{7,14}")


def telephone(value: object, libelle: str, international: bool) -> str:
    """E.164: ``77 12 34`` → ``+687771234``; with ``international`` any ``+33 6…`` too, and 6 digits still mean here."""
    nc_message = "Saisissez un numéro de téléphone à 6 chiffres, par exemple 77 12 34"
    # « +33 (0)6 … » carries the French trunk zero, which an international number drops
    number = _PHONE_NOISE.sub("", as_text(value, libelle).replace("(0)", ""))
    if number.startswith("00"):
        number = "+" + number[2:]
    if number.startswith("+687"):
        number = number[4:]
    if _NC_NUMBER.fullmatch(number):
        return "+687" + number
    if international and _INTERNATIONAL.fullmatch(number):
        return number
    if international:
        raise AnswerError(
            "Saisissez un numéro de téléphone à 6 chiffres, ou au format international, par exemple +33 6 12 34 56 78"
        )
    raise AnswerError(nc_message)


def commune(value: object, libelle: str) -> str:
    """The code of a commune chosen in the list or typed by its name."""
    found = communes.find(as_text(value, libelle))
    if found is None:
        raise AnswerError(f"{quoted(libelle)} doit être une commune de Nouvelle-Calédonie")
    return found.code


ADDRESS_PARTS = ("ligne1", "ligne2", "code_postal", "commune")


def address(value: object, libelle: str) -> dict[str, str | None]:
    """A New Caledonian address; every missing or wrong part gets its own message, next to its own input."""
    if not isinstance(value, Mapping):
        raise unreadable(libelle, value)
    ligne1, ligne2, code_postal, name = (as_text(value.get(key) or "", libelle) for key in ADDRESS_PARTS)
    code_postal = re.sub(r"\s", "", code_postal)
    problems: dict[str, str] = {}
    if not ligne1:
        problems["ligne1"] = f"Saisissez la ligne 1 de {quoted(libelle)}"
    if not code_postal:
        problems["code_postal"] = f"Saisissez le code postal de {quoted(libelle)}"
    elif not communes.POSTAL_CODE.fullmatch(code_postal):
        problems["code_postal"] = (
            f"Le code postal de {quoted(libelle)} doit comporter 5 chiffres et commencer par 988, par exemple 98800"
        )
    found = communes.find(name) if name else None
    if not name:
        problems["commune"] = f"Sélectionnez la commune de {quoted(libelle)}"
    elif found is None:
        problems["commune"] = f"La commune de {quoted(libelle)} doit être une commune de Nouvelle-Calédonie"
    elif "code_postal" not in problems and code_postal not in found.codes_postaux:
        problems["code_postal"] = (
            f"Le code postal de {quoted(libelle)} ne correspond pas à {found.nom} ({', '.join(found.codes_postaux)})"
        )
    if problems or found is None:
        raise AnswerError(*problems.values(), parts=tuple(problems))
    return {"ligne1": ligne1, "ligne2": ligne2 or None, "code_postal": code_postal, "commune": found.code}


# fmt: off
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21,
    "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "ES": 24, "FI": 18, "FO": 18, "GB": 22,
    "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24,
    "XK": 20,
    # France and the territories that bank under French rules, New Caledonia (FR76… or NC…) among them
    **dict.fromkeys(("FR", "NC", "PF", "WF", "PM", "RE", "GP", "MQ", "GF", "YT", "BL", "MF", "TF"), 27),
}
# fmt: on
"""ISO 13616 lengths known for sure; another country only has to fit the 15–34 range and the checksum."""


def iban(value: object, libelle: str) -> str:
    """Upper case without spaces; the mod-97 key catches a mistyped or swapped digit before a payment bounces."""
    wrong = f"{quoted(libelle)} n'est pas correct : vérifiez qu'il est complet et sans faute de frappe"
    number = re.sub(r"[\s\-]", "", as_text(value, libelle)).upper()
    if not re.fullmatch(r"[A-Z]{2}", number[:2]):
        raise AnswerError(f"{quoted(libelle)} doit commencer par le code du pays, par exemple FR76")
    expected = IBAN_LENGTHS.get(number[:2])
    if expected is not None and len(number) != expected:
        raise AnswerError(
            f"{quoted(libelle)} doit comporter {expected} caractères pour un compte {number[:2]} : "
            f"il en comporte {len(number)}"
        )
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", number):
        raise AnswerError(wrong)
    rearranged = number[4:] + number[:4]
    if int("".join(str(int(char, 36)) for char in rearranged)) % 97 != 1:
        raise AnswerError(wrong)
    return number


def ridet(value: object, libelle: str) -> str:
    """``1234567.001``: the 7-digit company number, then the 3-digit rank of the établissement."""
    digits = re.sub(r"[\s.\-]", "", as_text(value, libelle))
    if re.fullmatch(r"\d{10}", digits):
        return f"{digits[:7]}.{digits[7:]}"
    if re.fullmatch(r"\d{7}", digits):
        raise AnswerError(
            f"{quoted(libelle)} doit comporter le rang de l'établissement après les 7 chiffres, par exemple 1234567.001"
        )
    raise AnswerError(
        f"{quoted(libelle)} doit comporter 7 chiffres puis les 3 chiffres du rang de l'établissement, "
        "par exemple 1234567.001"
    )
