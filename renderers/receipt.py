"""The récépissé: proof of submission the usager can print, with the number, the date, the answers and the pièces.

The confirmation text is the editor's, with ``{{ dossier.numero }}`` and the answers filled in the same sandbox as
the e-mails (renderers.texts), so the page and the e-mail say the same thing."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from forms.definition import Form
from forms.evaluation import Situation
from renderers.summary import SummaryView, build_summary
from renderers.texts import render_text
from renderers.uploads import UploadedFile


@dataclass(frozen=True)
class ReceiptView:
    """Everything receipt.html shows."""

    numero: str
    submitted_at: datetime
    dispositif: str
    title: str
    text: str | None
    summary: SummaryView
    next_steps: tuple[str, ...]
    email: str | None = None
    """Where the e-mail receipt was sent, if any."""


def build_receipt(
    form: Form,
    situation: Situation,
    values: Mapping[str, object],
    *,
    numero: str,
    submitted_at: datetime,
    dispositif: str,
    files: Mapping[str, Sequence[UploadedFile]] | None = None,
    email: str | None = None,
    delai: str | None = None,
    service: str | None = None,
) -> ReceiptView:
    """The récépissé of dossier ``numero``; ``delai`` and ``service`` (from the fiche) tell what happens next."""
    dossier = {"numero": numero, "date_depot": submitted_at.date(), "date_creation": submitted_at.date()}
    confirmation = form.confirmation
    text = render_text(confirmation.texte, {**situation.values, "dossier": dossier}) if confirmation.texte else None
    steps = [
        f"Le service « {service} » examine votre demande."
        if service
        else "Le service instructeur examine votre demande."
    ]
    if delai:
        steps.append(f"Le délai habituel de traitement est de {delai}.")
    steps.append(
        "Vous serez informé(e) par courriel de chaque étape, et pourrez suivre votre dossier dans « Mes démarches »."
    )
    summary = build_summary(form, situation, values, files=files)
    return ReceiptView(numero, submitted_at, dispositif, confirmation.titre, text, summary, tuple(steps), email)
