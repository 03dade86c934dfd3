"""The view-models of the citizen's form, and the pure builders the web layer calls to fill its templates.

A step page is built from the definition, the Situation (what the rules say is shown and required now) and the
values to redisplay; the web layer adds URLs and the CSRF token as plain strings. The other builders are re-exported
here so the web layer has one module to import."""

import ast
import weakref
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from forms.definition import Form, Page
from forms.evaluation import Situation
from forms.fields import AnyField, BlocRepetable, ChampSimple, Explication
from forms.rules import Rules
from renderers.catalogue_views import (
    CampagneView,
    CatalogueGroup,
    CatalogueItem,
    DossierRow,
    FicheView,
    PieceInfo,
    group_catalogue,
    pieces_to_prepare,
)
from renderers.display import calcul_lines
from renderers.fields_view import FieldView, ItemView, OptionView, PartView
from renderers.naming import ACTIONS, parse_page, parse_pieces
from renderers.pieces_view import PiecesView, PieceView, build_pieces
from renderers.receipt import ReceiptView, build_receipt
from renderers.site import Site, Theme
from renderers.steps import PIECES, RECAPITULATIF, StepView, stepper
from renderers.summary import SummaryItem, SummaryRow, SummarySection, SummaryView, build_summary
from renderers.uploads import UploadedFile
from renderers.widgets import FieldContext, nested, page_views

__all__ = [
    "ACTIONS", "PIECES", "RECAPITULATIF", "CalculView", "CampagneView", "CatalogueGroup", "CatalogueItem",
    "DossierRow", "FicheView", "FieldView", "ItemView", "OptionView", "PageView", "PartView", "PieceInfo",
    "PieceView", "PiecesView", "ReceiptView", "Site", "StepView", "SummaryItem", "SummaryRow", "SummarySection",
    "SummaryView", "Theme", "UploadedFile", "build_page", "build_pieces", "build_receipt", "build_summary",
    "error_summary", "group_catalogue", "parse_page", "parse_pieces", "pieces_to_prepare", "refresh_triggers",
    "stepper",
]  # fmt: skip

FIELDS_ID = "g-champs"
"""Id of the fields container htmx swaps; ``g-`` ids cannot meet a field's (field ids hold no hyphen)."""


@dataclass(frozen=True)
class CalculView:
    """A computed value the YAML shows on this page (``afficher``)."""

    libelle: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PageView:
    """One step of the form, as step.html and _fields.html draw it."""

    id: str
    title: str
    """The h1, also the <title>: the single question's label when the page asks only one."""
    heading_in_field: bool
    """True: the only question's label or legend is the h1, so the page shows no separate heading."""
    section: str | None
    intro: str | None
    stepper: StepView
    fields: tuple[FieldView, ...]
    errors: tuple[tuple[str, str], ...]
    """The error summary: (message, ``#anchor``) in page order."""
    calculs: tuple[CalculView, ...]
    multipart: bool
    """A ``fichier`` field is on the page: the form must post multipart/form-data."""
    refreshable: bool
    """Some answer here shows or hides something here: the no-JS « Mettre à jour les questions » button is needed."""
    required_notice: bool
    """More than one question: say once that all are required unless marked (DSFR)."""


def _names(source: str | None) -> set[str]:
    """Names an expression reads; the expression language is Python's expression syntax (FORMAT §4)."""
    if not source:
        return set()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)  # ``membres.membre_revenus``: a projection reads the sub-field
    return found


_TRIGGERS: dict[tuple[int, str], tuple["weakref.ref[Form]", frozenset[str]]] = {}
"""refresh_triggers per (form, page), computed once per loaded form: Form is not hashable (it holds dicts), so the
key is its id, checked against a weak reference in case the id was reused by a later form."""


def refresh_triggers(form: Form, page: Page) -> frozenset[str]:
    """Ids of the page's questions whose answer changes what the page shows: conditions of its fields and options,
    ``obligatoire_si`` (the « (optionnel) » marker), and calculs displayed on it, through the calculs they use."""
    key = (id(form), page.id)
    found = _TRIGGERS.get(key)
    if found is not None and found[0]() is form:
        return found[1]
    triggers = _triggers(form, page)
    _TRIGGERS[key] = (weakref.ref(form, lambda _: _TRIGGERS.pop(key, None)), triggers)
    return triggers


