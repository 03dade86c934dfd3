"""What every endpoint needs, opened once per process: settings, database, catalogue, file store, mailer (and the
postman that sends the outbox with it), templates.

Held on ``app.state.guichet``; nothing here is per-request or per-user, so any number of instances can run behind a
load balancer on one PostgreSQL (the catalogue is re-read from the same files, versions from the same database)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from engine.catalogue import Catalogue, Entry, load_catalogue, load_source
from engine.db import session_scope
from engine.errors import NotFound
from engine.files import FileStore
from engine.mail import Mailer
from engine.postman import Postman
from engine.services import load_versions, record_version
from engine.settings import LOCAL_TIME, Settings
from renderers.html import page_renderer
from renderers.prerender import PageRenderer
from renderers.site import Site, Theme


def province_today() -> date:
    """The day as the Province lives it (UTC+11): a campaign closing on the 31st is open all of the 31st there."""
    return datetime.now(LOCAL_TIME).date()


def local(instant: datetime) -> datetime:
    """A stored instant (UTC) as the Province's clocks show it: a dossier sent at 8 h in Nouméa is sent that day."""
    return instant.astimezone(LOCAL_TIME)


@dataclass
class Guichet:
    """The process-wide objects of the app."""

    settings: Settings
    db: Engine
    catalogue: Catalogue
    files: FileStore
    mailer: Mailer
    templates: Jinja2Templates
    theme: Theme
    site: Site
    today: Callable[[], date] = province_today
    """The day every rule, campaign and number is reckoned on; a test fixes it to its case's date."""
    postman: Postman = field(init=False)
    """Sends the outbox's e-mails with ``mailer``, finding each dossier's dispositif version through ``entry``."""
    pages: PageRenderer = field(init=False)
    """Draws the pages every usager asks all day (a step) once per shape, with ``templates``."""

    def __post_init__(self) -> None:
        self.postman = Postman(self.db, self.mailer, self.settings, self.entry)
        self.pages = page_renderer(self.templates.env)

    def entry(self, slug: str, version: str) -> Entry:
        """A dispositif at a given version: the current one, an older one loaded earlier, or one stored in the
        database (a draft started before the YAML changed keeps being served with its own version)."""
        found = self.catalogue.version(slug, version)
        if found is not None:
            return found
        with session_scope(self.db) as session:
            stored = {(s, v): source for s, v, source in load_versions(session)}
        source = stored.get((slug, version))
        if source is None:
            raise NotFound(f"version {version[:12]} du dispositif {slug} introuvable")
        result = load_source(source, f"{slug}.yaml", today=date.today())
        if result.entry is None:
            raise NotFound(f"la version {version[:12]} du dispositif {slug} ne se charge plus")
        self.catalogue.versions[(slug, version)] = result.entry
        return result.entry


def load_and_record(settings: Settings, db: Engine) -> Catalogue:
    """Load the catalogue folder and store every version that loaded, so dossiers can find theirs later."""
    catalogue = load_catalogue([Path(settings.catalogue_dir)], today=date.today())
    with session_scope(db) as session:
        for entry in catalogue.values():
            record_version(session, entry)
    return catalogue


def guichet(request: Request) -> Guichet:
    """The app's objects, from a request."""
    found: Guichet = request.app.state.guichet
    return found
