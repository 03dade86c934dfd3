"""The public pages around the form: the catalogue (home), a dispositif's fiche, and « Mes démarches ».

The dispositif's metadata lives in engine (the aggregate), which the renderers must not import: the web layer copies
the few values shown into these view-models; what can be derived from the Form (pièces to prepare) is derived here."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from forms.communes import name_key
from forms.definition import Form
from renderers.display import date_fr
from renderers.uploads import upload_hint

_PLACEHOLDER = re.compile(r"\s*\{\{[^}]*\}\}")


@dataclass(frozen=True)
class CampagneView:
    """One window in which the démarche is open."""

    ouverture: date
    cloture: date
    libelle: str | None = None


@dataclass(frozen=True)
class CatalogueItem:
    """One dispositif on the home page."""

    slug: str
    titre: str
    resume: str
    thematique: str
    url: str
    is_open: bool = True
    opens_on: date | None = None
    """Closed: the next opening, if one is planned."""
    closes_on: date | None = None
    """Open: the end of the current campaign (None: open all year)."""

    @property
    def status(self) -> str | None:
        """« Fermé — ouvre le 1er août 2026 », « Ouvert jusqu'au 31 octobre 2026 », or nothing when always open."""
        if not self.is_open:
            return f"Fermé — ouvre le {date_fr(self.opens_on)}" if self.opens_on else "Fermé"
        return f"Ouvert jusqu'au {date_fr(self.closes_on)}" if self.closes_on else None


@dataclass(frozen=True)
class CatalogueGroup:
    """The dispositifs of one thématique."""

    thematique: str
    items: tuple[CatalogueItem, ...]


def _matches(item: CatalogueItem, words: list[str]) -> bool:
    text = name_key(f"{item.titre} {item.resume} {item.thematique}")
    return all(word in text for word in words)


def group_catalogue(items: Iterable[CatalogueItem], q: str = "") -> tuple[CatalogueGroup, ...]:
    """Dispositifs matching every word of ``q`` (accents and case ignored), by thématique; open ones first."""
    words = name_key(q).split()
    groups: dict[str, list[CatalogueItem]] = {}
    for item in items:
        if _matches(item, words):
            groups.setdefault(item.thematique, []).append(item)
    return tuple(
        CatalogueGroup(name, tuple(sorted(found, key=lambda item: (not item.is_open, name_key(item.titre)))))
        for name, found in sorted(groups.items(), key=lambda pair: name_key(pair[0]))
    )


@dataclass(frozen=True)
class PieceInfo:
    """A pièce the usager should have at hand before starting."""

    libelle: str
    aide: str | None
    hint: str
    optional: bool
    condition: str | None
    """When it is asked only in some cases (« Selon votre situation », « Pour chaque … »)."""


def pieces_to_prepare(form: Form) -> tuple[PieceInfo, ...]:
    """The pièces of the form, as a list to prepare (those asked later in the instruction are left out)."""
    found = []
    for piece in form.pieces:
        if piece.etats:
            continue
        condition = "Selon votre situation" if piece.visible_si or piece.obligatoire_si else None
        if piece.pour_chaque:
            bloc = form.fields.get(piece.pour_chaque)
            condition = f"Pour chaque « {bloc.libelle if bloc else piece.pour_chaque} » concerné(e)"
        found.append(
            PieceInfo(
                libelle=_PLACEHOLDER.sub("", piece.libelle).strip(),
                aide=piece.aide,
                hint=upload_hint(piece.formats, piece.taille_max, piece.nombre_max),
                optional=not piece.obligatoire and piece.obligatoire_si is None,
                condition=condition,
            )
        )
    return tuple(found)


@dataclass(frozen=True)
class FicheView:
    """The fiche pratique shown before the démarche (DSFR: documents to prepare, time needed, steps)."""

    titre: str
    resume: str
    thematique: str
    public: str
    conditions: str
    pieces: tuple[PieceInfo, ...]
    service: str
    contact: str
    is_open: bool = True
    opens_on: date | None = None
    campagnes: tuple[CampagneView, ...] = ()
    delai: str | None = None
    duree_estimee: str | None = None
    cout: str | None = None
    base_legale: str | None = None
    avant_de_commencer: str | None = None
    en_savoir_plus: str | None = None
    rgpd_finalite: str | None = None
    rgpd_base_legale: str | None = None
    rgpd_conservation: str | None = None


@dataclass(frozen=True)
class DossierRow:
    """One of the usager's dossiers in « Mes démarches »: a brouillon to resume, or a submitted dossier."""

    titre: str
    """The dispositif's title."""
    url: str
    """Brouillon: the saved step (« Reprendre »); submitted: the dossier's page."""
    etat: str
    """The état as the usager reads it (``libelle_usager``)."""
    is_draft: bool = True
    numero: str | None = None
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    step: str | None = None
    """Brouillon: the title of the step it will resume at."""
