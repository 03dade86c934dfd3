"""The Dispositif aggregate: one YAML file, whole — metadata and fiche, the form, the instruction, the e-mails.

It extends forms.Form (so the YAML stays flat) and joins a workflows.Workflow to the agent-only fields, which are
form fields the workflow package must not know about."""

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from forms.definition import CasDeTest, Form
from forms.fields import ChampSimple
from forms.scalars import Definition, DureeTexte, Identifiant, JourMois, NonVide
from workflows.definition import Workflow

FORMAT_VERSION = 1


class Campagne(Definition):
    """A window in which the démarche is open: fixed dates, or the same days every year."""

    libelle: str | None = None
    ouverture: date | None = None
    cloture: date | None = None
    chaque_annee_du: JourMois | None = None
    chaque_annee_au: JourMois | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Campagne":
        fixed = (self.ouverture is not None, self.cloture is not None)
        yearly = (self.chaque_annee_du is not None, self.chaque_annee_au is not None)
        if fixed != (True, True) and yearly != (True, True) or any(fixed) and any(yearly):
            raise PydanticCustomError(
                "C006",
                "une campagne a soit « ouverture » et « cloture » (dates), soit « chaque_annee_du » et "
                "« chaque_annee_au » (JJ/MM)",
                {},
            )
        if self.ouverture and self.cloture and self.ouverture >= self.cloture:
            raise PydanticCustomError(
                "C006",
                "l'ouverture ({o}) doit précéder la clôture ({c})",
                {"o": self.ouverture.isoformat(), "c": self.cloture.isoformat()},
            )
        return self

    def fenetre(self, jour: date) -> tuple[date, date] | None:
        """The window of this campaign that contains ``jour``, or None."""
        if self.ouverture and self.cloture:
            return (self.ouverture, self.cloture) if self.ouverture <= jour <= self.cloture else None
        assert self.chaque_annee_du and self.chaque_annee_au
        start_day, start_month = (int(part) for part in self.chaque_annee_du.split("/"))
        end_day, end_month = (int(part) for part in self.chaque_annee_au.split("/"))
        for year in (jour.year - 1, jour.year):
            start = _day(year, start_month, start_day)
            end_year = year if (end_month, end_day) >= (start_month, start_day) else year + 1
            end = _day(end_year, end_month, end_day)
            if start <= jour <= end:
                return start, end
        return None


def prochaine_ouverture(campagnes: "tuple[Campagne, ...]", jour: date) -> date | None:
    """The first day after ``jour`` on which one of these campaigns opens, if any."""
    starts: list[date] = []
    for campagne in campagnes:
        if campagne.ouverture is not None and campagne.ouverture > jour:
            starts.append(campagne.ouverture)
        if campagne.chaque_annee_du is not None:
            start_day, start_month = (int(part) for part in campagne.chaque_annee_du.split("/"))
            this_year = _day(jour.year, start_month, start_day)
            starts.append(this_year if this_year > jour else _day(jour.year + 1, start_month, start_day))
    return min(starts, default=None)


def _day(year: int, month: int, day: int) -> date:
    """A day of a given year, 29/02 falling back to 28/02 outside leap years."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)


class Fiche(Definition):
    """The public description (fiche pratique) shown before the démarche."""

    public: NonVide
    conditions: NonVide
    delai: str | None = None
    """How long the instruction usually takes, as told to the usager (« 2 mois »)."""
    cout: str | None = None
    en_savoir_plus: str | None = None


class Rgpd(Definition):
    """What the usager is told about the processing of their data."""

    finalite: NonVide
    base_legale: NonVide
    conservation: DureeTexte
    destinataires: tuple[str, ...] = ()


_NUMBERING = re.compile(r"[A-Z0-9-]*(\{annee\}|\{sequence(:0[1-9])?\}|[A-Z0-9-])*")


def _numerotation(value: Any) -> Any:
    if not isinstance(value, str) or not _NUMBERING.fullmatch(value) or "{sequence" not in value:
        raise PydanticCustomError(
            "S005",
            "numérotation « {found} » incorrecte : lettres majuscules, chiffres et tirets, avec {sequence} "
            "(ou {sequence_05}) et éventuellement {annee}, par exemple « {example} »",
            {
                "found": value,
                "sequence": "{sequence}",
                "sequence_05": "{sequence:05}",
                "annee": "{annee}",
                "example": "BES-{annee}-{sequence:05}",
            },
        )
    return value


class Meta(Definition):
    """The ``dispositif:`` section: who, what, when."""

    id: Identifiant
    version: int = Field(ge=1)
    titre: NonVide
    resume: NonVide
    thematique: NonVide
    service: NonVide
    contact: NonVide
    base_legale: str | None = None
    fiche: Fiche
    campagnes: tuple[Campagne, ...] = ()
    """Empty: open all year round."""
    numerotation: Annotated[str, BeforeValidator(_numerotation)] = "PS-{annee}-{sequence:06}"
    duree_estimee: str | None = None
    rgpd: Rgpd
    avant_de_commencer: str | None = None


class Instruction(Workflow):
    """The workflow plus the agents' private fields (annotations privées), never shown to the usager."""

    champs_agent: tuple[ChampSimple, ...] = ()


class Courriel(Definition):
    """An e-mail sent on a transition; placeholders use the answers, calculs, ``dossier.*`` and ``transition.*``."""

    objet: NonVide
    corps: NonVide


class Dispositif(Form):
    """One whole dispositif file."""

    format: Literal[1]
    dispositif: Meta
    instruction: Instruction
    courriels: dict[Identifiant, Courriel] = {}
    cas_de_test: tuple[CasDeTest, ...] = ()

    @property
    def slug(self) -> str:
        """The dispositif's id, also its file name and URL part."""
        return self.dispositif.id
