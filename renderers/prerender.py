"""A field's HTML drawn once per shape, and the usager's texts escaped into it on every request.

Drawing a 30-question step through one Jinja include per widget cost most of a page's time. But a widget's HTML
depends on what the usager typed only through a few texts written verbatim (an input's ``value``, a date's parts,
a textarea's content) and through the htmx URL, which names the dossier: everything else — labels, ids, options
ticked, errors, « (optionnel) » — is the view's *shape*, shared by every usager at that point of the form. So each
shape is drawn once with markers in place of those texts, split at the markers, and kept (bounded, oldest out
first); a request only joins the pieces with its own texts, escaped exactly as Jinja would have.

The rule that keeps this exact: a widget may write ``field.value`` and ``part.value`` as they are, or test them for
being empty, and nothing else (no filter, no comparison). A non-empty text becomes a marker, an empty one stays
empty and is part of the shape, so a test sees the same truth. A marker written any other way (filtered, cut) is
not found whole when the drawing is split: that shape is then never kept and is drawn each time, correctly.
tests/unit/test_prerender.py compares both ways for every widget."""

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import fields
from operator import attrgetter

from jinja2 import Environment
from markupsafe import Markup, escape

from renderers.fields_view import FieldView, PartView
from renderers.memo import Memo

__all__ = ["FieldRenderer", "PageRenderer"]

_OPEN, _CLOSE = "\ue000", "\ue001"
"""Unicode private-use characters: escaping and the typography filter leave them as they are."""

_SHAPE_OF_FIELD = attrgetter(*(f.name for f in fields(FieldView) if f.name not in ("value", "parts", "shape")))
_SHAPE_OF_PART = attrgetter(*(f.name for f in fields(PartView) if f.name != "value"))

Chunks = tuple[str | int, ...]
"""Literal HTML, and the numbers of the texts to put between (0: the URL, then the value, then each part's)."""


def _escaped(text: object) -> str:
    """What Jinja's autoescape writes for a text (markupsafe's five characters), as a plain string: a Markup for
    each of a page's fifty texts cost more than joining them."""
    if text.__class__ is not str:
        if hasattr(text, "__html__"):
            return str(escape(text))
        text = str(text)
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
        .replace('"', "&#34;")
    )  # fmt: skip


def _joined(chunks: Chunks, texts: Sequence[object], finalize: Callable[[object], object]) -> str:
    """A kept drawing with these texts in its places, each written as the template would (finalize, escape)."""
    return "".join([chunk if chunk.__class__ is str else _escaped(finalize(texts[chunk])) for chunk in chunks])  # type: ignore[index]


def _marker(number: int) -> str:
    return f"{_OPEN}{number}{_CLOSE}"


def _split(html: str, count: int) -> Chunks | None:
    """The drawing cut at its markers; None when a marker did not come out whole (see the module's rule)."""
    chunks: list[str | int] = []
    rest = html
    while True:
        start = rest.find(_OPEN)
        if start < 0:
            break
        end = rest.find(_CLOSE, start)
        number = rest[start + 1 : end] if end > start else ""
        if not number.isdigit() or int(number) >= count:
            return None
        chunks += [rest[:start], int(number)]
        rest = rest[end + 1 :]
    # Each literal ends where an _OPEN began, so only a stray _CLOSE can hide in one.
    if _CLOSE in rest or any(_CLOSE in chunk for chunk in chunks if isinstance(chunk, str)):
        return None
    chunks.append(rest)
    return tuple(chunk for chunk in chunks if chunk != "")


