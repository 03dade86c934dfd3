"""The step indicator (DSFR stepper): « Étape 2 sur 5 », from the ``section`` of the pages the usager goes through.

Consecutive pages of one section make one step; a page without a section is a step named by its title. The
generated pages come last: « Vos justificatifs » when pièces are asked, then the check-answers page. The count
follows the current answers (a page hidden by a condition is not a step), as GOV.UK warns it can only do."""

from dataclasses import dataclass

from forms.definition import Form
from forms.evaluation import Situation

PIECES = "pieces"
RECAPITULATIF = "recapitulatif"
"""Ids of the generated steps, passed as ``current`` to ``stepper``."""

PIECES_TITLE = "Vos justificatifs"
RECAPITULATIF_TITLE = "Vérification et envoi"


@dataclass(frozen=True)
class StepView:
    """Where the usager stands in the démarche."""

    number: int
    total: int
    title: str
    names: tuple[str, ...]
    """Every step's name, in order."""

    @property
    def label(self) -> str:
        """« Étape 2 sur 5 »."""
        return f"Étape {self.number} sur {self.total}"

    @property
    def next_title(self) -> str | None:
        """The name of the following step, if any."""
        return self.names[self.number] if self.number < self.total else None


def stepper(form: Form, situation: Situation, current: str) -> StepView:
    """The stepper for page ``current`` (a page id, ``PIECES`` or ``RECAPITULATIF``)."""
    names: list[str] = []
    number = 0
    visible = set(situation.pages) | {current}
    for page in form.pages:
        if page.id not in visible:
            continue
        name = page.section or page.titre
        if not names or names[-1] != name:
            names.append(name)
        if page.id == current:
            number = len(names)
    if situation.pieces or current == PIECES:
        names.append(PIECES_TITLE)
        number = len(names) if current == PIECES else number
    names.append(RECAPITULATIF_TITLE)
    number = len(names) if current == RECAPITULATIF else number
    return StepView(number=number or 1, total=len(names), title=names[(number or 1) - 1], names=tuple(names))
