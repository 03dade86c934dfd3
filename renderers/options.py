"""The choices a field offers and the inputs a grouped field is made of: radios, checkboxes, select options, the
parts of a date or an address, with their ids, labels, widths and autocomplete tokens."""

from collections.abc import Collection, Mapping, Sequence

from forms.communes import find as find_commune, options as commune_options
from forms.definition import Form, Option
from forms.evaluation import Situation
from forms.expressions import Context
from forms.fields import Adresse, Date
from forms.rules import Rules
from renderers.fields_view import Choices, OptionView, PartView
from renderers.inputs import input_parts, part_autocomplete
from renderers.memo import Memo
from renderers.naming import html_id, input_name, parts_of

RADIO_LIMIT = 7
"""Above this many options a choix becomes a select (FORMAT §5.4), unless the editor chose ``affichage``."""

WIDTHS = {
    "jour": "largeur-2", "mois": "largeur-2", "annee": "largeur-4", "code_postal": "largeur-5",
    "montant": "largeur-10", "nombre_entier": "largeur-10", "nombre_decimal": "largeur-10",
    "telephone": "largeur-10", "ridet": "largeur-10", "iban": "largeur-30",
}  # fmt: skip
"""CSS width classes: an input as wide as its answer tells what is expected (GOV.UK)."""

YES_NO = (Option(code="oui", libelle="Oui"), Option(code="non", libelle="Non"))
COMMUNES = tuple(Option(code=code, libelle=nom) for code, nom in commune_options().items())

_PART_LABELS = {
    "jour": "Jour", "mois": "Mois", "annee": "Année", "ligne1": "Adresse", "ligne2": "Complément d'adresse",
    "code_postal": "Code postal", "commune": "Commune",
}  # fmt: skip


def visible_options(
    form: Form, rules: Rules | None, situation: Situation, liste: str, item: Mapping[str, object] | None
) -> tuple[Option, ...]:
    """The list's options whose own ``visible_si`` holds (evaluated only when the compiled rules are given)."""
    found = form.listes.get(liste, ())
    if rules is None or liste not in rules.conditional_lists:
        return found
    context = Context(values=situation.values, today=situation.reference_date, item=item)
    conditions = rules.option_visible
    return tuple(
        option
        for option in found
        if (liste, option.code) not in conditions or conditions[(liste, option.code)].evaluate(context) is True
    )


_DRAWN: Memo[tuple[Sequence[Option], Choices]] = Memo(8192)
"""Option views by (id, options, choice): the same few combinations come back on every page of every usager. The
key names the options by identity; the entry keeps them alive, so an identity cannot be reused while it is kept."""


def option_views(
    base_id: str, options: Sequence[Option], chosen: Collection[str], exclusive: str | None = None
) -> Choices:
    """Radios and checkboxes: the first carries the field's own id, so an error link lands on it (GOV.UK)."""
    ticked = frozenset(option.code for option in options if option.code in chosen)  # a forged code adds no key
    key = (base_id, tuple(map(id, options)), ticked, exclusive)
    return _DRAWN.get(key, lambda: (options, _option_views(base_id, options, ticked, exclusive)))[1]


def _option_views(base_id: str, options: Sequence[Option], chosen: Collection[str], exclusive: str | None) -> Choices:
    ids = [base_id if number == 1 else f"{base_id}-{number}" for number in range(1, len(options) + 1)]
    return Choices(
        OptionView(
            option.code,
            option.libelle,
            option_id,
            option.code in chosen,
            option.aide,
            f"{option_id}-aide" if option.aide else None,
            option.code == exclusive,
        )
        for option, option_id in zip(options, ids, strict=True)
    )


def commune_code(text: str) -> str:
    """The code of the commune an answer names (a code, or a name typed or kept from the register)."""
    found = find_commune(text) if text else None
    return found.code if found else text


def part_views(field: Date | Adresse, key: str, value: object, token: str | None) -> tuple[PartView, ...]:
    """The inputs of a date (jour, mois, annee) or an address (ligne1, ligne2, code_postal, commune)."""
    texts = input_parts(field, value)
    views = []
    for part in parts_of(field):
        options: tuple[OptionView, ...] = ()
        if part == "commune":
            options = option_views(html_id(key, part) + "-option", COMMUNES, {commune_code(texts[part])})
        views.append(
            PartView(
                part=part,
                name=input_name(key, part),
                id=html_id(key, part),
                label=_PART_LABELS[part],
                value=texts[part],
                autocomplete=part_autocomplete(token, part),
                inputmode="numeric" if part in ("jour", "mois", "annee", "code_postal") else None,
                width=WIDTHS.get(part),
                optional=part == "ligne2",
                options=options,
            )
        )
    return tuple(views)
