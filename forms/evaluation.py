"""Where a set of answers stands under a form's rules on a given day: what is shown, computed, stopped, asked.

The same walk serves the web form, the récapitulatif, the agents' view and the cas_de_test, so a rule gives one
answer everywhere. Pages are walked in order and each condition sees only what precedes it (E007 guarantees it
needs nothing else); a hidden answer counts as vide and is dropped."""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from forms.definition import Arret, Page, Piece
from forms.expressions import Context, Expression
from forms.fields import BlocRepetable, Explication
from forms.rules import Rules

Answers = Mapping[str, object]
Item = Mapping[str, object]
ContextFor = Callable[[Item | None], Context]


def items(value: object) -> tuple[Item, ...]:
    """The items of a repeat block's value (anything else counts as no item)."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, Mapping))


@dataclass(frozen=True)
class PieceRequest:
    """One upload the usager is asked for: a pièce, for one repeat item when it is ``pour_chaque``."""

    piece: Piece
    item: int | None
    required: bool
    libelle: str

    @property
    def key(self) -> str:
        """Storage key of the upload: the pièce id, with the item index for a per-item pièce."""
        return self.piece.id if self.item is None else f"{self.piece.id}.{self.item}"


@dataclass(frozen=True)
class Situation:
    """The outcome of the walk."""

    values: dict[str, object]
    """Answers still relevant, calculs, and parametres in force."""
    pages: tuple[str, ...]
    """Ids of the pages the usager goes through, up to the stop if any."""
    hidden: frozenset[str]
    """Ids of fields, pages and pièces not shown (for an item of a block: ``bloc.index.sub``)."""
    stop: Arret | None
    stop_page: str | None
    pieces: tuple[PieceRequest, ...]
    required: frozenset[str]
    """Ids of shown fields that must be answered (``obligatoire`` or ``obligatoire_si``)."""
    reference_date: date

    def is_visible(self, name: str) -> bool:
        """Whether a field, page or pièce id is shown."""
        return name not in self.hidden


def _true(expression: Expression | None, context: Context, default: bool = True) -> bool:
    return default if expression is None else expression.evaluate(context) is True


def _bareme_rows(rules: Rules) -> dict[str, list[dict[str, object]]]:
    return {
        name: [{"jusqu_a": row.jusqu_a, **row.colonnes} for row in rows] for name, rows in rules.form.baremes.items()
    }


def _records(
    usager: Answers | None, organisation: Answers | None, dossier: Answers | None, campagne: Answers | None
) -> dict[str, object]:
    return {
        "usager": usager or {},
        "organisation": organisation or {},
        "dossier": dossier or {},
        "campagne": campagne or {},
    }


def evaluate(
    rules: Rules,
    answers: Answers,
    *,
    today: date,
    reference_date: date | None = None,
    usager: Answers | None = None,
    organisation: Answers | None = None,
    dossier: Answers | None = None,
    campagne: Answers | None = None,
    through_stops: bool = False,
) -> Situation:
    """Walk the form with these canonical answers on ``today``.

    ``reference_date`` picks the parametres in force: the date of submission once the dossier is submitted (frozen
    there), else ``today``. ``through_stops`` records the first stop but keeps walking: a partial cas_de_test
    leaves eligibility questions unanswered and still wants its calculs."""
    form = rules.form
    reference = reference_date or today
    values: dict[str, object] = _records(usager, organisation, dossier, campagne)
    for name, parametre in form.parametres.items():
        values[name] = parametre.valeur_au(reference)
    baremes = _bareme_rows(rules)
    hidden: set[str] = set()
    required: set[str] = set()
    pages: list[str] = []
    stop: Arret | None = None
    stop_page: str | None = None

    # Outside a block every expression reads the same context: ``values`` is filled in place as the walk goes.
    shared = Context(values=values, today=today, baremes=baremes)

    def context(item: Answers | None = None) -> Context:
        return shared if item is None else Context(values=values, today=today, baremes=baremes, item=item)

    field_visible = rules.field_visible

    def compute_calculs() -> None:
        for name, expression in rules.calculs:
            values[name] = _as_declared(form.calculs[name].type, expression.evaluate(context()))

    for page in form.pages:
        if stop is not None and not through_stops:
            hidden.add(page.id)
            hidden.update(field.id for field in page.champs)
            continue
        compute_calculs()
        if not _true(rules.page_visible.get(page.id), context()):
            hidden.add(page.id)
            hidden.update(field.id for field in page.champs)
            continue
        pages.append(page.id)
        for field in page.champs:
            visible = field_visible.get(field.id)
            if field.retire or (visible is not None and visible.evaluate(shared) is not True):
                hidden.add(field.id)
                continue
            if isinstance(field, Explication):
                continue
            if isinstance(field, BlocRepetable):
                values[field.id] = _walk_bloc(rules, field, answers.get(field.id), context, hidden, required)
                if field.obligatoire and field.min > 0:
                    required.add(field.id)
                continue
            values[field.id] = answers.get(field.id)
            if _required(rules, field.id, getattr(field, "obligatoire", False), shared):
                required.add(field.id)
        compute_calculs()
        for arret, expression in rules.arrets.get(page.id, ()) if stop is None else ():
            if _answered(expression, page, values) and expression.evaluate(context()) is True:
                stop, stop_page = arret, page.id
                break
    compute_calculs()
    for name in rules.field_ids:
        if name in hidden:
            values[name] = None
    pieces = () if stop and not through_stops else tuple(_pieces(rules, values, context, hidden))
    return Situation(values, tuple(pages), frozenset(hidden), stop, stop_page, pieces, frozenset(required), reference)


def _as_declared(kind: str, value: object) -> object:
    """A montant or nombre_entier calcul is a whole number: F CFP have no cents. Rounded half up, like arrondi."""
    if kind in ("montant", "nombre_entier") and isinstance(value, Decimal):
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return value


def _answered(expression: Expression, page: Page, values: Mapping[str, object]) -> bool:
    """A stop waits for the answers of its page that it reads: ``not reside`` must not stop an unanswered page."""
    own = {field.id for field in page.champs}
    return all(values.get(name) not in (None, "", ()) for name in expression.names & own)


def _required(rules: Rules, field_id: str, obligatoire: bool, context: Context) -> bool:
    condition = rules.field_required.get(field_id)
    return condition.evaluate(context) is True if condition is not None else obligatoire


def _walk_bloc(
    rules: Rules, bloc: BlocRepetable, raw: object, context: ContextFor, hidden: set[str], required: set[str]
) -> tuple[dict[str, object], ...]:
    """The block's items with each sub-field's visibility evaluated in its own item."""
    kept: list[dict[str, object]] = []
    for index, item in enumerate(items(raw)):
        current: dict[str, object] = {}
        for sub in bloc.champs:
            key = f"{bloc.id}.{index}.{sub.id}"
            if not _true(rules.field_visible.get(sub.id), context(current)):
                hidden.add(key)
                current[sub.id] = None
                continue
            if isinstance(sub, Explication):
                continue
            current[sub.id] = item.get(sub.id)
            if _required(rules, sub.id, getattr(sub, "obligatoire", False), context(current)):
                required.add(key)
        kept.append(current)
    return tuple(kept)


def _pieces(rules: Rules, values: dict[str, object], context: ContextFor, hidden: set[str]) -> Iterator[PieceRequest]:
    for piece in rules.form.pieces:
        if piece.etats:
            hidden.add(piece.id)  # asked later, in those états, not with the form
            continue
        if piece.pour_chaque:
            for index, item in enumerate(items(values.get(piece.pour_chaque))):
                if _true(rules.piece_visible.get(piece.id), context(item)):
                    yield PieceRequest(
                        piece, index, _piece_required(rules, piece, context(item)), _item_label(piece.libelle, item)
                    )
                else:
                    hidden.add(f"{piece.id}.{index}")
            continue
        if _true(rules.piece_visible.get(piece.id), context(None)):
            yield PieceRequest(piece, None, _piece_required(rules, piece, context(None)), piece.libelle)
        else:
            hidden.add(piece.id)


def _piece_required(rules: Rules, piece: Piece, context: Context) -> bool:
    condition = rules.piece_required.get(piece.id)
    return condition.evaluate(context) is True if condition is not None else piece.obligatoire


def _item_label(template: str, item: Mapping[str, object]) -> str:
    """A label with ``{{ sub_field }}`` placeholders filled from the item (plain substitution: no logic here)."""
    text = template
    for name, value in item.items():
        shown = "" if value is None else (f"{value:f}" if isinstance(value, Decimal) else str(value))
        text = text.replace("{{ " + name + " }}", shown).replace("{{" + name + "}}", shown)
    return text
