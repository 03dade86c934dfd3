"""The hand-written migrations create exactly the schema engine.storage declares, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from engine.db import create_db_engine, migrate, normalise_url
from engine.storage import metadata

TABLES = {"counter", "dispositif_version", "dossier", "dossier_event", "outbox_message", "piece_file"}


def test_migrations_create_the_tables(db_engine):
    tables = set(inspect(db_engine).get_table_names())
    assert tables == TABLES | {"alembic_version"}


def test_migrated_columns_match_the_models(db_engine):
    inspector = inspect(db_engine)
    migrated = {table: {c["name"]: c["nullable"] for c in inspector.get_columns(table)} for table in TABLES}
    declared = {table.name: {c.name: c.nullable for c in table.columns} for table in metadata.sorted_tables}
    assert migrated == declared


def test_alembic_sees_no_difference_with_the_models(db_engine):
    with db_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_indexes_and_unique_constraints_are_migrated(db_engine):
    inspector = inspect(db_engine)
    assert {index["name"] for index in inspector.get_indexes("dossier")} >= {"ix_dossier_owner"}
    assert {u["name"] for u in inspector.get_unique_constraints("dossier")} == {"uq_dossier_numero"}


def test_migrate_twice_is_harmless(database_url):
    migrate(database_url)
    migrate(database_url)
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == "0002"
    finally:
        engine.dispose()


def test_postgres_urls_are_rewritten_for_psycopg():
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///var/guichet.db") == "sqlite:///var/guichet.db"


def test_sqlite_connections_get_wal_and_foreign_keys(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    finally:
        engine.dispose()
