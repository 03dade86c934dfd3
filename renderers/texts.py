"""Editors' text templates (e-mails, confirmation, item labels): a Jinja2 sandbox with only our three filters.

The sandbox matters: the templates are written by editors, not programmers, and must never reach Python objects.
The same environment checks the templates at load time (unknown name or filter) and renders them later."""

import re
from collections.abc import Mapping
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


def referenced_paths(template: nodes.Template) -> list[tuple[str, str | None, int]]:
    """Names a parsed template reads: (root, attribute or None, line), for the load-time checks (R006)."""
    found: list[tuple[str, str | None, int]] = []
    attribute_roots: set[int] = set()
    for node in template.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name):
            found.append((node.node.name, node.attr, node.lineno))
            attribute_roots.add(id(node.node))
    for name in template.find_all(nodes.Name):
        if id(name) not in attribute_roots and name.ctx == "load":
            found.append((name.name, None, name.lineno))
    return sorted(found, key=lambda item: item[2])


_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_SIMPLE = re.compile(
    r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\s*(?:\|\s*([A-Za-z_][A-Za-z0-9_]*)\s*)?"
)


def simple_placeholders(source: str) -> list[tuple[str, str | None, str | None, int]] | None:
    """(root, attribute, filter, line) of each ``{{ name.attr | filtre }}``, or None when the text uses anything
    else (blocks, comments, expressions), which then needs Jinja's own parser.

    Most editors' texts are only such placeholders; reading them with one regex is a hundred times faster than
    Jinja's parser, and gives the same names."""
    if "{%" in source or "{#" in source:
        return None
    found: list[tuple[str, str | None, str | None, int]] = []
    for match in _PLACEHOLDER.finditer(source):
        simple = _SIMPLE.fullmatch(match.group(1))
        if simple is None:
            return None
        line = source.count("\n", 0, match.start()) + 1
        found.append((simple.group(1), simple.group(2), simple.group(3), line))
    if "{{" in _PLACEHOLDER.sub("", source) or "}}" in _PLACEHOLDER.sub("", source):
        return None
    return found


def used_filters(template: nodes.Template) -> list[tuple[str, int]]:
    """Filters a parsed template applies, with their line."""
    return [(node.name, node.lineno) for node in template.find_all(nodes.Filter)]


def render_text(source: str, values: Mapping[str, object]) -> str:
    """Render an editor's text with the values of a dossier."""
    return text_environment().from_string(source).render(values)
