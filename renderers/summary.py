"""The « vérifiez vos réponses » page (GOV.UK check answers, RGAA 11.12) and the answers part of the récépissé.

Only what the usager went through appears, grouped by section; a skipped optional answer reads « Non renseigné »;
each answer has a « Modifier » link naming it for screen readers. The récépissé reuses the same view without links."""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from forms.definition import Form
from forms.evaluation import Situation, items
from forms.fields import AnyField, BlocRepetable, ChampSimple, Explication
from renderers.display import NOT_PROVIDED, answer_lines, calcul_lines, item_title
from renderers.naming import anchor_of, html_id, item_key
from renderers.steps import PIECES, RECAPITULATIF, StepView, stepper
from renderers.uploads import UploadedFile

ChangeUrl = Callable[[str, str], str]
"""(page id, anchor) → the URL of that page landing on the element with id ``anchor`` (the answer's first input;
for a top-level simple field, its id). The web layer builds it; ``PIECES`` is the page id of the pièces."""


@dataclass(frozen=True)
class SummaryRow:
    """One answer: its question, its value as lines (empty: « Non renseigné »), its « Modifier » link."""

    label: str
    lines: tuple[str, ...]
    change_url: str | None = None
    items: "tuple[SummaryItem, ...]" = ()
    """A repeat block's items, each with its own answers."""

    @property
    def empty_text(self) -> str:
        """What an empty answer reads."""
        return NOT_PROVIDED


@dataclass(frozen=True)
class SummaryItem:
    """One item of a repeat block, titled as on the form."""

    title: str
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True)
class SummarySection:
    """The answers of one section (or of one page without a section)."""

    title: str
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True)
class SummaryView:
    """Everything summary.html and receipt.html show of the answers."""

    title: str
    sections: tuple[SummarySection, ...]
    calculs: tuple[SummaryRow, ...]
    pieces: tuple[SummaryRow, ...]
    declaration: str | None
    button: str
    stepper: StepView


def _rows(
    form: Form,
    situation: Situation,
    fields: Sequence[AnyField | ChampSimple],
    values: Mapping[str, object],
    link: Callable[[str], str | None],
    files: Mapping[str, Sequence[UploadedFile]],
    locked: Collection[str],
    prefix: tuple[str, int] | None = None,
) -> tuple[SummaryRow, ...]:
    rows: list[SummaryRow] = []
    for field in fields:
        key = field.id if prefix is None else item_key(prefix[0], prefix[1], field.id)
        if key in situation.hidden or isinstance(field, Explication):
            continue
        if isinstance(field, BlocRepetable):
            listed = tuple(
                SummaryItem(
                    item_title(form, field, index, item),
                    _rows(form, situation, field.champs, item, link, files, (), (field.id, index)),
                )
                for index, item in enumerate(items(values.get(field.id)))
            )
            rows.append(SummaryRow(field.libelle, (), link(anchor_of(field, key)), listed))
            continue
        names = tuple(upload.nom for upload in files.get(key, ()))
        lines = answer_lines(form, field, values.get(field.id), names)
        rows.append(SummaryRow(field.libelle, lines, None if key in locked else link(anchor_of(field, key))))
    return tuple(rows)


def build_summary(
    form: Form,
    situation: Situation,
    values: Mapping[str, object],
    *,
    change_url: ChangeUrl | None = None,
    locked: Collection[str] = (),
    files: Mapping[str, Sequence[UploadedFile]] | None = None,
) -> SummaryView:
    """The answers ``values`` (canonical) under the pages ``situation`` went through; ``change_url`` None gives no
    links (récépissé); ``locked`` answers come from the account and have none; ``files`` by answer or pièce key."""
    uploads = files or {}
    sections: list[SummarySection] = []
    for page in form.pages:
        if page.id not in situation.pages:
            continue

        def link(anchor: str, page_id: str = page.id) -> str | None:
            return None if change_url is None else change_url(page_id, anchor)

        rows = _rows(form, situation, page.champs, values, link, uploads, frozenset(locked))
        title = page.section or page.titre
        if sections and sections[-1].title == title:
            sections[-1] = SummarySection(title, sections[-1].rows + rows)
        elif rows:
            sections.append(SummarySection(title, rows))
    calculs = tuple(
        SummaryRow(
            calcul.libelle or name.replace("_", " ").capitalize(), calcul_lines(calcul.type, situation.values.get(name))
        )
        for name, calcul in form.calculs.items()
        if "recapitulatif" in calcul.afficher and situation.values.get(name) is not None
    )
    pieces = tuple(
        SummaryRow(
            request.libelle,
            tuple(upload.nom for upload in uploads.get(request.key, ())),
            None if change_url is None else change_url(PIECES, html_id(request.key)),
        )
        for request in situation.pieces
    )
    recap = form.recapitulatif
    return SummaryView(
        recap.titre,
        tuple(sections),
        calculs,
        pieces,
        recap.declaration,
        recap.bouton,
        stepper(form, situation, RECAPITULATIF),
    )
