"""The app's configuration, read once from the environment into a frozen value that is passed around.

No module reads ``os.environ`` by itself (STYLE 2.6.6): tests build a ``Settings`` and a bad value fails at start-up
with a message naming the variable, never halfway through a request. In development every default works out of the
box (SQLite, a secret key kept in ``var/``, e-mails written as files and sent by the web app itself); production
refuses to guess a secret.

The variables, besides the obvious ones (``DATABASE_URL``, ``SECRET_KEY``, ``SMTP_URL``…):

- ``MAIL_DELIVERY``: ``app`` (the default) — the web app sends the outbox's e-mails itself, after each response that
  queued one and every minute; ``separate`` — the web app only queues them, and a long-running
  ``guichet courriels --suivre`` started beside it sends them (production: the web workers spend no time nor
  database connection on e-mail, and a slow mail server never slows a submission).
- ``DATABASE_POOL_SIZE`` (10) and ``DATABASE_MAX_OVERFLOW`` (20): connections each process keeps open, and how many
  more it may open at a busy moment. Every process counts (each web worker, each ``guichet courriels``): their sum
  must stay under the server's ``max_connections``."""

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta, timezone
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from engine.db import MAX_OVERFLOW, POOL_SIZE
from engine.errors import ConfigurationError

__all__ = ["LOCAL_TIME", "MAIL_DELIVERIES", "SMTP_SCHEMES", "Environment", "MailDelivery", "Settings"]

Environment = Literal["development", "production"]
MailDelivery = Literal["app", "separate"]

MAIL_DELIVERIES: dict[str, str] = {
    "app": "l'application envoie elle-même les courriels",
    "separate": "l'application les met en file, « guichet courriels --suivre » lancé à côté les envoie",
}
"""Who sends the outbox's e-mails (``MAIL_DELIVERY``), in the words of the error message that lists them."""

LOCAL_TIME = timezone(timedelta(hours=11), "Pacific/Noumea")
"""New Caledonia's time: UTC+11 all year (no summer time since 1998), so no tz database is needed."""

_MO = 1024 * 1024
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_MIN_SECRET = 32

SMTP_SCHEMES = ("smtp", "smtp+starttls", "smtps")
"""Plain SMTP (a local relay), SMTP upgraded with STARTTLS, SMTP over TLS from the first byte."""


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about where it runs."""

    secret_key: str
    database_url: str = "sqlite:///var/guichet.db"
    catalogue_dir: Path = Path("catalogue")
    files_dir: Path = Path("var/pieces")
    mail_dir: Path = Path("var/courriels")
    """Where e-mails are written as .eml files when no SMTP server is configured."""
    environment: Environment = "development"
    smtp_url: str | None = None
    mail_from: str = "Province Sud <ne-pas-repondre@province-sud.nc>"
    base_url: str = "http://127.0.0.1:8000"
    max_upload_bytes: int = 50 * _MO
    theme_name: str = "Province Sud"
    theme_primary: str = "#0b5d48"
    theme_logo: str | None = None
    mail_delivery: MailDelivery = "app"
    database_pool_size: int = POOL_SIZE
    """Connections each process keeps open to the database (engine.db.POOL_SIZE says why so many)."""
    database_max_overflow: int = MAX_OVERFLOW
    """Connections each process may open beyond those at a busy moment, closed once given back."""

    @property
    def delivers_mail(self) -> bool:
        """Whether the web app sends the outbox's e-mails itself (``MAIL_DELIVERY=app``)."""
        return self.mail_delivery == "app"

    @property
    def is_production(self) -> bool:
        """Production: secure cookies, no generated secret, migrations by command."""
        return self.environment == "production"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        """Read the settings; relative paths are resolved against the working directory, whose ``var/`` is created."""
        cwd = Path.cwd()
        var = cwd / "var"
        environment = _environment(environ.get("GUICHET_ENV", "development"))
        if environment == "development":
            var.mkdir(exist_ok=True)
        smtp_url = environ.get("SMTP_URL") or None
        if smtp_url is not None:
            _check_smtp_url(smtp_url)
        return cls(
            secret_key=_secret_key(environ.get("SECRET_KEY"), environment, var),
            database_url=environ.get("DATABASE_URL") or _default_database(var),
            catalogue_dir=cwd / environ.get("CATALOGUE_DIR", "catalogue"),
            files_dir=cwd / environ.get("FILES_DIR", "var/pieces"),
            mail_dir=var / "courriels",
            environment=environment,
            smtp_url=smtp_url,
            mail_from=environ.get("MAIL_FROM") or cls.mail_from,
            base_url=(environ.get("BASE_URL") or cls.base_url).rstrip("/"),
            max_upload_bytes=_size(environ.get("MAX_UPLOAD_BYTES"), cls.max_upload_bytes),
            theme_name=environ.get("THEME_NAME") or cls.theme_name,
            theme_primary=_colour(environ.get("THEME_PRIMARY") or cls.theme_primary),
            theme_logo=_logo(environ.get("THEME_LOGO") or None),
            mail_delivery=_mail_delivery(environ.get("MAIL_DELIVERY") or cls.mail_delivery),
            database_pool_size=_count(environ, "DATABASE_POOL_SIZE", cls.database_pool_size, least=1),
            database_max_overflow=_count(environ, "DATABASE_MAX_OVERFLOW", cls.database_max_overflow, least=0),
        )


