"""The frame every page shares: the Province's look (``Theme``) and the site-wide links (``Site``).

Both come from configuration through the web layer; the templates read them as plain values. Colours reach a
stylesheet unescaped, so they are checked here rather than trusted."""

import re
from dataclasses import dataclass, fields

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


@dataclass(frozen=True)
class Theme:
    """Name, logo and colours of the institution running the guichet (defaults: sober Province Sud blue)."""

    nom: str = "Province Sud"
    logo_url: str | None = None
    """Shown before the name, which stays as text: the logo is decorative (empty alt)."""
    primary: str = "#00548c"
    """Buttons, links, header: needs a contrast of at least 4.5:1 against white (AA)."""
    primary_dark: str = "#003a61"
    on_primary: str = "#ffffff"
    accent: str = "#f7a600"
    error: str = "#c9191e"
    success: str = "#18753c"
    focus: str = "#0a76f6"
    text: str = "#1e1e1e"
    muted: str = "#595959"
    background: str = "#ffffff"
    surface: str = "#f3f5f7"
    border: str = "#6a6a6a"

    def __post_init__(self) -> None:
        for item in fields(self):
            if item.name in ("nom", "logo_url"):
                continue
            value = getattr(self, item.name)
            if not isinstance(value, str) or not _COLOUR.fullmatch(value):
                raise ValueError(f"Theme.{item.name} doit être une couleur #rrggbb, pas {value!r}")


@dataclass(frozen=True)
class Site:
    """URLs every page links to, built by the web layer (the renderers know no routes)."""

    home_url: str = "/"
    my_dossiers_url: str = "/mes-demarches"
    privacy_url: str = "/donnees-personnelles"
    accessibility_url: str = "/accessibilite"
    static_url: str = "/static"
    """Prefix of renderers/static/, without the trailing slash."""
    theme_css_url: str = "/theme.css"