def _triggers(form: Form, page: Page) -> frozenset[str]:
    fields: list[AnyField | ChampSimple] = list(page.champs)
    fields += [sub for field in page.champs if isinstance(field, BlocRepetable) for sub in field.champs]
    own = {field.id for field in fields if not isinstance(field, Explication | BlocRepetable)}
    read: set[str] = set()
    for field in fields:
        read |= _names(field.visible_si) | _names(getattr(field, "obligatoire_si", None))
        for option in form.listes.get(getattr(field, "liste", ""), ()):
            read |= _names(option.visible_si)
    for name, calcul in form.calculs.items():
        if page.id in calcul.afficher:
            read |= {name}
    seen: set[str] = set()
    while read - seen:
        name = (read - seen).pop()
        seen.add(name)
        if name in form.calculs:
            read |= _names(form.calculs[name].expr)
    return frozenset(read & own)


def build_page(
    form: Form,
    page: Page,
    situation: Situation,
    values: Mapping[str, object],
    errors: Mapping[str, Sequence[str]],
    *,
    locked: Collection[str] = (),
    files: Mapping[str, Sequence[UploadedFile]] | None = None,
    rules: Rules | None = None,
) -> PageView:
    """The step ``page`` with ``values`` redisplayed (canonical or as posted) and ``errors`` by answer key.

    ``locked``: ids shown read-only, « issu de votre compte ». ``files``: uploads already sent, by answer key, for
    ``fichier`` fields. ``rules``: the compiled rules, to drop list options whose own ``visible_si`` is false."""
    ctx = FieldContext(
        form=form,
        situation=situation,
        errors=errors,
        locked=frozenset(locked),
        files=files or {},
        triggers=refresh_triggers(form, page),
        rules=rules,
        walked=page.id in situation.pages,
    )
    shown = [field for field in page.champs if field.id not in situation.hidden]
    questions = [field for field in shown if not isinstance(field, Explication)]
    # GOV.UK: a page asking one thing uses the question as its h1; not when an intro must come first, nor for a
    # lone checkbox (its label sits beside the box and cannot be a heading) or a read-only answer.
    single = (
        len(questions) == 1
        and not page.intro
        and questions[0].type != "case_a_cocher"
        and questions[0].id not in ctx.locked
    )
    views = page_views(ctx, shown, values, questions[0] if single else None)
    calculs = tuple(
        CalculView(
            calcul.libelle or name.replace("_", " ").capitalize(), calcul_lines(calcul.type, situation.values.get(name))
        )
        for name, calcul in form.calculs.items()
        if page.id in calcul.afficher and situation.values.get(name) is not None
    )
    every = nested(views)
    return PageView(
        id=page.id,
        title=questions[0].libelle if single else page.titre,
        heading_in_field=single,
        section=page.section,
        intro=page.intro,
        stepper=stepper(form, situation, page.id),
        fields=views,
        errors=tuple(error_summary(errors, every)) if errors else (),
        calculs=calculs,
        multipart=any(field.type == "fichier" and not field.locked for field in every),
        refreshable=any(field.refresh for field in every),
        required_notice=sum(1 for field in every if field.type not in ("explication", "bloc_repetable")) > 1,
    )


def error_summary(errors: Mapping[str, Sequence[str]], views: Sequence[FieldView]) -> list[tuple[str, str]]:
    """(message, ``#anchor``) for every error, in the order of the page (``views``: the page's fields, blocks'
    sub-fields included: ``nested``); an error on no field of the page (an unknown name: tampering) links to the
    top of the fields."""
    found: list[tuple[str, str]] = []
    listed: set[str] = set()
    for view in views:
        for message in errors.get(view.key, ()):
            found.append((message, f"#{view.anchor}"))
        listed.add(view.key)
    for key, messages in errors.items():
        if key not in listed:
            found.extend((message, f"#{FIELDS_ID}") for message in messages)
    return found
