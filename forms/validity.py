"""Whether a pièce's document is still acceptable, from the date the usager gives for it (``validite``).

Checked when the document's date is asked (``date_du_document: demandee``); otherwise the validity is a line of
the agent's checklist, since nobody told the engine the date."""

from datetime import date
from decimal import Decimal

from forms.definition import Piece
from forms.expressions import Context, Duree
from forms.rules import Rules
from forms.scalars import format_duree


def _minus(day: date, duree: Duree) -> date:
    """The day ``duree`` before ``day`` (months clamp to the month's end, like the expression language)."""
    year, month = day.year - duree.annees, day.month - duree.mois
    while month < 1:
        year, month = year - 1, month + 12
    for last in (31, 30, 29, 28):
        try:
            start = date(year, month, min(day.day, last))
            break
        except ValueError:
            continue
    return date.fromordinal(start.toordinal() - duree.jours)


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def validity_error(piece: Piece, document: date, rules: Rules, context: Context) -> str | None:
    """The French message when the document's date breaks the pièce's validity, else None."""
    validite = piece.validite
    if validite is None:
        return None
    today = context.today
    if document > today and not validite.expiration:
        return f"La date du document « {piece.libelle} » ne peut pas être dans le futur"
    if validite.moins_de is not None and document < _minus(today, validite.moins_de):
        return f"Le document « {piece.libelle} » doit dater de moins de {format_duree(validite.moins_de)}"
    year = validite.annee
    if isinstance(year, str) and piece.id in rules.piece_year:
        found = rules.piece_year[piece.id].evaluate(context)
        year = int(found) if isinstance(found, Decimal) else None
    if isinstance(year, int) and document.year != year:
        return f"Le document « {piece.libelle} » doit être daté de l'année {year}"
    if validite.entre is not None:
        low, high = (
            bound if isinstance(bound, date) else _evaluated(rules, piece.id, index, context)
            for index, bound in enumerate(validite.entre)
        )
        if low is not None and high is not None and not low <= document <= high:
            return f"Le document « {piece.libelle} » doit être daté entre le {_fr(low)} et le {_fr(high)}"
    if validite.expiration and document < today:
        return f"Le document « {piece.libelle} » a expiré le {_fr(document)} : envoyez un document en cours de validité"
    return None


def _evaluated(rules: Rules, piece_id: str, index: int, context: Context) -> date | None:
    bounds = rules.piece_range.get(piece_id)
    expression = bounds[index] if bounds else None
    found = expression.evaluate(context) if expression is not None else None
    return found if isinstance(found, date) else None
