"""Drafts and submission against a real database: numbering, idempotence, concurrency, ownership, conflicts."""

import threading
import time
from datetime import date

import pytest
from sqlmodel import select

from engine.db import session_scope
from engine.errors import ConflictError, EngineError, NotFound, SubmittedError
from engine.numbering import next_numero
from engine.services import (
    CREATION,
    dossiers_of,
    drafts_of,
    get_owned,
    history_of,
    load_versions,
    record_version,
    save_page,
    start_draft,
    submit,
)
from engine.storage import Dossier, DossierEvent

TODAY = date(2026, 9, 1)
OWNER = "usager-a"


def draft(engine, entry, owner=OWNER, prefill=None):
    with session_scope(engine) as session:
        return start_draft(session, entry, owner, prefill=prefill or {})


def submitted(engine, entry, dossier_id, owner=OWNER):
    with session_scope(engine) as session:
        dossier = get_owned(session, dossier_id, owner)
        return submit(session, dossier, entry, today=TODAY, actor=owner)


def events(engine, dossier_id):
    with session_scope(engine) as session:
        query = select(DossierEvent).where(DossierEvent.dossier_id == dossier_id)
        return [(e.action, e.from_state, e.to_state) for e in session.exec(query.order_by(DossierEvent.id))]


def test_a_draft_starts_in_the_initial_state_on_the_first_page(db_engine, minimal):
    dossier = draft(db_engine, minimal, prefill={"motif": "Essai"})
    assert (dossier.etat, dossier.page, dossier.canal) == ("brouillon", "demande", "en_ligne")
    assert (dossier.dispositif, dossier.version) == ("minimal", minimal.version)
    assert dossier.answers == {"motif": "Essai"}
    assert dossier.revision == 1 and dossier.numero is None and dossier.is_draft
    assert dossier.created_at.tzinfo is not None
    assert events(db_engine, dossier.id) == [(CREATION, None, "brouillon")]


def test_draft_save_submit(db_engine, minimal):
    dossier = draft(db_engine, minimal)
    with session_scope(db_engine) as session:
        loaded = get_owned(session, dossier.id, OWNER)
        save_page(session, loaded, {"motif": "Réparer le toit", "montant_demande": 150000}, None, expected_revision=1)
    done = submitted(db_engine, minimal, dossier.id)
    assert done.numero == "PS-2026-000001"
    assert done.etat == "depose" and done.submitted_at is not None and done.version == minimal.version
    assert events(db_engine, dossier.id) == [(CREATION, None, "brouillon"), ("deposer", "brouillon", "depose")]
    with session_scope(db_engine) as session:
        stored = get_owned(session, dossier.id, OWNER)
        assert stored.answers == {"motif": "Réparer le toit", "montant_demande": 150000}
        assert stored.submitted_at is not None and stored.submitted_at.tzinfo is not None
        assert [d.id for d in dossiers_of(session, OWNER)] == [dossier.id]
        assert drafts_of(session, OWNER) == []
        assert len(history_of(session, stored)) == 2


def test_numbers_follow_each_other(db_engine, minimal):
    numbers = [submitted(db_engine, minimal, draft(db_engine, minimal).id).numero for _ in range(3)]
    assert numbers == ["PS-2026-000001", "PS-2026-000002", "PS-2026-000003"]


def test_a_second_submit_returns_the_same_dossier(db_engine, minimal):
    dossier = draft(db_engine, minimal)
    first = submitted(db_engine, minimal, dossier.id)
    second = submitted(db_engine, minimal, dossier.id)
    assert second.numero == first.numero == "PS-2026-000001"
    assert [e[0] for e in events(db_engine, dossier.id)] == [CREATION, "deposer"]
    assert submitted(db_engine, minimal, draft(db_engine, minimal).id).numero == "PS-2026-000002"


def test_a_double_click_submits_once(db_engine, minimal):
    """Two requests for the same dossier at the same moment: one number, one history entry."""
    dossier = draft(db_engine, minimal)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click():
        try:
            with session_scope(db_engine) as session:
                loaded = get_owned(session, dossier.id, OWNER)
                barrier.wait()
                results.append(submit(session, loaded, minimal, today=TODAY, actor=OWNER).numero)
        except Exception as error:  # collected: an exception in a thread would otherwise be lost
            errors.append(error)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == ["PS-2026-000001", "PS-2026-000001"]
    assert [e[0] for e in events(db_engine, dossier.id)] == [CREATION, "deposer"]