def _environment(value: str) -> Environment:
    if value == "development":
        return "development"
    if value == "production":
        return "production"
    raise ConfigurationError(f"GUICHET_ENV={value!r} : valeurs possibles « development » ou « production »")


def _mail_delivery(value: str) -> MailDelivery:
    if value == "app":
        return "app"
    if value == "separate":
        return "separate"
    choices = " ; ".join(f"« {name} » ({meaning})" for name, meaning in MAIL_DELIVERIES.items())
    raise ConfigurationError(f"MAIL_DELIVERY={value!r} : valeurs possibles {choices}")


def _count(environ: Mapping[str, str], name: str, default: int, *, least: int) -> int:
    value = environ.get(name)
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < least:
        expected = "un nombre entier positif" if least else "un nombre entier positif ou nul"
        raise ConfigurationError(f"{name}={value!r} : {expected} est attendu")
    return int(value)


def _default_database(var: Path) -> str:
    var.mkdir(exist_ok=True)
    return f"sqlite:///{var / 'guichet.db'}"


def _secret_key(value: str | None, environment: Environment, var: Path) -> str:
    if value:
        if environment == "production" and len(value) < _MIN_SECRET:
            raise ConfigurationError(f"SECRET_KEY doit comporter au moins {_MIN_SECRET} caractères en production")
        return value
    if environment == "production":
        raise ConfigurationError(
            "SECRET_KEY manque : en production, donnez une clé secrète d'au moins 32 caractères "
            '(par exemple : python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    # Kept on disk so that a restart of the development server keeps the usagers' signed cookies valid.
    path = var / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    return key


def _check_smtp_url(value: str) -> None:
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname or port == -1:
        raise ConfigurationError(
            f"SMTP_URL={value!r} incorrecte : écrivez smtp://hôte:port, "
            "smtp+starttls://utilisateur:mot-de-passe@hôte:587 ou smtps://utilisateur:mot-de-passe@hôte:465"
        )


def _size(value: str | None, default: int) -> int:
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ConfigurationError(f"MAX_UPLOAD_BYTES={value!r} : un nombre d'octets positif est attendu")
    return int(value)


def _colour(value: str) -> str:
    # The colour lands in the stylesheet: anything but a hex colour could inject CSS.
    if not _COLOUR.fullmatch(value):
        raise ConfigurationError(f"THEME_PRIMARY={value!r} : une couleur hexadécimale est attendue, comme #0b5d48")
    return value.lower()


def _logo(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if value.startswith("/") and not value.startswith("//") or parts.scheme == "https" and parts.netloc:
        return value
    raise ConfigurationError(f"THEME_LOGO={value!r} : un chemin (/static/logo.svg) ou une adresse https:// est attendu")
