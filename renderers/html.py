"""The Jinja2 environment of the citizen pages, and ``render`` for callers that are not starlette.

Autoescape is on for HTML (answers are the usager's text) and undefined names fail loudly, so a template that
reads a context key the web layer forgot breaks a test instead of rendering an empty field."""

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from renderers.display import date_fr
from renderers.prerender import FieldRenderer, PageRenderer
from renderers.texts import montant

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
"""Served by the web layer under ``Site.static_url``."""

HTMX_VERSION = "2.0.4"
HTMX_FILE = f"htmx-{HTMX_VERSION}.min.js"
"""The vendored htmx, pinned: its name changes with its version, so a cached copy is never the wrong one."""


_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphes(text: str | None) -> list[str]:
    """An editor's multi-line text as paragraphs: a blank line separates them, a single line break is YAML wrapping."""
    if not text:
        return []
    return [" ".join(block.split()) for block in _BLANK_LINE.split(text.strip()) if block.strip()]


_ITEM = re.compile(r"^\s*[-•*]\s+")


def texte_riche(text: str | None) -> Markup:
    """An editor's multi-line text as HTML: paragraphs split by blank lines, and lines starting with « - » as a
    real list (read as one by screen readers), everything escaped."""
    parts: list[str] = []
    for block in _BLANK_LINE.split((text or "").strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        prose: list[str] = []
        items: list[str] = []
        for line in lines:
            if _ITEM.match(line):
                items.append(_ITEM.sub("", line).strip())
            elif items:
                items[-1] += " " + line.strip()
            else:
                prose.append(line.strip())
        if prose:
            parts.append(str(Markup("<p>{}</p>").format(typographie(" ".join(prose)))))
        if items:
            listed = "".join(str(Markup("<li>{}</li>").format(typographie(item))) for item in items)
            parts.append(f"<ul>{listed}</ul>")
    return Markup("".join(parts))


def typographie(value: object) -> object:
    """French spacing inside guillemets: non-breaking, so a lone « » » never wraps onto its own line (messages and
    labels are written with plain spaces everywhere else)."""
    if isinstance(value, str) and "«" in value:
        return value.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    return value


def environment(*, auto_reload: bool = False) -> Environment:
    """A fresh environment on renderers/templates with our filters (``montant``, ``date_fr``, ``paragraphes``).

    ``auto_reload`` re-reads edited templates (development); off, no template file is stat'ed per include, which
    on a 30-field page is most of the rendering time."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=auto_reload,
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=typographie,
    )
    env.filters["montant"] = montant
    env.filters["date_fr"] = date_fr
    env.filters["paragraphes"] = paragraphes
    env.filters["texte_riche"] = texte_riche
    env.globals["htmx_file"] = HTMX_FILE
    fields = FieldRenderer(env)
    env.globals["champ"] = fields
    env.globals["champs"] = fields.all
    return env


@cache
def _shared() -> Environment:
    # Templates are compiled once per process; the environment holds no per-request state.
    return environment()


def render(template: str, context: Mapping[str, object]) -> str:
    """The named template rendered with ``context``."""
    return _shared().get_template(template).render(context)


def page_renderer(env: Environment) -> PageRenderer:
    """A page renderer for an environment made by ``environment``, sharing its field renderer (one memo of field
    shapes per environment)."""
    fields = env.globals.get("champ")
    if not isinstance(fields, FieldRenderer):
        raise TypeError("page_renderer needs an environment made by renderers.html.environment")
    return PageRenderer(env, fields)