def test_concurrent_submissions_get_distinct_numbers(db_engine, minimal):
    count = 8
    ids = [draft(db_engine, minimal, owner=f"usager-{n}").id for n in range(count)]
    barrier = threading.Barrier(count)
    numbers, errors = [], []

    def submit_one(index):
        try:
            with session_scope(db_engine) as session:
                owner = f"usager-{index}"
                loaded = get_owned(session, ids[index], owner)
                barrier.wait()
                numbers.append(submit(session, loaded, minimal, today=TODAY, actor=owner).numero)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=submit_one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"PS-2026-{n:06}" for n in range(1, count + 1)]


def test_series_are_per_pattern_and_year(db_engine):
    with session_scope(db_engine) as session:
        assert next_numero(session, "PS-{annee}-{sequence:06}", 2026) == "PS-2026-000001"
        assert next_numero(session, "PS-{annee}-{sequence:06}", 2027) == "PS-2027-000001"
        assert next_numero(session, "BES-{annee}-{sequence:05}", 2026) == "BES-2026-00001"
        assert next_numero(session, "PS-{annee}-{sequence:06}", 2026) == "PS-2026-000002"
        # without the year in the number, the series must not restart each year (it would repeat numbers)
        assert next_numero(session, "AM-{sequence}", 2026) == "AM-1"
        assert next_numero(session, "AM-{sequence}", 2027) == "AM-2"


def test_a_rolled_back_submission_gives_its_number_back(db_engine, minimal):
    dossier = draft(db_engine, minimal)
    with pytest.raises(RuntimeError), session_scope(db_engine) as session:
        submit(session, get_owned(session, dossier.id, OWNER), minimal, today=TODAY, actor=OWNER)
        raise RuntimeError("the request failed after submit")
    assert submitted(db_engine, minimal, dossier.id).numero == "PS-2026-000001"


def test_someone_elses_dossier_is_not_found(db_engine, minimal):
    dossier = draft(db_engine, minimal)
    with session_scope(db_engine) as session:
        with pytest.raises(NotFound) as other:
            get_owned(session, dossier.id, "usager-b")
        with pytest.raises(NotFound) as missing:
            get_owned(session, "0" * 32, "usager-b")
        with pytest.raises(NotFound):
            get_owned(session, "../../etc/passwd", OWNER)
        assert type(other.value) is type(missing.value)
        assert drafts_of(session, "usager-b") == []
        assert [d.id for d in drafts_of(session, OWNER)] == [dossier.id]


def test_a_stale_tab_gets_a_conflict(db_engine, minimal):
    dossier = draft(db_engine, minimal)
    with session_scope(db_engine) as session:
        save_page(session, get_owned(session, dossier.id, OWNER), {"motif": "onglet 1"}, "demande", expected_revision=1)
    with pytest.raises(ConflictError), session_scope(db_engine) as session:
        save_page(session, get_owned(session, dossier.id, OWNER), {"motif": "onglet 2"}, "demande", expected_revision=1)
    with session_scope(db_engine) as session:
        assert get_owned(session, dossier.id, OWNER).answers == {"motif": "onglet 1"}


def test_a_write_between_read_and_save_is_a_conflict(db_engine, minimal):
    """Two requests read revision 1; the second to write loses, even without expected_revision."""
    dossier = draft(db_engine, minimal)
    with session_scope(db_engine) as first, session_scope(db_engine) as second:
        mine = get_owned(first, dossier.id, OWNER)
        theirs = get_owned(second, dossier.id, OWNER)
        save_page(second, theirs, {"motif": "eux"}, None)
        second.commit()
        with pytest.raises(ConflictError):
            save_page(first, mine, {"motif": "moi"}, None)
        first.rollback()


def test_a_submitted_dossier_cannot_be_saved_as_a_draft(db_engine, minimal):
    dossier = draft(db_engine, minimal)
    submitted(db_engine, minimal, dossier.id)
    with pytest.raises(SubmittedError), session_scope(db_engine) as session:
        save_page(session, get_owned(session, dossier.id, OWNER), {"motif": "trop tard"}, None)
    assert issubclass(SubmittedError, ConflictError) and issubclass(ConflictError, EngineError)


