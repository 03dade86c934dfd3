"""Wording and accessibility warnings (A002–A010, P003): what the renderer cannot fix for the editor.

They are warnings, never errors: an editor may have a reason, and says so with ``ignorer: [A007]`` on the element."""

import re
from collections.abc import Iterator

from forms.checks.references import _field_locs
from forms.definition import Form
from forms.fields import Choix, Explication
from forms.problems import AVERTISSEMENT, Loc, Problem
from forms.register import attribute

MAX_QUESTIONS_PER_PAGE = 5
MAX_HINT = 150
_GENERIC_MESSAGES = ("invalide", "erreur", "champ obligatoire", "incorrect", "non valide")
_GENERIC_BUTTONS = ("valider", "envoyer", "ok", "soumettre", "continuer")
_PERSONAL = {
    "nom": "family-name", "prenom": "given-name", "prenoms": "given-name", "email": "email", "courriel": "email",
    "telephone": "tel", "naissance": "bday", "adresse": "street-address",
}  # fmt: skip
_HEALTH_LIKE = re.compile(r"sante|maladie|handicap|pathologie|ethnie|religion|origine|orientation")


def _warn(code: str, loc: Loc, message: str, ignored: tuple[str, ...]) -> Iterator[Problem]:
    if code not in ignored:
        yield Problem(code, loc, message, AVERTISSEMENT)


def check_wording(form: Form) -> Iterator[Problem]:
    """Every wording warning of the form."""
    for index, page in enumerate(form.pages):
        questions = [f for f in page.champs if not isinstance(f, Explication)]
        if len(questions) > MAX_QUESTIONS_PER_PAGE:
            yield from _warn(
                "A007",
                ("pages", index),
                f"{len(questions)} questions sur une page : au-delà de "
                f"{MAX_QUESTIONS_PER_PAGE}, découpez-la (une chose par page)",
                page.ignorer,
            )
        labels: dict[str, str] = {}
        for field in page.champs:
            label = getattr(field, "libelle", None)
            if label and label in labels:
                position = page.champs.index(field)
                yield from _warn(
                    "A002",
                    ("pages", index, "champs", position, "libelle"),
                    f"même libellé que « {labels[label]} » sur cette page : l'usager ne peut pas les distinguer",
                    field.ignorer,
                )
            if label:
                labels[label] = field.id
    for loc, element in _field_locs(form):
        yield from _field(loc, element)
    for index, piece in enumerate(form.pieces):
        yield from _label(("pieces", index), piece.libelle, piece.ignorer)
        yield from _hint(("pieces", index), piece.aide, piece.ignorer)
    button = form.recapitulatif.bouton.strip().lower()
    if button in _GENERIC_BUTTONS:
        yield from _warn(
            "A009",
            ("recapitulatif", "bouton"),
            "le bouton doit dire ce qu'il fait, par exemple « Envoyer ma demande de bourse »",
            form.recapitulatif.ignorer,
        )


def _field(loc: Loc, field: object) -> Iterator[Problem]:
    ignored: tuple[str, ...] = getattr(field, "ignorer", ())
    label = getattr(field, "libelle", None)
    if label and not isinstance(field, Explication):
        yield from _label(loc, label, ignored)
    yield from _hint(loc, getattr(field, "aide", None), ignored)
    for key in ("message_obligatoire", "message_format"):
        message = getattr(field, key, None)
        if message and message.strip().lower().rstrip(".") in _GENERIC_MESSAGES:
            yield from _warn(
                "A006",
                (*loc, key),
                "message trop vague : dites ce qui est attendu, par exemple "
                "« Saisissez le numéro au format BES-2025-00123 »",
                ignored,
            )
    field_type = getattr(field, "type", "")
    field_id: str = getattr(field, "id", "")
    if field_type in ("texte", "email", "telephone", "date", "adresse") and not getattr(field, "autocomplete", None):
        prefilled = [attribute(p) for p in getattr(field, "prerempli", ())]
        if not any(a and a.autocomplete for a in prefilled) and field_type == "texte":
            token = _personal_token(field_id)
            if token:
                yield from _warn(
                    "A005",
                    loc,
                    f"donnée personnelle : précisez « autocomplete: {token} » (RGAA 11.13) "
                    "ou pré-remplissez-la depuis le registre",
                    ignored,
                )
    if field_type in ("texte", "texte_long") and _HEALTH_LIKE.search(field_id):
        yield from _warn(
            "P003",
            loc,
            "texte libre sur une donnée sensible : demandez-vous si elle est nécessaire "
            "(minimisation RGPD) et marquez-la « sensible: oui »",
            ignored,
        )


_ABOUT_THE_USAGER = {"naissance", "usage", "demandeur", "usager", "mobile", "fixe", "contact"}


def _personal_token(field_id: str) -> str | None:
    """The autocomplete token of an id that names the usager's own data (``nom``, ``prenoms_demandeur``).

    Only the usager's own data has a token: ``membre_nom`` or ``navire_nom`` are someone's or something else's."""
    words = field_id.split("_")
    if words[0] in _PERSONAL and (len(words) == 1 or words[1] in _ABOUT_THE_USAGER):
        return _PERSONAL[words[0]]
    return None


def check_choices(form: Form) -> Iterator[Problem]:
    """A008: radios for short lists, a select for long ones."""
    for loc, field in _field_locs(form):
        if isinstance(field, Choix) and field.liste in form.listes:
            count = len(form.listes[field.liste])
            if field.affichage == "boutons" and count > 7:
                yield from _warn(
                    "A008",
                    (*loc, "affichage"),
                    f"{count} boutons radio : au-delà de 7, « affichage: liste » se lit mieux",
                    field.ignorer,
                )
            if field.affichage == "liste" and count < 3:
                yield from _warn(
                    "A008",
                    (*loc, "affichage"),
                    f"une liste déroulante pour {count} choix : des boutons radio se lisent mieux",
                    field.ignorer,
                )


def _label(loc: Loc, label: str, ignored: tuple[str, ...]) -> Iterator[Problem]:
    stripped = label.strip()
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        yield from _warn(
            "A010", (*loc, "libelle"), "libellé en capitales : écrivez-le en minuscules, il se lit mieux", ignored
        )
    if stripped.endswith((":", "*")):
        yield from _warn(
            "A010",
            (*loc, "libelle"),
            "retirez le « : » ou l'astérisque final : le moteur marque lui-même les champs facultatifs",
            ignored,
        )


def _hint(loc: Loc, hint: str | None, ignored: tuple[str, ...]) -> Iterator[Problem]:
    if hint and (len(hint) > MAX_HINT or "http" in hint or "<a" in hint):
        yield from _warn(
            "A003",
            (*loc, "aide"),
            f"aide trop longue ({len(hint)} caractères) ou avec un lien : utilisez un champ « explication »",
            ignored,
        )
