"""The view-model of one field: everything its widget template needs, so the templates hold no logic.

A FieldView carries the input names of renderers.naming, the ids the labels, hints and errors point at, the texts
to redisplay, and for a repeat block its items, each with its own sub-field views. renderers.widgets builds them."""

from collections.abc import Hashable, Mapping
from dataclasses import MISSING, dataclass, field, fields

from renderers.uploads import UploadedFile


@dataclass(frozen=True)
class OptionView:
    """One radio, checkbox or select option."""

    code: str
    libelle: str
    id: str
    checked: bool
    aide: str | None = None
    aide_id: str | None = None
    exclusive: bool = False
    """The « aucun » answer of a choix_multiple, set apart by « ou »."""


class Choices(tuple[OptionView, ...]):
    """A field's option views, hashed once: the HTML of a field is looked up by its view on every request
    (renderers.prerender), and a list of 34 communes would otherwise be hashed option by option each time."""

    def __hash__(self) -> int:
        found: int | None = self.__dict__.get("hash")
        if found is None:
            found = self.__dict__["hash"] = super().__hash__()
        return found


@dataclass(frozen=True)
class PartView:
    """One input of a grouped field (a date's day, an address's postal code)."""

    part: str
    name: str
    id: str
    label: str
    value: str
    autocomplete: str | None = None
    inputmode: str | None = None
    width: str | None = None
    optional: bool = False
    options: tuple[OptionView, ...] = ()
    """Non-empty: the part is a select (the commune of an address)."""


@dataclass(frozen=True)
class ItemView:
    """One item of a repeat block, titled « Personne 1 — Marie »."""

    index: int
    id: str
    title: str
    fields: "tuple[FieldView, ...]"
    marker_name: str
    """Posted empty with the item, so an item with no answer yet survives the round trip."""
    remove_action: str | None = None


@dataclass(frozen=True)
class FieldView:
    """One field as its widget ``fields/{type}.html`` draws it."""

    key: str
    """The answer key (``membres.0.membre_prenom`` inside a block)."""
    id: str
    type: str
    widget: str
    label: str
    anchor: str
    """Id of the input the error summary links to (the first one of a group)."""
    hint: str | None = None
    optional: bool = False
    errors: tuple[str, ...] = ()
    name: str = ""
    value: str = ""
    values: tuple[str, ...] = ()
    parts: tuple[PartView, ...] = ()
    options: tuple[OptionView, ...] = ()
    select: bool = False
    autocomplete: str | None = None
    inputmode: str | None = None
    input_type: str = "text"
    spellcheck: bool = True
    width: str | None = None
    suffix: str | None = None
    maxlength: int | None = None
    """texte_long: the limit the character count shows (never an HTML maxlength, which would cut silently)."""
    locked: bool = False
    display: tuple[str, ...] = ()
    """Locked fields: the answer as text, « issu de votre compte »."""
    items: tuple[ItemView, ...] = ()
    add_action: str | None = None
    add_label: str = ""
    max_text: str | None = None
    files: tuple[UploadedFile, ...] = ()
    accept: str | None = None
    multiple: bool = False
    text: str = ""
    style: str = "paragraphe"
    refresh: bool = False
    """Answering it may show or hide something on the page: htmx re-renders the fields on change."""
    heading: bool = False
    """The only question of the page: its label or legend is the page's h1 (GOV.UK)."""
    shape: Hashable = field(default=None, compare=False, repr=False)
    """Stands for everything this view is made of but its texts (``value``, the parts' values): views with the same
    shape token differ only by their texts (renderers.widgets gives them); renderers.prerender keeps the view's
    drawing under it. None: not known, the drawing is looked up by the view's attributes."""

    @property
    def hint_id(self) -> str | None:
        """Id of the hint paragraph, if any."""
        return f"{self.id}-aide" if self.hint else None

    @property
    def error_id(self) -> str | None:
        """Id of the error paragraph, if any."""
        return f"{self.id}-erreur" if self.errors else None

    @property
    def count_id(self) -> str | None:
        """Id of the character count, if any."""
        return f"{self.id}-compteur" if self.maxlength else None

    @property
    def suffix_id(self) -> str | None:
        """Id of the unit after the input (« F CFP »), so screen readers hear it too."""
        return f"{self.id}-unite" if self.suffix else None

    @property
    def describedby(self) -> str:
        """The ``aria-describedby`` value: hint, unit, count and error ids, in reading order."""
        ids = (self.hint_id, self.suffix_id, self.count_id, self.error_id)
        return " ".join(item for item in ids if item)

    @property
    def wrapper_id(self) -> str:
        """Id of the element around the field (a block uses its own id: no input carries it)."""
        return self.id if self.type == "bloc_repetable" else f"{self.id}-champ"


_DEFAULTS = {f.name: f.default for f in fields(FieldView) if f.default is not MISSING}
_REQUIRED = frozenset(f.name for f in fields(FieldView) if f.default is MISSING)


def field_view(spec: Mapping[str, object]) -> FieldView:
    """``FieldView(**spec)`` without the frozen dataclass's per-attribute ``object.__setattr__``: a step builds one
    per question on every request, and that constructor was a fifth of building the page. Same object, same
    equality; the required attributes are still checked."""
    if not _REQUIRED <= spec.keys():
        raise TypeError(f"FieldView lacks {sorted(_REQUIRED - spec.keys())}")
    view: FieldView = object.__new__(FieldView)
    view.__dict__.update(_DEFAULTS)
    view.__dict__.update(spec)
    return view