def test_save_replaces_the_answers_and_bumps_the_revision(db_engine, minimal):
    dossier = draft(db_engine, minimal, prefill={"motif": "a"})
    with session_scope(db_engine) as session:
        loaded = get_owned(session, dossier.id, OWNER)
        before = loaded.answers
        save_page(session, loaded, {"montant_demande": 1}, "demande")
        assert before == {"motif": "a"}  # the old dict was not changed in place
        assert loaded.revision == 2


def test_every_served_version_is_kept(db_engine, minimal, bourse):
    draft(db_engine, minimal)
    with session_scope(db_engine) as session:
        record_version(session, minimal)
        record_version(session, bourse)
    with session_scope(db_engine) as session:
        versions = load_versions(session)
    assert versions == [("minimal", minimal.version, minimal.source), (bourse.slug, bourse.version, bourse.source)]


def test_submit_refuses_another_version(db_engine, minimal, bourse):
    dossier = draft(db_engine, minimal)
    with session_scope(db_engine) as session, pytest.raises(ValueError):
        submit(session, get_owned(session, dossier.id, OWNER), bourse, today=TODAY, actor=OWNER)


def test_drafts_are_listed_most_recent_first(db_engine, minimal):
    older = draft(db_engine, minimal)
    newer = draft(db_engine, minimal)
    with session_scope(db_engine) as session:
        save_page(session, get_owned(session, older.id, OWNER), {"motif": "repris"}, None)
    with session_scope(db_engine) as session:
        assert [d.id for d in drafts_of(session, OWNER)] == [older.id, newer.id]
        assert session.get(Dossier, older.id) is not None


def test_answers_saved_after_validation_are_not_submitted(db_engine, minimal):
    """The caller validated revision 1; another tab saved revision 2 meanwhile: submit must not take it unchecked."""
    dossier = draft(db_engine, minimal)
    with session_scope(db_engine) as first, session_scope(db_engine) as second:
        validated = get_owned(first, dossier.id, OWNER)
        save_page(second, get_owned(second, dossier.id, OWNER), {"motif": "non vérifié"}, None)
        second.commit()
        with pytest.raises(ConflictError):
            submit(first, validated, minimal, today=TODAY, actor=OWNER)
        first.rollback()
    assert submitted(db_engine, minimal, dossier.id).numero == "PS-2026-000001"


def lock_waiters(engine):
    """How many sessions of this PostgreSQL database wait on a row lock."""
    with engine.connect() as connection:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        return connection.exec_driver_sql(query).scalar_one()


def test_a_save_from_another_tab_during_a_locked_submission_is_a_conflict(db_engine, minimal):
    """The web path: the submission reads the row FOR UPDATE and validates it; another tab saves meanwhile. On
    PostgreSQL that save waits for the submission and then fails; SQLite takes no lock, so the submission fails."""
    dossier = draft(db_engine, minimal)
    if db_engine.dialect.name == "sqlite":
        with session_scope(db_engine) as first, session_scope(db_engine) as second:
            validated = get_owned(first, dossier.id, OWNER, lock=True)
            save_page(second, get_owned(second, dossier.id, OWNER), {"motif": "non vérifié"}, None)
            second.commit()
            with pytest.raises(ConflictError):
                submit(first, validated, minimal, today=TODAY, actor=OWNER, locked=True)
            first.rollback()
        assert submitted(db_engine, minimal, dossier.id).numero == "PS-2026-000001"
        return
    errors = []

    def other_tab():
        try:
            with session_scope(db_engine) as second:
                save_page(second, get_owned(second, dossier.id, OWNER), {"motif": "trop tard"}, None)
        except Exception as error:  # collected: an exception in a thread would otherwise be lost
            errors.append(error)

    tab = threading.Thread(target=other_tab)
    with session_scope(db_engine) as first:
        validated = get_owned(first, dossier.id, OWNER, lock=True)
        tab.start()
        assert any(lock_waiters(db_engine) == 1 or time.sleep(0.02) for _ in range(250)), "the save should wait"
        done = submit(first, validated, minimal, today=TODAY, actor=OWNER, locked=True)
    tab.join(timeout=30)
    assert done.numero == "PS-2026-000001"
    assert [type(error) for error in errors] == [ConflictError]  # the web layer answers 409
    with session_scope(db_engine) as session:
        assert get_owned(session, dossier.id, OWNER).answers == {}
