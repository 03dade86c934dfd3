"""One frozen model per field kind an editor can put on a page; ``AnyField`` is their union, chosen by ``type``.

The models only say what was declared. What a field means at run time (parsing an answer, checking it) lives in
forms.answers, so these classes stay plain data that the JSON Schema and the checks can read."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from forms.scalars import Booleen, Definition, Identifiant, NombreFichiers, NonVide, OneOrMore, Taille

PieceFormat = Literal["pdf", "jpg", "png", "heic", "tiff", "odt", "ods", "docx", "xlsx", "csv", "zip"]
"""Formats whose content the engine can recognise by its first bytes (the name of an upload is never trusted)."""


class Regle(Definition):
    """A cross-field rule: ``regle`` states what must hold; when it is false the message is shown."""

    regle: NonVide
    message: NonVide


class _Base(Definition):
    id: Identifiant
    libelle: NonVide
    aide: str | None = None
    visible_si: str | None = None
    ignorer: tuple[str, ...] = ()
    """Warning codes silenced for this element (``[A007]``), after the editor has weighed them."""
    retire: Booleen = False
    """Kept for dossiers that already hold an answer, no longer asked (versions: V001)."""


class _Question(_Base):
    obligatoire: Booleen = True
    obligatoire_si: str | None = None
    message_obligatoire: str | None = None
    prerempli: OneOrMore = ()
    """Register paths (``usager.email``), calculs or earlier fields; the first non-empty one wins."""
    modifiable: Booleen = True
    validation: tuple[Regle, ...] = ()
    autocomplete: str | None = None
    sensible: Booleen = False


class Texte(_Question):
    type: Literal["texte"]
    defaut: str | None = None
    longueur_min: int | None = Field(None, ge=0)
    longueur_max: int | None = Field(None, ge=1)
    format: str | None = None
    message_format: str | None = None


class TexteLong(_Question):
    type: Literal["texte_long"]
    defaut: str | None = None
    longueur_min: int | None = Field(None, ge=0)
    longueur_max: int | None = Field(None, ge=1)


class NombreEntier(_Question):
    type: Literal["nombre_entier"]
    defaut: int | None = None
    min: int | None = None
    max: int | None = None
    unite: str | None = None


class NombreDecimal(_Question):
    type: Literal["nombre_decimal"]
    defaut: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    decimales: int = Field(2, ge=0, le=6)
    unite: str | None = None


class Montant(_Question):
    type: Literal["montant"]
    defaut: int | None = None
    min: int | None = None
    max: int | None = None


class Date(_Question):
    type: Literal["date"]
    defaut: date | None = None
    min: date | str | None = None
    """A date, or an expression giving one (``aujourdhui - annees(30)``)."""
    max: date | str | None = None


class OuiNon(_Question):
    type: Literal["oui_non"]
    defaut: Booleen | None = None


class Choix(_Question):
    type: Literal["choix"]
    liste: Identifiant
    defaut: str | None = None
    affichage: Literal["boutons", "liste", "auto"] = "auto"


class ChoixMultiple(_Question):
    type: Literal["choix_multiple"]
    liste: Identifiant
    defaut: tuple[str, ...] | None = None
    min_choix: int | None = Field(None, ge=0)
    max_choix: int | None = Field(None, ge=1)
    exclusif: str | None = None
    """The code that cannot be ticked with others (« aucune de ces aides »)."""


class CaseACocher(_Question):
    type: Literal["case_a_cocher"]
    defaut: Booleen | None = None


class Email(_Question):
    type: Literal["email"]
    defaut: str | None = None


class Telephone(_Question):
    type: Literal["telephone"]
    defaut: str | None = None
    international: Booleen = False
    """Off: a New Caledonian number (6 digits, +687). On: any number in international form."""


class Adresse(_Question):
    type: Literal["adresse"]


class Commune(_Question):
    type: Literal["commune"]
    defaut: str | None = None


class Iban(_Question):
    type: Literal["iban"]


class Ridet(_Question):
    type: Literal["ridet"]
    """A New Caledonian company number: 7 digits, then the 3-digit rank of the établissement (``1234567.001``)."""


class Fichier(_Question):
    type: Literal["fichier"]
    formats: tuple[PieceFormat, ...] = Field(min_length=1)
    taille_max: Taille = 5 * 1024 * 1024
    nombre_max: NombreFichiers = 1


class Explication(Definition):
    """Text shown on a page, not a question: it stores nothing."""

    id: Identifiant
    type: Literal["explication"]
    texte: NonVide
    libelle: str | None = None
    style: Literal["paragraphe", "encadre", "details"] = "paragraphe"
    visible_si: str | None = None
    ignorer: tuple[str, ...] = ()
    retire: Booleen = False


Question = (
    Texte
    | TexteLong
    | NombreEntier
    | NombreDecimal
    | Montant
    | Date
    | OuiNon
    | Choix
    | ChoixMultiple
    | CaseACocher
    | Email
    | Telephone
    | Adresse
    | Commune
    | Iban
    | Ridet
    | Fichier
)
"""A field that holds an answer of its own (not an explication, not a block)."""

ChampSimple = Annotated[Question | Explication, Field(discriminator="type")]
"""Every kind that can stand inside a repeatable block (blocks do not nest)."""

REPEAT_CAP = 50
"""Most items a bloc_repetable may declare: beyond it a spreadsheet upload is the better tool."""


class BlocRepetable(_Base):
    type: Literal["bloc_repetable"]
    champs: tuple[ChampSimple, ...] = Field(min_length=1)
    min: int = Field(0, ge=0)
    max: int = Field(10, ge=1)
    libelle_element: str | None = None
    """Title of each item and of its line in the récapitulatif; may use ``{{ sub_field }}``."""
    bouton_ajouter: str | None = None
    obligatoire: Booleen = True


AnyField = Annotated[Question | Explication | BlocRepetable, Field(discriminator="type")]


FIELD_TYPES: tuple[str, ...] = (
    "texte", "texte_long", "nombre_entier", "nombre_decimal", "montant", "date", "oui_non", "choix",
    "choix_multiple", "case_a_cocher", "email", "telephone", "adresse", "commune", "iban", "ridet", "fichier",
    "explication", "bloc_repetable",
)  # fmt: skip
