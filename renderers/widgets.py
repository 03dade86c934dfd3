"""Which widget draws each field and what it shows: one FieldView per visible field of a page, blocks included.

GOV.UK and DSFR choices are made here once for every dispositif: radios up to seven options, a select beyond; a
date as three inputs; an address as four; the upload constraints always spelled out; « (optionnel) » from what the
rules require now (``obligatoire_si`` included), not from the declaration alone."""

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.answers import hint as generated_hint
from forms.definition import Form
from forms.evaluation import Situation, items
from forms.fields import (
    Adresse,
    AnyField,
    BlocRepetable,
    CaseACocher,
    ChampSimple,
    Choix,
    ChoixMultiple,
    Commune,
    Date,
    Email,
    Explication,
    Fichier,
    Iban,
    Montant,
    OuiNon,
    Question,
    Ridet,
    Telephone,
    TexteLong,
)
from forms.rules import Rules
from renderers.display import answer_lines, item_title
from renderers.fields_view import FieldView, ItemView, PartView, field_view
from renderers.inputs import autocomplete, input_choices, input_parts, input_text, inputmode, is_ticked
from renderers.memo import Memo
from renderers.naming import html_id, input_name, item_key, parts_of
from renderers.options import (
    COMMUNES,
    RADIO_LIMIT,
    WIDTHS,
    YES_NO,
    commune_code,
    option_views,
    part_views,
    visible_options,
)
from renderers.uploads import UploadedFile, accept, upload_hint

Spec = dict[str, Any]
"""Keyword arguments of a FieldView, gathered before building it once (dataclasses.replace costs more per field)."""


@dataclass(frozen=True)
class FieldContext:
    """What every field of one page is built from."""

    form: Form
    situation: Situation
    errors: Mapping[str, Sequence[str]]
    locked: Collection[str]
    files: Mapping[str, Sequence[UploadedFile]]
    triggers: frozenset[str]
    rules: Rules | None
    walked: bool
    """The situation went through this page, so its ``required`` and ``hidden`` speak for it."""


def _hint(field: Question) -> str | None:
    if isinstance(field, Fichier):
        constraints = upload_hint(field.formats, field.taille_max, field.nombre_max)
        return f"{field.aide} {constraints}" if field.aide else constraints
    return generated_hint(field)


def _named(field: Question, key: str) -> Spec:
    """The attributes every question's view has: its answer key, ids, input name, type and label."""
    field_id = html_id(key)
    return {"key": key, "id": field_id, "type": field.type, "label": field.libelle, "anchor": field_id,
            "name": input_name(key)}  # fmt: skip


def _fixed(field: Question, key: str, in_bloc: bool) -> Spec:
    """What a field's view takes from its definition and answer key alone, worked out once (see ``_FIXED``)."""
    token = autocomplete(field, in_bloc=in_bloc)
    spec: Spec = {
        **_named(field, key),
        "widget": f"fields/{field.type}.html",
        "hint": _hint(field),
        "autocomplete": token,
    }
    match field:
        case Date() | Adresse() | OuiNon() | Choix() | ChoixMultiple() | CaseACocher():
            return spec
        case Commune():
            return {**spec, "select": True}
        case Fichier():
            return {**spec, "accept": accept(field.formats), "multiple": field.nombre_max > 1}
    return {
        **spec,
        "inputmode": inputmode(field),
        "input_type": "email" if isinstance(field, Email) else "tel" if isinstance(field, Telephone) else "text",
        "spellcheck": not isinstance(field, Email | Iban | Ridet | Telephone),
        "width": WIDTHS.get(field.type),
        "suffix": "F CFP" if isinstance(field, Montant) else getattr(field, "unite", None),
        "maxlength": field.longueur_max if isinstance(field, TexteLong) else None,
    }


_FIXED: Memo[tuple[Question, Spec]] = Memo(16384)
"""``_fixed`` by (field, answer key, in a block): the field by identity (pydantic models hash every attribute), the
entry keeping the field alive so that its identity cannot be reused while it is kept."""


