"""The outbox of e-mails, on SQLite and PostgreSQL: a receipt exists exactly when its dossier is submitted, a refused
message waits with its error and goes later, and senders running together send each message once.

Messages go through a real SMTP server (aiosmtpd on loopback); deliveries are called directly, so nothing waits on a
thread or a clock."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select as core_select
from sqlmodel import select

from engine.db import create_db_engine, migrate, session_scope
from engine.mail import Mailer
from engine.outbox import LEASE, claim, make_due, pending, retry_delay
from engine.postman import BATCH, Delivery, Postman
from engine.services import get_owned, save_page, start_draft, submit
from engine.settings import Settings
from engine.storage import Dossier, OutboxMessage, utcnow
from tests.app.smtp import free_port
from tests.app.test_mail import BOURSE_ANSWERS

TODAY = date(2026, 9, 1)
OWNER = "usager-a"
ANSWERS = BOURSE_ANSWERS
LINK = "https://guichet.test/dossiers/1/recepisse"


def postman(engine, entry, smtp_url, tmp_path):
    settings = Settings(secret_key="test", smtp_url=smtp_url, mail_dir=tmp_path / "courriels")
    return Postman(engine, Mailer.from_settings(settings), settings, lambda slug, version: entry)


def draft(engine, entry, owner=OWNER, answers=ANSWERS):
    with session_scope(engine) as session:
        dossier = start_draft(session, entry, owner, prefill={})
        save_page(session, dossier, answers, None)
        return dossier


def submitted(engine, entry, owner=OWNER, answers=ANSWERS):
    dossier = draft(engine, entry, owner, answers)
    with session_scope(engine) as session:
        return submit(session, get_owned(session, dossier.id, owner), entry, today=TODAY, actor=owner, lien=LINK)


def outbox(engine):
    with session_scope(engine) as session:
        messages = list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))
        session.expunge_all()
        return messages


def test_the_receipt_is_queued_with_the_submission(db_engine, bourse):
    dossier = submitted(db_engine, bourse)
    [message] = outbox(db_engine)
    assert (message.kind, message.dossier_id, message.recipient, message.link) == (
        "recepisse",
        dossier.id,
        "lea@exemple.nc",
        LINK,
    )
    assert message.sent_at is None and message.attempts == 0 and message.claimed_until is None
    assert message.due_at == message.created_at and message.created_at.tzinfo is not None


def test_a_rolled_back_submission_leaves_no_receipt(db_engine, bourse):
    dossier = draft(db_engine, bourse)
    with pytest.raises(RuntimeError), session_scope(db_engine) as session:
        submit(session, get_owned(session, dossier.id, OWNER), bourse, today=TODAY, actor=OWNER, lien=LINK)
        raise RuntimeError("the request failed after submit")
    assert outbox(db_engine) == []
    with session_scope(db_engine) as session:
        assert get_owned(session, dossier.id, OWNER).is_draft


def test_a_second_submit_queues_no_second_receipt(db_engine, bourse):
    dossier = submitted(db_engine, bourse)
    with session_scope(db_engine) as session:
        again = submit(session, get_owned(session, dossier.id, OWNER), bourse, today=TODAY, actor=OWNER, lien=LINK)
    assert again.numero == dossier.numero
    assert [m.dossier_id for m in outbox(db_engine)] == [dossier.id]


def test_a_locked_submission_queues_its_receipt_too(db_engine, bourse):
    """The web path: the row read FOR UPDATE, then submitted without a second read."""
    dossier = draft(db_engine, bourse)
    with session_scope(db_engine) as session:
        locked = get_owned(session, dossier.id, OWNER, lock=True)
        done = submit(session, locked, bourse, today=TODAY, actor=OWNER, locked=True, lien=LINK)
        assert done is locked and done.numero == "BES-2026-00001" and done.revision == 3
    [message] = outbox(db_engine)
    assert message.dossier_id == dossier.id
    with session_scope(db_engine) as session:
        stored = session.get(Dossier, dossier.id)
        assert (stored.numero, stored.etat, stored.revision) == ("BES-2026-00001", done.etat, 3)


def test_without_an_address_nothing_is_queued(db_engine, minimal):
    dossier = submitted(db_engine, minimal, answers={"motif": "Toiture"})
    assert dossier.numero == "PS-2026-000001" and outbox(db_engine) == []


def test_delivery_sends_the_receipt_and_records_it(db_engine, bourse, tmp_path, smtp_server):
    url, inbox = smtp_server
    dossier = submitted(db_engine, bourse)
    assert postman(db_engine, bourse, url, tmp_path).deliver() == Delivery(sent=1)
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["lea@exemple.nc"]
    assert inbox.subjects() == [f"Demande de bourse {dossier.numero} reçue"]
    [message] = outbox(db_engine)
    assert message.sent_at is not None and message.attempts == 1 and message.claimed_until is None
    assert pending(db_engine) == 0
    assert postman(db_engine, bourse, url, tmp_path).deliver() == Delivery()  # sent once
    assert len(inbox.envelopes) == 1


def test_a_refused_message_waits_with_its_error_then_goes(db_engine, bourse, tmp_path, smtp_server):
    url, inbox = smtp_server
    dossier = submitted(db_engine, bourse)
    down = postman(db_engine, bourse, f"smtp://127.0.0.1:{free_port()}", tmp_path)
    before = utcnow()
    assert down.deliver() == Delivery(failed=1)
    [message] = outbox(db_engine)
    assert message.sent_at is None and message.attempts == 1 and message.claimed_until is None
    assert message.last_error.startswith("envoi du courriel impossible par 127.0.0.1")
    assert before + retry_delay(1) <= message.due_at <= utcnow() + retry_delay(1)
    up = postman(db_engine, bourse, url, tmp_path)
    assert up.deliver() == Delivery()  # its next attempt is not due yet
    assert [m.id for m in claim(db_engine, limit=5, now=message.due_at)] == [message.id]  # once due, it is taken
    assert up.deliver() == Delivery()  # that claim holds it now
    assert up.deliver(waiting_too=True) == Delivery()  # even when asked to try everything: it is held
    [held] = outbox(db_engine)
    assert held.claimed_until is not None
    later = held.claimed_until + timedelta(seconds=1)
    [retaken] = claim(db_engine, limit=5, now=later)  # the claim lapsed: as if that sender had died
    assert retaken.attempts == 3
    with session_scope(db_engine) as session:  # give it back, due now
        row = session.get(OutboxMessage, message.id)
        row.claimed_until, row.due_at = None, utcnow()
    assert up.deliver() == Delivery(sent=1)
    assert inbox.subjects() == [f"Demande de bourse {dossier.numero} reçue"]
    [sent] = outbox(db_engine)
    assert sent.sent_at is not None and sent.last_error is not None  # the last failure is kept for the record


def test_the_operator_sends_what_waits_without_waiting(db_engine, bourse, tmp_path, smtp_server):
    url, inbox = smtp_server
    submitted(db_engine, bourse)
    assert postman(db_engine, bourse, f"smtp://127.0.0.1:{free_port()}", tmp_path).deliver() == Delivery(failed=1)
    assert postman(db_engine, bourse, url, tmp_path).deliver(waiting_too=True) == Delivery(sent=1)
    assert len(inbox.envelopes) == 1 and pending(db_engine) == 0
    assert make_due(db_engine) == 0


def test_retries_wait_longer_each_time_up_to_six_hours():
    delays = [retry_delay(attempts) for attempts in range(1, 12)]
    assert delays[:4] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert delays == sorted(delays) and delays[-1] == timedelta(hours=6) == retry_delay(1000)


def test_a_claim_is_not_taken_twice_until_it_lapses(db_engine, bourse):
    submitted(db_engine, bourse)
    [first] = claim(db_engine, limit=5)
    assert claim(db_engine, limit=5) == []
    assert claim(db_engine, limit=5, now=utcnow() + LEASE - timedelta(seconds=5)) == []
    [again] = claim(db_engine, limit=5, now=utcnow() + LEASE + timedelta(seconds=5))
    assert again.id == first.id and again.attempts == first.attempts + 1 == 2


@pytest.mark.parametrize("smtp_server", [0.002], indirect=True)
def test_two_deliveries_at_once_send_each_message_once(db_engine, bourse, tmp_path, smtp_server):
    """Two app instances (two postmen, each its own engine) on the same database, started together."""
    url, inbox = smtp_server
    count = BATCH * 2 + 7
    numbers = [submitted(db_engine, bourse, owner=f"usager-{n}").numero for n in range(count)]
    engines = [create_db_engine(str(db_engine.url.render_as_string(hide_password=False))) for _ in range(2)]
    barrier = threading.Barrier(2)
    done, errors = [], []

    def deliver(engine):
        try:
            barrier.wait()
            done.append(postman(engine, bourse, url, tmp_path).deliver())
        except Exception as error:  # collected: an exception in a thread would otherwise be lost
            errors.append(error)

    threads = [threading.Thread(target=deliver, args=(engine,)) for engine in engines]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for engine in engines:
            engine.dispose()
    assert errors == []
    assert sum(d.sent for d in done) == count and sum(d.failed for d in done) == 0
    subjects = inbox.subjects()
    assert sorted(subjects) == sorted(f"Demande de bourse {numero} reçue" for numero in numbers)
    assert pending(db_engine) == 0


@pytest.mark.postgres
def test_a_claim_skips_the_messages_another_sender_is_claiming(postgres_url, bourse):
    """PostgreSQL: a sender never waits on another one's claim, it takes the next messages (SKIP LOCKED)."""
    engine = create_db_engine(postgres_url)
    migrate(engine)
    try:
        first, second = submitted(engine, bourse, "usager-a"), submitted(engine, bourse, "usager-b")
        table = OutboxMessage.__table__
        with engine.begin() as other:  # another sender, in the middle of its claim of the first message
            query = core_select(table.c.id).where(table.c.dossier_id == first.id).with_for_update()
            other.execute(query).scalar_one()
            [taken] = claim(engine, limit=5)
            assert taken.dossier_id == second.id
    finally:
        engine.dispose()
