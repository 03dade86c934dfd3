"""The instruction of a dispositif: roles, états, transitions, deadlines and the agents' work queue, as declared.

Guards (``condition``) are kept as expression sources: this package knows no expression language, the engine
compiles them and hands the machine a plain predicate."""

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

USAGER = "usager"
SYSTEME = "systeme"
"""Actors that are not roles: the applicant, and the engine itself (deadlines running out)."""

_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
_RESERVED = frozenset({USAGER, SYSTEME, "dossier", "transition", "oui", "non", "vide"})


class _Definition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _identifier(value: Any) -> Any:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise PydanticCustomError(
            "I001",
            "identifiant « {found} » incorrect : minuscules sans accent, chiffres et _ seulement, "
            "40 caractères au plus, en commençant par une lettre",
            {"found": value},
        )
    if value in _RESERVED:
        raise PydanticCustomError("I002", "« {found} » est un mot réservé du moteur", {"found": value})
    return value


def _oui_non(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value in ("oui", "non"):
        return value == "oui"
    raise PydanticCustomError("S005", "« {found} » : écrivez oui ou non", {"found": value})


def _one_or_many(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


_Id = Annotated[str, BeforeValidator(_identifier), WithJsonSchema({"type": "string", "pattern": _ID.pattern})]
_Bool = Annotated[
    bool,
    BeforeValidator(_oui_non),
    PlainSerializer(lambda v: "oui" if v else "non", return_type=str),
    WithJsonSchema({"enum": ["oui", "non", True, False]}),
]
_Ids = Annotated[
    tuple[str, ...],
    BeforeValidator(_one_or_many),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]
_DUREE = re.compile(r"(\d+)\s*(jours?|mois|ans?|années?|semaines?)")


def _duree(value: Any) -> Any:
    if not isinstance(value, str) or not _DUREE.fullmatch(value.strip()):
        raise PydanticCustomError(
            "S006",
            "durée « {found} » non comprise : écrivez par exemple « 15 jours », « 3 mois » ou « 2 ans »",
            {"found": value},
        )
    return value.strip()


DureeTexte = Annotated[str, BeforeValidator(_duree), WithJsonSchema({"type": "string", "pattern": _DUREE.pattern})]
"""A duration as the editor wrote it; the engine turns it into dates (this package does no calendar maths)."""


class Delai(_Definition):
    """How long a dossier may stay in an état before the engine acts or alerts."""

    duree: DureeTexte
    a_expiration: _Id | None = None
    """Transition the engine (``systeme``) takes when the time runs out; without it the queue only shows an alert."""


class Etat(_Definition):
    """A state of the dossier, with the wording shown to agents and, if different, to the usager."""

    libelle: str = Field(min_length=1)
    libelle_usager: str | None = None
    initial: _Bool = False
    final: _Bool = False
    usager_peut_modifier: _Ids = ()
    """What the usager may change while the dossier is here: ``pieces`` (all), pièce ids, field ids, page ids."""
    delai: Delai | None = None


class Transition(_Definition):
    """A move from one or more états to another, by the actors named in ``par``."""

    id: _Id
    libelle: str | None = None
    de: _Ids = Field(min_length=1)
    vers: _Id
    par: _Ids = Field(min_length=1)
    condition: str | None = None
    champs_requis: _Ids = ()
    commentaire: Literal["obligatoire", "facultatif", "absent"] = "facultatif"
    delai_reponse: DureeTexte | None = None
    a_expiration: _Id | None = None
    attribuer_a: Literal["moi"] | None = None
    pas_le_meme_agent_que: _Id | None = None
    """Four-eyes rule: the agent who took that earlier transition may not take this one."""
    courriel: _Id | None = None
    depot: _Bool = False
    """Marks the usager's submission when several usager transitions leave the initial état (e.g. a pre-review)."""
    ignorer: tuple[str, ...] = ()


class DelaiGlobal(_Definition):
    """A deadline spanning several états: from a transition to the first of others (24 months to the last payment)."""

    id: _Id
    libelle: str = Field(min_length=1)
    depuis: _Id
    jusqu_a: _Ids = Field(min_length=1)
    duree: DureeTexte
    a_expiration: _Id | None = None


class FileDeTravail(_Definition):
    """The agents' work queue for this dispositif: columns, filters, order and the alert rule."""

    colonnes: tuple[str, ...] = ("dossier.numero", "dossier.etat", "dossier.date_depot")
    filtres: tuple[str, ...] = ("dossier.etat",)
    tri: str = "dossier.date_depot"
    """A column; prefix with ``-`` for newest first."""
    alerte_si: str | None = None


class Workflow(_Definition):
    """The states and transitions a dossier goes through."""

    roles: dict[_Id, str] = Field(min_length=1)
    etats: dict[_Id, Etat] = Field(min_length=2)
    transitions: tuple[Transition, ...] = Field(min_length=1)
    delais: tuple[DelaiGlobal, ...] = ()
    file_de_travail: FileDeTravail = FileDeTravail()

    @property
    def initial(self) -> str | None:
        """The id of the initial état (None if the definition has none: W001)."""
        return next((name for name, etat in self.etats.items() if etat.initial), None)

    def transition(self, transition_id: str) -> Transition | None:
        """The transition with this id."""
        return next((t for t in self.transitions if t.id == transition_id), None)

    def depot(self) -> Transition | None:
        """The usager's submission: the marked one, else the only usager transition leaving the initial état."""
        leaving = [t for t in self.transitions if self.initial in t.de and USAGER in t.par]
        marked = [t for t in leaving if t.depot]
        if marked:
            return marked[0]
        return leaving[0] if len(leaving) == 1 else None