def _specific(ctx: FieldContext, field: Question, key: str, value: object, item: Mapping[str, object] | None) -> Spec:
    """What a field of this kind adds to the common view (one FieldView is built from both, once)."""
    in_bloc = item is not None
    fixed = _FIXED.get((id(field), key, in_bloc), lambda: (field, _fixed(field, key, in_bloc)))[1]
    field_id: str = fixed["id"]
    match field:
        case Date() | Adresse():
            parts = part_views(field, key, value, fixed["autocomplete"])
            return {**fixed, "autocomplete": None, "parts": parts, "anchor": parts[0].id}
        case OuiNon():
            return {
                **fixed,
                "autocomplete": None,
                "options": option_views(field_id, YES_NO, {input_text(field, value).lower()}),
            }
        case Choix():
            options = visible_options(ctx.form, ctx.rules, ctx.situation, field.liste, item)
            select = field.affichage == "liste" or (field.affichage == "auto" and len(options) > RADIO_LIMIT)
            chosen = {input_text(field, value)}
            views = option_views(field_id + ("-option" * select), options, chosen)
            return {**fixed, "autocomplete": None, "select": select, "options": views}
        case ChoixMultiple():
            options = visible_options(ctx.form, ctx.rules, ctx.situation, field.liste, item)
            views = option_views(field_id, options, set(input_choices(value)), field.exclusif)
            return {**fixed, "autocomplete": None, "options": views}
        case CaseACocher():
            return {**fixed, "autocomplete": None, "value": "oui" if is_ticked(value) else ""}
        case Commune():
            return {
                **fixed,
                "options": option_views(field_id + "-option", COMMUNES, {commune_code(input_text(field, value))}),
            }
        case Fichier():
            return {**fixed, "autocomplete": None, "files": tuple(ctx.files.get(key, ()))}
    return {**fixed, "value": input_text(field, value)}


Shaped = tuple[Hashable, str, tuple[str, ...], object]
"""(what of the answer a question's view depends on besides its texts, the input's text, the parts' texts, what
the first item names by identity and must keep alive)."""


def _answer_shape(
    ctx: FieldContext, field: Question, key: str, value: object, item: Mapping[str, object] | None
) -> Shaped | None:
    """How the answer shapes the view, worked out without building it, exactly as ``_specific`` uses the answer:
    a text only through its emptiness, a choice through the options shown and the code ticked. None for a
    ``fichier``: its view lists the usager's own files."""
    kind = _KINDS.get(field.__class__) or _kind(field)
    if kind == "text":
        text = input_text(field, value)
        return text == "", text, (), None
    if kind == "parts":
        texts = input_parts(field, value)
        parts = tuple(texts[part] for part in parts_of(field))
        commune = commune_code(texts["commune"]) if isinstance(field, Adresse) else None
        return (tuple(text == "" for text in parts), commune), "", parts, None
    if kind == "choices":
        assert isinstance(field, Choix | ChoixMultiple)
        options = visible_options(ctx.form, ctx.rules, ctx.situation, field.liste, item)
        chosen = (input_text(field, value),) if isinstance(field, Choix) else frozenset(input_choices(value))
        return (tuple(map(id, options)), chosen), "", (), options
    if kind == "oui_non":
        return input_text(field, value).lower(), "", (), None
    if kind == "case":
        ticked = is_ticked(value)
        return ticked, "oui" if ticked else "", (), None
    if kind == "commune":
        return commune_code(input_text(field, value)), "", (), None
    return None


_KINDS: dict[type, str] = {}
"""``_kind`` by field class: a page asks it of every question on every request."""


