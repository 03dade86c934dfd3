"""What a dispositif asks of the usager: lists, pages, calculs, barèmes, dated parameters, pièces, and its tests.

``Form`` groups the sections of a dispositif file that are form semantics; engine.dispositif extends it with the
metadata, the instruction and the e-mails, so the YAML stays one flat file while each package sees only its part."""

import datetime
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from forms.fields import AnyField, BlocRepetable, Explication, Fichier, PieceFormat, Question
from forms.scalars import Booleen, Definition, DureeTexte, Identifiant, NombreFichiers, NonVide, OneOrMore, Taille


class Option(Definition):
    """One choice of a list: a stable code (stored) and its label (shown, may change)."""

    code: str
    libelle: NonVide
    aide: str | None = None
    visible_si: str | None = None


def _options(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple({"code": code, "libelle": label} for code, label in value.items())
    return value


Liste = Annotated[
    tuple[Option, ...],
    BeforeValidator(_options),
    Field(min_length=1),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
                {"type": "array", "items": Option.model_json_schema(), "minItems": 1},
            ]
        }
    ),
]
"""``{code: libellé}`` in the short form, or a list of ``{code, libelle, aide, visible_si}``; order is kept."""


class Arret(Definition):
    """An eligibility stop: when ``si`` holds, the usager is shown an explanation, not a validation error."""

    id: Identifiant
    si: NonVide
    titre: NonVide
    texte: NonVide


class Page(Definition):
    """One step of the form."""

    id: Identifiant
    titre: NonVide
    section: str | None = None
    intro: str | None = None
    visible_si: str | None = None
    champs: tuple[AnyField, ...] = Field(min_length=1)
    arret_si: tuple[Arret, ...] = ()
    ignorer: tuple[str, ...] = ()

    @cached_property
    def asks_files(self) -> bool:
        """A ``fichier`` question is on the page (its form posts multipart, its files are listed)."""
        return any(isinstance(field, Fichier) for field in self.champs)


CalculType = Literal["montant", "nombre_entier", "nombre_decimal", "oui_non", "texte", "date"]


class Calcul(Definition):
    """A value the rules compute from the answers, recomputed at every save."""

    type: CalculType
    expr: NonVide
    libelle: str | None = None
    afficher: OneOrMore = ()
    """Where the usager sees it: page ids and/or ``recapitulatif``. Not shown by default."""
    ignorer: tuple[str, ...] = ()


class Tranche(Definition):
    """One row of a barème: an inclusive upper bound (``jusqu_a``) or the final ``au_dela`` row, plus its columns."""

    model_config = ConfigDict(frozen=True, extra="allow")

    jusqu_a: Decimal | None = None
    au_dela: Booleen = False

    @model_validator(mode="after")
    def _one_bound(self) -> "Tranche":
        if (self.jusqu_a is None) == (not self.au_dela):
            raise PydanticCustomError("R005", "chaque tranche a soit « jusqu_a: montant », soit « au_dela: oui »", {})
        for name, value in (self.model_extra or {}).items():
            if not isinstance(value, int | Decimal | str) or isinstance(value, bool):
                raise PydanticCustomError("S005", "la colonne « {name} » attend un nombre ou un texte", {"name": name})
        return self

    @property
    def colonnes(self) -> dict[str, int | Decimal | str]:
        """The row's own columns, without its bound."""
        return dict(self.model_extra or {})


class ValeurDatee(Definition):
    """A value in force from a date (an income reference changes each year)."""

    depuis: date
    valeur: Decimal | str | date


class Parametre(Definition):
    """A named value voted by the assembly that changes over time; the dossier's date of submission picks it."""

    libelle: NonVide
    type: Literal["montant", "nombre_entier", "nombre_decimal", "texte", "date"] = "montant"
    valeurs: tuple[ValeurDatee, ...] = Field(min_length=1)
    source: str | None = None

    def valeur_au(self, jour: date) -> Decimal | str | date | None:
        """The value in force on ``jour``; None before the first one."""
        found = None
        for row in self.valeurs:
            if row.depuis <= jour:
                found = row.valeur
        return found


class Validite(Definition):
    """When a pièce's document is still acceptable."""

    moins_de: DureeTexte | None = None
    """The document is dated less than this before the submission."""
    annee: int | str | None = None
    """The document is dated within this year (a number or an expression: ``annee(aujourdhui) - 1``)."""
    entre: tuple[date | str, date | str] | None = None
    """The document is dated between these two dates (dates or expressions)."""
    expiration: Booleen = False
    """The declared date is the document's expiry date, which must not be passed at submission."""
    date_du_document: Literal["demandee", "non"] = "non"
    """``demandee``: the usager gives the document's date, checked by the engine; ``non``: the agent checks it."""


