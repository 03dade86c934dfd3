"""The published schema of the usager register: the paths a form may pre-fill from and an expression may read.

This is a contract with the register (engine/register), not its storage: adding a path here is a promise that the
register fills it. Each attribute says which field types it fits (R002), its expression type, the autocomplete
token it implies (RGAA 11.13), and whether it may be empty (C004: a read-only field would then be stuck)."""

from dataclasses import dataclass

from forms.expressions import DATE, TEXTE, Type, fiche


@dataclass(frozen=True)
class Attribute:
    """One readable attribute of a register record."""

    libelle: str
    type: Type
    fits: frozenset[str]
    """Field types this attribute can pre-fill."""
    autocomplete: str | None = None
    may_be_empty: bool = False


_TEXT = frozenset({"texte", "texte_long"})

_ADDRESS = fiche({"ligne1": TEXTE, "ligne2": TEXTE, "code_postal": TEXTE, "commune": TEXTE})

USAGER: dict[str, Attribute] = {
    "civilite": Attribute("civilité", TEXTE, frozenset({"texte", "choix"}), "honorific-prefix"),
    "nom_naissance": Attribute("nom de naissance", TEXTE, _TEXT, "family-name"),
    "nom_usage": Attribute("nom d'usage", TEXTE, _TEXT, "family-name", may_be_empty=True),
    "prenoms": Attribute("prénoms", TEXTE, _TEXT, "given-name"),
    "date_naissance": Attribute("date de naissance", DATE, frozenset({"date"}), "bday"),
    "commune_naissance": Attribute("commune de naissance", TEXTE, _TEXT | {"commune"}, may_be_empty=True),
    "email": Attribute("adresse électronique", TEXTE, frozenset({"email"}), "email"),
    "telephone_mobile": Attribute("téléphone mobile", TEXTE, frozenset({"telephone"}), "tel", may_be_empty=True),
    "telephone_fixe": Attribute("téléphone fixe", TEXTE, frozenset({"telephone"}), "tel", may_be_empty=True),
    "adresse": Attribute("adresse", _ADDRESS, frozenset({"adresse"}), "street-address", may_be_empty=True),
    "commune": Attribute("commune de résidence", TEXTE, frozenset({"commune"}), "address-level2", may_be_empty=True),
    "numero_cafat": Attribute("numéro CAFAT", TEXTE, _TEXT, may_be_empty=True),
    "iban": Attribute("IBAN", TEXTE, frozenset({"iban"}), may_be_empty=True),
}

ORGANISATION: dict[str, Attribute] = {
    "raison_sociale": Attribute("raison sociale", TEXTE, _TEXT, "organization"),
    "ridet": Attribute("numéro RIDET", TEXTE, frozenset({"ridet"})),
    "forme_juridique": Attribute("forme juridique", TEXTE, _TEXT | {"choix"}, may_be_empty=True),
    "adresse": Attribute("adresse du siège", _ADDRESS, frozenset({"adresse"}), "street-address", may_be_empty=True),
    "commune": Attribute("commune du siège", TEXTE, frozenset({"commune"}), may_be_empty=True),
    "email": Attribute("adresse électronique", TEXTE, frozenset({"email"}), "email", may_be_empty=True),
    "telephone": Attribute("téléphone", TEXTE, frozenset({"telephone"}), "tel", may_be_empty=True),
    "date_creation": Attribute("date de création", DATE, frozenset({"date"}), may_be_empty=True),
    "qualite_representant": Attribute("qualité du représentant", TEXTE, _TEXT, "organization-title", may_be_empty=True),
    "iban": Attribute("IBAN", TEXTE, frozenset({"iban"}), may_be_empty=True),
}

RECORDS: dict[str, dict[str, Attribute]] = {"usager": USAGER, "organisation": ORGANISATION}
"""Register records a form may pre-fill from, by the root name used in paths."""


def attribute(path: str) -> Attribute | None:
    """The attribute a dotted register path names (``usager.email``), or None."""
    root, _, name = path.partition(".")
    return RECORDS.get(root, {}).get(name)