def _kind(field: Question) -> str:
    """Which of ``_specific``'s cases a field falls in, in the same order."""
    match field:
        case Date() | Adresse():
            kind = "parts"
        case OuiNon():
            kind = "oui_non"
        case Choix() | ChoixMultiple():
            kind = "choices"
        case CaseACocher():
            kind = "case"
        case Commune():
            kind = "commune"
        case Fichier():
            kind = "files"
        case _:
            kind = "text"
    _KINDS[field.__class__] = kind
    return kind


_SHAPED: Memo[tuple[Question, object, FieldView]] = Memo(16384)
"""A question's view by its shape (field, answer key, what the answer shapes, refresh, optional, errors, heading):
the same few come back for every usager at the same point of a form, and only their texts differ. The entry keeps
the field and the options named by identity in the key alive, so their identities cannot be reused meanwhile."""


def _with_texts(shaped: FieldView, text: str, part_texts: tuple[str, ...]) -> FieldView:
    """The kept view with this answer's texts (the same object the full build would give, by equality)."""
    if not part_texts and text == shaped.value:  # no text, or the same constant (a ticked box's « oui »)
        return shaped
    view: FieldView = object.__new__(FieldView)
    view.__dict__.update(shaped.__dict__)
    view.__dict__["value"] = text
    if part_texts:
        parts = []
        for kept, part_text in zip(shaped.parts, part_texts, strict=True):
            part: PartView = object.__new__(PartView)
            part.__dict__.update(kept.__dict__)
            part.__dict__["value"] = part_text
            parts.append(part)
        view.__dict__["parts"] = tuple(parts)
    return view


def question_view(
    ctx: FieldContext,
    field: Question,
    key: str,
    value: object,
    *,
    item: Mapping[str, object] | None,
    optional: bool,
    heading: bool,
) -> FieldView:
    """The view of one question under its answer key (a sub-field's key names its item).

    Built once per shape (``_SHAPED``) and then only given each answer's texts: building every attribute of 30
    views was most of a step page's time."""
    shaped = None if key in ctx.locked else _answer_shape(ctx, field, key, value, item)
    if shaped is None:
        return _question_view(ctx, field, key, value, item=item, optional=optional, heading=heading)
    answer, text, part_texts, keep = shaped
    errors = tuple(ctx.errors[key]) if key in ctx.errors else ()
    shape = (id(field), key, item is not None, answer, field.id in ctx.triggers, optional, errors, heading)
    found = _SHAPED.find(shape)
    if found is None:
        view = _question_view(ctx, field, key, value, item=item, optional=optional, heading=heading)
        # A token for the shape, hashed by identity: the drawing is looked up under it without hashing the shape
        # again. A shape dropped from _SHAPED and met again gets a new token, and is drawn again.
        view.__dict__["shape"] = object()
        found = _SHAPED.get(shape, lambda: (field, keep, view))
    return _with_texts(found[2], text, part_texts)


def _question_view(
    ctx: FieldContext,
    field: Question,
    key: str,
    value: object,
    *,
    item: Mapping[str, object] | None,
    optional: bool,
    heading: bool,
) -> FieldView:
    if key in ctx.locked:
        spec: Spec = {
            **_named(field, key),
            "widget": "fields/_verrouille.html",
            "locked": True,
            "display": answer_lines(ctx.form, field, value),
        }
    else:
        spec = _specific(ctx, field, key, value, item)  # a new dict: completed in place
        spec["refresh"] = field.id in ctx.triggers
    spec["optional"] = optional
    spec["errors"] = tuple(ctx.errors.get(key, ()))
    spec["heading"] = heading
    return field_view(spec)


def explication_view(field: Explication, key: str) -> FieldView:
    """Text between questions: a paragraph, a highlighted box or a « en savoir plus » disclosure."""
    field_id = html_id(key)
    return FieldView(key=key, id=field_id, type=field.type, widget="fields/explication.html",
                     label=field.libelle or "", anchor=field_id, text=field.texte, style=field.style)  # fmt: skip


def _optional(ctx: FieldContext, field: Question | BlocRepetable, key: str, walked: bool) -> bool:
    if walked:
        return key not in ctx.situation.required
    return not field.obligatoire


