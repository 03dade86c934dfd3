"""create_app(): the Starlette application, wired from Settings — no global state, so tests build as many as they like.

On the embedded SQLite default the schema is migrated at start (zero set-up); on PostgreSQL production runs
``guichet db upgrade`` once per release instead, because several instances starting together must not race."""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import date
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from engine.db import create_db_engine, migrate
from engine.files import LocalFileStore
from engine.mail import Mailer
from engine.settings import Settings
from engine.web.context import Guichet, guichet, load_and_record, province_today
from engine.web.dossier import Redirect
from engine.web.limits import BodyLimit
from engine.web.routes import routes
from engine.web.security import SecurityHeaders
from renderers.html import STATIC, environment
from renderers.site import Site, Theme

log = logging.getLogger("guichet")


def _theme(settings: Settings) -> Theme:
    return Theme(nom=settings.theme_name, logo_url=settings.theme_logo, primary=settings.theme_primary)


def build(settings: Settings, today: Callable[[], date] = province_today) -> Guichet:
    """Open the database (migrating the embedded default), load the catalogue, and gather the app's objects."""
    db = create_db_engine(
        settings.database_url, pool_size=settings.database_pool_size, max_overflow=settings.database_max_overflow
    )
    if db.dialect.name == "sqlite":
        migrate(db)
    catalogue = load_and_record(settings, db)
    for diagnostic in catalogue.diagnostics:
        log.warning(
            "%s:%s:%s: %s %s", diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code, diagnostic.message
        )
    templates = Jinja2Templates(env=environment())
    return Guichet(
        settings=settings,
        db=db,
        catalogue=catalogue,
        files=LocalFileStore(settings.files_dir),
        mailer=Mailer.from_settings(settings),
        templates=templates,
        theme=_theme(settings),
        site=Site(),
        today=today,
    )


async def _error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 500:
        log.exception("erreur non rattrapée", exc_info=exc)
    # Starlette's default detail is the English reason phrase: the template has a French title per status instead.
    detail = exc.detail if isinstance(exc, HTTPException) and exc.detail != HTTPStatus(status).phrase else None
    app = guichet(request)
    context = {"theme": app.theme, "site": app.site, "status_code": status, "detail": detail}
    headers = getattr(exc, "headers", None)
    return app.templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


async def _redirect(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Redirect)
    return RedirectResponse(exc.url, status_code=303)


def create_app(settings: Settings | None = None, *, today: Callable[[], date] = province_today) -> Starlette:
    """The Guichet web application; ``today``: its clock (campaigns, date rules, numbers), fixed by tests."""
    settings = settings or Settings.from_environ()
    state = build(settings, today)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # E-mails due again after a failure, or left behind by an instance that stopped, go out within a minute
        # (MAIL_DELIVERY=separate: ``guichet courriels --suivre`` sends them instead).
        sweep = asyncio.create_task(state.postman.sweep()) if settings.delivers_mail else None
        try:
            yield
        finally:
            if sweep is not None:
                sweep.cancel()
                with suppress(asyncio.CancelledError):
                    await sweep  # a delivery under way finishes first: its thread cannot be interrupted
            state.db.dispose()

    middleware = [
        Middleware(SecurityHeaders, production=settings.is_production),
        Middleware(BodyLimit, max_bytes=settings.max_upload_bytes + 1024 * 1024),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie="guichet",
            same_site="lax",
            https_only=settings.is_production,
            max_age=30 * 24 * 3600,
        ),
    ]
    app = Starlette(
        routes=[*routes, Mount("/static", StaticFiles(directory=STATIC), name="static")],
        middleware=middleware,
        exception_handlers={HTTPException: _error, Exception: _error, Redirect: _redirect},
        lifespan=lifespan,
    )
    app.state.guichet = state
    return app
