"""Fixtures for tests that touch a real database: each test gets a fresh one, SQLite and PostgreSQL alike.

PostgreSQL runs in a database created for the test and dropped after. When the server is unreachable the
PostgreSQL half is skipped on a developer's machine, but fails on CI (CI=true): it must never be skipped silently."""

import os
import secrets
from datetime import date
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from engine.catalogue import Entry, load_file
from engine.db import create_db_engine, migrate
from tests.app.smtp import serve

CATALOGUE = Path(__file__).resolve().parents[1] / "catalogue"
POSTGRES_ADMIN_URL = os.environ.get("GUICHET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
LOAD_DAY = date(2026, 9, 1)


def _admin() -> psycopg.Connection:
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL injoignable ({POSTGRES_ADMIN_URL}) : {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database, dropped after the test."""
    name = f"guichet_test_{secrets.token_hex(6)}"
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with _admin() as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """The URL of an empty database: a SQLite file, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'guichet.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db_engine(database_url):
    """An engine on a migrated database, disposed after the test."""
    engine = create_db_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def _entry(name: str) -> Entry:
    result = load_file(CATALOGUE / f"{name}.yaml", today=LOAD_DAY)
    assert result.entry is not None, result.diagnostics
    return result.entry


@pytest.fixture(scope="session")
def minimal() -> Entry:
    """tests/catalogue/minimal.yaml: one page, default numbering, no e-mail."""
    return _entry("minimal")


@pytest.fixture(scope="session")
def bourse() -> Entry:
    """tests/catalogue/bourse_enseignement_superieur.yaml: lists, repeat block, pièces, a receipt e-mail."""
    return _entry("bourse_enseignement_superieur")


@pytest.fixture
def smtp_server(request):
    """A real SMTP server on a free loopback port: (its SMTP_URL, what it received); ``indirect`` parameter: how
    long it takes over each message."""
    controller, url, inbox = serve(getattr(request, "param", 0.0))
    try:
        yield url, inbox
    finally:
        controller.stop()