def any_view(
    ctx: FieldContext, field: AnyField | ChampSimple, key: str, value: object, *, heading: bool = False,
    item: Mapping[str, object] | None = None, walked: bool = True,
) -> FieldView:  # fmt: skip
    """The view of any field kind."""
    if isinstance(field, Explication):
        return explication_view(field, key)
    if isinstance(field, BlocRepetable):
        return bloc_view(ctx, field, value, heading=heading)
    return question_view(
        ctx, field, key, value, item=item, optional=_optional(ctx, field, key, walked), heading=heading
    )


def page_views(
    ctx: FieldContext, fields: Sequence[AnyField], values: Mapping[str, object], heading: AnyField | None
) -> tuple[FieldView, ...]:
    """``any_view`` of each of a page's shown fields under its own id (``heading``: the field that is the page's
    h1), in one loop: a call per field less on the page every usager asks all day."""
    required = ctx.situation.required
    views: list[FieldView] = []
    for field in fields:
        key = field.id
        if isinstance(field, Explication):
            views.append(explication_view(field, key))
        elif isinstance(field, BlocRepetable):
            views.append(bloc_view(ctx, field, values.get(key), heading=field is heading))
        else:
            optional = key not in required
            views.append(
                question_view(ctx, field, key, values.get(key), item=None, optional=optional, heading=field is heading)
            )
    return tuple(views)


def bloc_view(ctx: FieldContext, bloc: BlocRepetable, value: object, *, heading: bool) -> FieldView:
    """A repeat block: its items (at least ``min``), each with its visible sub-fields, and the add/remove buttons."""
    rows: list[Mapping[str, object]] = list(items(value))
    rows += [{}] * max(0, bloc.min - len(rows))
    walked_rows = items(ctx.situation.values.get(bloc.id)) if ctx.walked else ()
    item_views = []
    for index, row in enumerate(rows):
        # An item the situation has not walked yet (just added) shows no conditional sub-field: they depend on
        # answers it does not have; the next refresh or « Continuer » evaluates them.
        walked = index < len(walked_rows)
        known = walked_rows[index] if walked else row
        fields = tuple(
            any_view(ctx, sub, item_key(bloc.id, index, sub.id), row.get(sub.id), item=known, walked=walked)
            for sub in bloc.champs
            if item_key(bloc.id, index, sub.id) not in ctx.situation.hidden and (walked or sub.visible_si is None)
        )
        item_views.append(
            ItemView(
                index=index,
                id=html_id(item_key(bloc.id, index)),
                title=item_title(ctx.form, bloc, index, row),
                fields=fields,
                marker_name=item_key(bloc.id, index),
                remove_action=f"retirer:{bloc.id}:{index}" if len(rows) > bloc.min else None,
            )
        )
    bloc_id = html_id(bloc.id)
    can_add = len(rows) < bloc.max
    return FieldView(
        key=bloc.id,
        id=bloc_id,
        type=bloc.type,
        widget="fields/bloc_repetable.html",
        label=bloc.libelle,
        anchor=f"{bloc_id}-ajouter" if can_add else bloc_id,
        hint=bloc.aide,
        optional=_optional(ctx, bloc, bloc.id, ctx.walked),
        errors=tuple(ctx.errors.get(bloc.id, ())),
        items=tuple(item_views),
        add_action=f"ajouter:{bloc.id}" if can_add else None,
        add_label=bloc.bouton_ajouter or "Ajouter un élément",
        max_text=None if can_add else f"Vous avez atteint le nombre maximal d'éléments ({bloc.max}).",
        refresh=False,
        heading=heading,
    )


def nested(views: Sequence[FieldView]) -> list[FieldView]:
    """Every view with the sub-field views of block items after their block, in page order."""
    found: list[FieldView] = []
    for view in views:
        found.append(view)
        for item in view.items:
            found.extend(nested(item.fields))
    return found