class Piece(Definition):
    """A pièce justificative: a document the usager uploads, checked by content."""

    id: Identifiant
    libelle: NonVide
    aide: str | None = None
    formats: tuple[PieceFormat, ...] = Field(min_length=1)
    taille_max: Taille = 5 * 1024 * 1024
    nombre_max: NombreFichiers = 1
    obligatoire: Booleen = True
    obligatoire_si: str | None = None
    visible_si: str | None = None
    pour_chaque: Identifiant | None = None
    """One upload per item of this bloc_repetable; ``visible_si`` is then evaluated in the item."""
    validite: Validite | None = None
    modele: str | None = None
    """A file the usager downloads, fills and uploads again (path under catalogue/modeles/)."""
    page: Identifiant | None = None
    """Ask it on this page rather than on the generated « Vos justificatifs » page."""
    etats: OneOrMore = ()
    """Ask it only once the dossier is in one of these états (invoices before a payment), not in the form."""
    ignorer: tuple[str, ...] = ()


class Recapitulatif(Definition):
    """The « vérifiez vos réponses » page before submission."""

    titre: NonVide = "Vérifiez vos réponses avant d'envoyer votre demande"
    declaration: str | None = None
    bouton: NonVide = "Envoyer ma demande"
    ignorer: tuple[str, ...] = ()


class Confirmation(Definition):
    """The page shown once the dossier is submitted."""

    titre: NonVide = "Demande envoyée"
    texte: str | None = None


class Attendu(Definition):
    """What a cas_de_test expects the rules to produce."""

    valeurs: dict[str, Any] = {}
    """Expected values of calculs, parametres or answers."""
    visibles: tuple[str, ...] = ()
    masques: tuple[str, ...] = ()
    arret: str | None = None
    """The id of the expected stop, or ``aucun`` to assert that none applies."""
    erreurs: tuple[str, ...] = ()
    """Field ids expected to be refused; with ``complet: oui`` any other error fails the test."""


class CasDeTest(Definition):
    """An example the engine runs at load time, so a barème or a rule does what the délibération says."""

    nom: NonVide
    date: datetime.date | None = None
    """The day the case is evaluated on (``aujourdhui`` and the dated parametres); default: the loading day."""
    complet: Booleen = False
    """``oui``: the answers are a whole submission, validated as such; ``non``: a partial one, only computed."""
    usager: dict[str, Any] = {}
    organisation: dict[str, Any] = {}
    dossier: dict[str, Any] = {}
    """``dossier.*`` values the rules read (``date_depot``, ``numero``…)."""
    campagne: dict[str, Any] = {}
    """``campagne.ouverture`` and ``campagne.cloture`` for rules about the campaign window."""
    reponses: dict[str, Any] = {}
    attendu: Attendu = Attendu()


class Form(Definition):
    """The form half of a dispositif: everything the usager is asked and how the answers are computed."""

    listes: dict[Identifiant, Liste] = {}
    pages: tuple[Page, ...] = Field(min_length=1)
    calculs: dict[Identifiant, Calcul] = {}
    baremes: dict[Identifiant, tuple[Tranche, ...]] = {}
    parametres: dict[Identifiant, Parametre] = {}
    pieces: tuple[Piece, ...] = ()
    recapitulatif: Recapitulatif = Recapitulatif()
    confirmation: Confirmation = Confirmation()

    @cached_property
    def fields(self) -> dict[str, AnyField]:
        """Every field by id, sub-fields of blocks included (ids are one namespace)."""
        return {field.id: field for field, _, _ in self.walk_fields()}

    @cached_property
    def bloc_of(self) -> dict[str, str]:
        """For each sub-field id, the id of the block it belongs to."""
        return {field.id: bloc.id for field, _, bloc in self.walk_fields() if bloc is not None}

    @cached_property
    def page_of(self) -> dict[str, int]:
        """For each field id, the index of its page."""
        return {field.id: index for field, index, _ in self.walk_fields()}

    def walk_fields(self) -> Iterator[tuple[AnyField, int, BlocRepetable | None]]:
        """Every field in page order with its page index and enclosing block (None outside blocks)."""
        for index, page in enumerate(self.pages):
            for field in page.champs:
                yield field, index, None
                if isinstance(field, BlocRepetable):
                    for sub in field.champs:
                        yield sub, index, field

    def questions(self) -> Iterator[Question]:
        """Fields that hold an answer of their own, in page order."""
        for field, _, _ in self.walk_fields():
            if not isinstance(field, Explication | BlocRepetable):
                yield field

    def options(self, liste: str) -> dict[str, str]:
        """Codes and labels of a list, in order."""
        return {option.code: option.libelle for option in self.listes.get(liste, ())}