class FieldRenderer:
    """Draws field views with the widget templates of ``environment``, reusing the drawing of each shape."""

    def __init__(self, environment: Environment, *, size: int = 4096) -> None:
        self.environment = environment
        self._finalize = environment.finalize or (lambda value: value)
        self._drawn: Memo[Chunks | None] = Memo(size)

    def __call__(self, view: FieldView, refresh_url: str) -> Markup:
        """The HTML of ``view``, whose htmx requests go to ``refresh_url``."""
        return Markup(self._html(view, refresh_url))

    def all(self, views: Sequence[FieldView], refresh_url: str) -> Markup:
        """The HTML of a page's fields, one per line: one call from the template instead of one per field, since
        a call from Jinja costs about as much as drawing a kept field."""
        return Markup("".join([f"{self._html(view, refresh_url)}\n" for view in views]))

    def _html(self, view: FieldView, refresh_url: str) -> str:
        if view.items:  # a repeat block: its items' titles quote the answers; its sub-fields come back here
            return self.draw(view, refresh_url)
        texts = [refresh_url, view.value]
        if view.parts:
            texts += [part.value for part in view.parts]
        key: tuple[object, ...]
        if view.shape is not None:  # worked out by renderers.widgets, with the texts' emptiness
            key = (view.shape, refresh_url == "")
        else:
            key = (
                _SHAPE_OF_FIELD(view),
                tuple((_SHAPE_OF_PART(part), part.value == "") for part in view.parts),
                view.value == "",
                refresh_url == "",
            )
        chunks = self._drawn.get(key, lambda: self._prepare(view, texts))
        if chunks is None:
            return self.draw(view, refresh_url)
        if len(chunks) == 1 and chunks[0].__class__ is str:  # nothing of the usager's in it (a choice, say)
            return chunks[0]
        return _joined(chunks, texts, self._finalize)

    def draw(self, view: FieldView, refresh_url: str) -> Markup:
        """The widget template rendered as it is, without reuse."""
        template = self.environment.get_template(view.widget)
        return Markup(template.render(field=view, refresh_url=refresh_url))

    def _prepare(self, view: FieldView, texts: list[str]) -> Chunks | None:
        marked = [_marker(number) if text else "" for number, text in enumerate(texts)]
        parts = tuple(
            PartView(**{**part.__dict__, "value": marker}) for part, marker in zip(view.parts, marked[2:], strict=True)
        )
        shape = FieldView(**{**view.__dict__, "value": marked[1], "parts": parts})
        return _split(str(self.draw(shape, marked[0])), len(texts))


class PageRenderer:
    """Draws whole pages the same way: the template once per shape with markers in place of the page's texts
    (its URLs naming the dossier, the CSRF token, the fields' HTML already drawn), then only the texts joined in.

    The caller names the shape: everything in ``context`` must be the same for every usager at that point of the
    form (the dispositif, the page's view without its fields), since it is drawn once and shown to all; what is
    theirs goes in ``texts``, which the template writes verbatim (``{{ name }}``) or tests for being empty. A text
    that is a Markup (the fields' HTML) goes in as it is, a string escaped, exactly as the template would."""

    def __init__(self, environment: Environment, fields: FieldRenderer, *, size: int = 1024) -> None:
        self.environment = environment
        self.fields = fields
        """The environment's field renderer, for the pages that draw their fields before their frame."""
        self._finalize = environment.finalize or (lambda value: value)
        self._drawn: Memo[Chunks | None] = Memo(size)

    def __call__(
        self,
        name: str,
        shape: Hashable,
        context: Callable[[], Mapping[str, object]],
        texts: Mapping[str, str | Markup],
    ) -> Markup:
        """The page ``name`` drawn with ``context()`` (asked only when the shape is drawn) and ``texts``; ``shape``
        stands for the context in the key."""
        values = list(texts.values())
        key = (name, shape, tuple(texts), tuple(value == "" for value in values))
        chunks = self._drawn.get(key, lambda: self._prepare(name, context(), texts))
        if chunks is None:
            return self.draw(name, {**context(), **texts})
        return Markup(_joined(chunks, values, self._finalize))

    def draw(self, name: str, context: Mapping[str, object]) -> Markup:
        """The template rendered as it is, without reuse."""
        return Markup(self.environment.get_template(name).render(context))

    def _prepare(self, name: str, context: Mapping[str, object], texts: Mapping[str, str | Markup]) -> Chunks | None:
        marked = {key: Markup(_marker(number)) if value else value for number, (key, value) in enumerate(texts.items())}
        return _split(str(self.draw(name, {**context, **marked})), len(texts))
