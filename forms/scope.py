"""The names an expression of a dispositif may use, with their types: the bridge from the form to the checker."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from forms import communes
from forms.definition import Form
from forms.expressions import BOOLEEN, DATE, NOMBRE, TEXTE, Scope, Symbol, Type, bloc, code, fiche, liste_de
from forms.fields import AnyField, BlocRepetable, ChampSimple, Explication
from forms.register import RECORDS

_SIMPLE_TYPES: dict[str, Type] = {
    "texte": TEXTE, "texte_long": TEXTE, "email": TEXTE, "telephone": TEXTE, "iban": TEXTE, "ridet": TEXTE,
    "nombre_entier": NOMBRE, "nombre_decimal": NOMBRE, "montant": NOMBRE, "date": DATE,
    "oui_non": BOOLEEN, "case_a_cocher": BOOLEEN, "fichier": liste_de(TEXTE),
    "adresse": fiche({"ligne1": TEXTE, "ligne2": TEXTE, "code_postal": TEXTE, "commune": TEXTE}),
}  # fmt: skip

VALUE_TYPES: dict[str, Type] = {
    "montant": NOMBRE, "nombre_entier": NOMBRE, "nombre_decimal": NOMBRE, "oui_non": BOOLEEN, "texte": TEXTE,
    "date": DATE,
}  # fmt: skip
"""Types of calculs and parametres, by the ``type`` the editor declares."""

DOSSIER = fiche(
    {
        "numero": TEXTE, "date_depot": DATE, "date_creation": DATE, "etat": TEXTE, "jours_dans_etat": NOMBRE,
        "canal": TEXTE, "lien": TEXTE,
    }
)  # fmt: skip
"""What an expression may read of the dossier itself (documented in the format reference)."""

CAMPAGNE = fiche({"ouverture": DATE, "cloture": DATE})
TRANSITION = fiche({"commentaire": TEXTE, "date_limite": DATE, "auteur": TEXTE})


def field_type(field: AnyField | ChampSimple) -> Type | None:
    """The expression type of a field's answer; None for an explication, which holds none."""
    if isinstance(field, Explication):
        return None
    if isinstance(field, BlocRepetable):
        return bloc({sub.id: t for sub in field.champs if (t := field_type(sub)) is not None})
    if field.type == "choix":
        return code(field.liste)
    if field.type == "commune":
        return code(COMMUNES_LIST)
    if field.type == "choix_multiple":
        return liste_de(code(field.liste))
    return _SIMPLE_TYPES[field.type]


def _bounds(field: AnyField | ChampSimple) -> tuple[Decimal | None, Decimal | None]:
    low, high = getattr(field, "min", None), getattr(field, "max", None)
    return _as_decimal(low), _as_decimal(high)


def _as_decimal(value: object) -> Decimal | None:
    return Decimal(value) if isinstance(value, int | Decimal) and not isinstance(value, bool) else None


def _symbol(field: AnyField | ChampSimple, kind: Type, in_bloc: str | None) -> Symbol:
    low, high = _bounds(field)
    return Symbol(kind, bloc=in_bloc, libelle=field.libelle or field.id, minimum=low, maximum=high)


def form_scope(form: Form, extra_fields: Iterable[ChampSimple] = (), *, transition: bool = False) -> Scope:
    """Every name an expression of this form may use: fields, sub-fields, calculs, parametres and records.

    ``extra_fields`` adds the agents' fields (for workflow guards and the queue), ``transition`` the
    ``transition.*`` record (for e-mails)."""
    symbols: dict[str, Symbol] = {}
    for field, _, enclosing in form.walk_fields():
        kind = field_type(field)
        if kind is not None:
            symbols[field.id] = _symbol(field, kind, enclosing.id if enclosing else None)
    for field in extra_fields:
        kind = field_type(field)
        if kind is not None:
            symbols[field.id] = _symbol(field, kind, None)
    for name, calcul in form.calculs.items():
        symbols[name] = Symbol(VALUE_TYPES[calcul.type], libelle=calcul.libelle or name)
    for name, parametre in form.parametres.items():
        values = [row.valeur for row in parametre.valeurs if isinstance(row.valeur, Decimal)]
        low = min(values) if values and parametre.type != "texte" else None
        symbols[name] = Symbol(VALUE_TYPES[parametre.type], libelle=parametre.libelle, minimum=low)
    for root, attributes in RECORDS.items():
        symbols[root] = Symbol(fiche({name: a.type for name, a in attributes.items()}), libelle=root)
    symbols["dossier"] = Symbol(DOSSIER, libelle="dossier")
    symbols["campagne"] = Symbol(CAMPAGNE, libelle="campagne")
    if transition:
        symbols["transition"] = Symbol(TRANSITION, libelle="transition")
    return Scope(symbols=symbols, listes=_listes(form), baremes=_baremes(form))


COMMUNES_LIST = "communes"
"""The built-in list of New Caledonia's communes, so ``commune == "noumea"`` is checked like any list code."""


def _listes(form: Form) -> Mapping[str, Mapping[str, str]]:
    return {COMMUNES_LIST: communes.options(), **{name: form.options(name) for name in form.listes}}


def _baremes(form: Form) -> Mapping[str, Mapping[str, Type]]:
    result: dict[str, Mapping[str, Type]] = {}
    for name, rows in form.baremes.items():
        columns: dict[str, Type] = {}
        for row in rows:
            for column, value in row.colonnes.items():
                columns.setdefault(column, TEXTE if isinstance(value, str) else NOMBRE)
        result[name] = columns
    return result
