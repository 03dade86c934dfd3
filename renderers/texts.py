"""Editors' text templates (e-mails, confirmation, item labels): a Jinja2 sandbox with only our three filters.

The sandbox matters: the templates are written by editors, not programmers, and must never reach Python objects.
The same environment checks the templates at load time (unknown name or filter) and renders them later."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from jinja2 import StrictUndefined, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

FILTERS = ("date", "montant", "libelle")


class Code(str):
    """A list code that knows its label, so ``{{ motif | libelle }}`` needs no list name."""

    libelle: str

    def __new__(cls, code: str, libelle: str) -> "Code":
        value = super().__new__(cls, code)
        value.libelle = libelle
        return value


def _date(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y à %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def montant(value: object) -> str:
    """Francs CFP as written in New Caledonia: thin spaces between thousands, no decimals (« 360 000 F CFP »)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal(1))
    return f"{int(amount):,}".replace(",", "\u202f") + "\u00a0F\u00a0CFP"


def _libelle(value: object) -> str:
    if isinstance(value, Code):
        return value.libelle
    if isinstance(value, tuple | list):
        return ", ".join(_libelle(item) for item in value)
    return "" if value is None else str(value)


def text_environment() -> ImmutableSandboxedEnvironment:
    """The sandbox for editors' texts: no autoescape (plain text e-mails), undefined names are errors."""
    env = ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters.clear()
    env.filters.update({"date": _date, "montant": montant, "libelle": _libelle})
    return env


_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_SIMPLE = re.compile(
    r"\s*(?P<root>[A-Za-z_][A-Za-z0-9_]*)(?:\.(?P<attribute>[A-Za-z_][A-Za-z0-9_]*))?\s*"
    r"(?:\|\s*(?P<filter>[A-Za-z_][A-Za-z0-9_]*)\s*)?"
)


@dataclass(frozen=True)
class Placeholder:
    """One ``{{ root.attribute | filter }}`` of a text, with the line and columns (0-based) of each part."""

    root: str
    attribute: str | None
    filter: str | None
    line: int
    column: int
    attribute_column: int | None
    filter_column: int | None


def simple_placeholders(source: str) -> list[Placeholder] | None:
    """Each ``{{ name.attr | filtre }}`` of a text, or None when the text uses anything else (blocks, comments,
    expressions), which then needs Jinja's own parser.

    Most editors' texts are only such placeholders; reading them with one regex is a hundred times faster than
    Jinja's parser, gives the same names, and knows their exact columns."""
    if "{%" in source or "{#" in source:
        return None
    found: list[Placeholder] = []
    for match in _PLACEHOLDER.finditer(source):
        simple = _SIMPLE.fullmatch(match.group(1))
        if simple is None:
            return None
        offset = match.start(1)
        line = source.count("\n", 0, match.start()) + 1
        line_start = source.rfind("\n", 0, match.start()) + 1

        def column(group: str) -> int | None:
            return None if simple[group] is None else offset + simple.start(group) - line_start  # noqa: B023

        found.append(
            Placeholder(
                simple["root"],
                simple["attribute"],
                simple["filter"],
                line,
                column("root") or 0,
                column("attribute"),
                column("filter"),
            )
        )
    rest = _PLACEHOLDER.sub("", source)
    if "{{" in rest or "}}" in rest:
        return None
    return found


def jinja_placeholders(source: str) -> list[Placeholder]:
    """What Jinja's parser finds: names read (not those a ``{% for %}`` or ``{% set %}`` defines) and filters.

    Columns are found by searching the line, after the previous find: Jinja only knows lines."""
    template = text_environment().parse(source)
    defined = {node.name for node in template.find_all(nodes.Name) if node.ctx in ("store", "param")}
    lines = source.split("\n")
    cursor: dict[int, int] = {}

    def column(text: str, line: int) -> int:
        """The first place after the previous find, inside a tag, where ``text`` stands as whole words."""
        row = lines[min(line, len(lines)) - 1]
        tags = [(m.start(), m.end()) for m in _TAG.finditer(row)] or [(0, len(row))]
        word = re.compile(rf"(?<![\w.]){re.escape(text)}(?!\w)")
        starts = [m.start() for m in word.finditer(row) if any(a <= m.start() < b for a, b in tags)]
        after = [start for start in starts if start >= cursor.get(line, 0)]
        found = (after or starts or [0])[0]
        cursor[line] = found + len(text)
        return found

    found: list[Placeholder] = []
    attribute_roots: set[int] = set()
    for node in template.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name not in defined:
            attribute_roots.add(id(node.node))
            start = column(f"{node.node.name}.{node.attr}", node.lineno)
            found.append(
                Placeholder(node.node.name, node.attr, None, node.lineno, start, start + len(node.node.name) + 1, None)
            )
    for name in template.find_all(nodes.Name):
        if id(name) not in attribute_roots and name.ctx == "load" and name.name not in defined:
            found.append(Placeholder(name.name, None, None, name.lineno, column(name.name, name.lineno), None, None))
    for applied in template.find_all(nodes.Filter):
        start = column(applied.name, applied.lineno)
        found.append(Placeholder("", None, applied.name, applied.lineno, start, None, start))
    return sorted(found, key=lambda p: (p.line, p.column))


def placeholders(source: str) -> list[Placeholder]:
    """Every name and filter a text uses, with positions; raises jinja2.TemplateSyntaxError on a broken text."""
    simple = simple_placeholders(source)
    return simple if simple is not None else jinja_placeholders(source)


def render_text(source: str, values: Mapping[str, object]) -> str:
    """Render an editor's text with the values of a dossier."""
    return text_environment().from_string(source).render(values)
