"""The driver-level read of the pages that only read gives the very dossier the ORM reads, on both databases."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from engine.db import session_scope
from engine.dossier_read import read_owned
from engine.errors import NotFound
from engine.services import get_owned, save_page, start_draft, submit
from engine.storage import Dossier

OWNER = "usager-a"
COLUMNS = [column.name for column in Dossier.__table__.columns]  # type: ignore[attr-defined]


def _orm(engine, dossier_id):
    with session_scope(engine) as session:
        return get_owned(session, dossier_id, OWNER)


def _same(engine, dossier_id):
    fast, slow = read_owned(engine, dossier_id, OWNER), _orm(engine, dossier_id)
    assert {name: getattr(fast, name) for name in COLUMNS} == {name: getattr(slow, name) for name in COLUMNS}
    for name in COLUMNS:
        assert type(getattr(fast, name)) is type(getattr(slow, name)), name
    return fast


def test_a_draft_and_a_submitted_dossier_read_as_the_orm_reads_them(db_engine, minimal):
    with session_scope(db_engine) as session:
        dossier_id = start_draft(session, minimal, OWNER, prefill={"motif": "Toit « percé » & <fuite>"}).id
    first = _same(db_engine, dossier_id)
    assert first.is_draft and first.created_at.tzinfo is not None and first.answers["motif"].endswith("<fuite>")
    with session_scope(db_engine) as session:
        dossier = get_owned(session, dossier_id, OWNER)
        save_page(session, dossier, {"motif": "Réparer", "montant_demande": Decimal(150000)}, None)
        submit(session, dossier, minimal, today=date(2026, 9, 1), actor=OWNER)
    done = _same(db_engine, dossier_id)
    assert not done.is_draft and done.numero and done.submitted_at.tzinfo is not None and done.revision > 1


def test_another_usager_s_dossier_and_a_made_up_id_are_not_found(db_engine, minimal):
    with session_scope(db_engine) as session:
        dossier_id = start_draft(session, minimal, OWNER, prefill={}).id
    with pytest.raises(NotFound):
        read_owned(db_engine, dossier_id, "usager-b")
    with pytest.raises(NotFound):
        read_owned(db_engine, "0" * 32, OWNER)
    with pytest.raises(NotFound):
        read_owned(db_engine, "'; DROP TABLE dossier; --", OWNER)


def test_the_read_leaves_its_connection_as_it_found_it(db_engine, minimal):
    """PostgreSQL: read in autocommit, then given back to the pool in its usual mode, with no transaction open."""
    with session_scope(db_engine) as session:
        dossier_id = start_draft(session, minimal, OWNER, prefill={}).id
    read_owned(db_engine, dossier_id, OWNER)
    with db_engine.connect() as connection:
        assert connection.get_isolation_level() != "AUTOCOMMIT"
        connection.execute(text("SELECT 1"))
        if db_engine.dialect.name == "postgresql":
            assert connection.connection.dbapi_connection.autocommit is False
