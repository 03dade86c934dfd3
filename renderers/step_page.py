"""The page of one step, drawn the way a usager asks for it all day: the frame (header, step indicator, error
summary, buttons) once per shape by renderers.prerender.PageRenderer, the fields once per field shape by the
environment's ``champs``, and only this usager's texts joined in."""

from collections.abc import Hashable
from dataclasses import fields, replace
from operator import attrgetter

from markupsafe import Markup

from renderers.prerender import PageRenderer
from renderers.site import Site, Theme
from renderers.views import PageView

__all__ = ["draw_step"]

_FRAME_OF_PAGE = attrgetter(*(f.name for f in fields(PageView) if f.name != "fields"))
"""Everything of a step's view but its fields: what the frame is drawn from."""


def draw_step(
    pages: PageRenderer,
    view: PageView,
    *,
    theme: Theme,
    site: Site,
    titre_dispositif: str,
    action_url: str,
    refresh_url: str,
    back_url: str,
    csrf_token: str,
) -> Markup:
    """step.html for ``view`` (see its context), the same bytes as rendering it in full."""
    shape: Hashable = (titre_dispositif, _FRAME_OF_PAGE(view), theme, site)

    def context() -> dict[str, object]:
        # The frame's context holds no field, so nothing a usager typed can be drawn into the shape shared by all.
        return {"theme": theme, "site": site, "titre_dispositif": titre_dispositif, "page": replace(view, fields=())}

    texts = {
        "action_url": action_url,
        "back_url": back_url,
        "csrf_token": csrf_token,
        "champs_html": pages.fields.all(view.fields, refresh_url),
    }
    return pages("step.html", shape, context, texts)
