"""Submission through the app: one dossier whatever the number of clicks, and the receipt e-mail through a real SMTP
server (aiosmtpd on loopback), read back and checked once the outbox says it is sent.

A double click, a retried request or two tabs racing must give one dossier, one number, one history event and one
e-mail; the later request lands on the same récépissé as the first."""

import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import psycopg
from sqlmodel import select

from engine.cli import main
from engine.db import session_scope
from engine.services import get_owned, submit
from engine.storage import Dossier, OutboxMessage
from tests.app.smtp import free_port
from tests.app.web_helpers import (
    WEB_ANSWERS as GOOD,
    WEB_CATALOGUE as CATALOGUE,
    WEB_DAY as DAY,
    WEB_SLUG as SLUG,
    Citizen,
    Page,
    all_sent,
    database,
    stored,
    unsent,
    web_app,
)


def day_before(_key):
    return DAY - timedelta(days=1)


def summary_of(web):
    """A new usager's récapitulatif, every step and pièce done: (the browser, the page, its form's pairs)."""
    client = web.client()
    citizen = Citizen(client)
    page = citizen.get(citizen.until_summary(SLUG, GOOD, day_before))
    return client, citizen, page


def dossiers(url):
    with database(url) as session:
        return list(session.exec(select(Dossier)))


def check_one_submission(web, inbox, first, second):
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert first.headers["location"].endswith("/recepisse")
    [dossier] = dossiers(web.url)
    assert dossier.numero == "TLC-2026-0001" and not dossier.is_draft
    _, events, _ = stored(web.url, dossier.id)
    assert sorted(e.action for e in events) == ["creation", "deposer"]
    with database(web.url) as session:
        assert len(list(session.exec(select(OutboxMessage)))) == 1  # one receipt queued, by the one that submitted
    all_sent(web.url)
    assert len(inbox.envelopes) == 1, [m["Subject"] for m in inbox.messages()]
    return dossier


def test_two_clicks_make_one_dossier_one_number_one_email(database_url, db_engine, tmp_path, smtp_server):
    smtp_url, received = smtp_server
    web = web_app(tmp_path, CATALOGUE, DAY, database_url, smtp_url=smtp_url)
    client, citizen, page = summary_of(web)
    with client:
        first = citizen.post(page.form, [("declaration", "oui")], action="envoyer")
        second = citizen.post(page.form, [("declaration", "oui")], action="envoyer")  # the same form, sent again
        dossier = check_one_submission(web, received, first, second)
        receipt = citizen.get(second.headers["location"])
    assert dossier.numero in receipt.plain


@contextmanager
def row_held(url, dossier_id):
    """Hold the dossier's row (PostgreSQL) or the database's write lock (SQLite) until both racing requests have
    read the draft and wait to write it; then let them go. Yields a function telling whether both waited."""
    if url.startswith("sqlite"):
        holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield lambda: time.sleep(1) or True  # SQLite cannot list its waiters: give both requests the time
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    with psycopg.connect(url) as holder:
        holder.execute("SELECT id FROM dossier WHERE id = %s FOR UPDATE", (dossier_id,))
        yield lambda: any(waiters(url) == 2 or time.sleep(0.05) for _ in range(200))
        holder.rollback()


def waiters(url):
    """How many sessions of this database wait on a lock."""
    with psycopg.connect(url, autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return row[0] if row else 0


def test_two_concurrent_submissions_make_one_dossier(database_url, db_engine, tmp_path, smtp_server):
    """Two tabs of the same browser send at the same instant, both having read the dossier as a draft."""
    smtp_url, received = smtp_server
    web = web_app(tmp_path, CATALOGUE, DAY, database_url, smtp_url=smtp_url)
    client, citizen, page = summary_of(web)
    [draft] = dossiers(web.url)
    responses = {}

    def send(name, browser):
        data = {"csrf_token": page.csrf, "declaration": "oui", "action": "envoyer"}
        responses[name] = browser.post(page.form.action, data=data)

    with client, web.client() as tab:
        tab.cookies = client.cookies
        threads = [threading.Thread(target=send, args=(n, b)) for n, b in (("a", client), ("b", tab))]
        with row_held(database_url, draft.id) as both_wait:
            for thread in threads:
                thread.start()
            assert both_wait(), "both requests should wait on the lock"
        for thread in threads:
            thread.join(timeout=30)
    check_one_submission(web, received, responses["a"], responses["b"])


def test_the_receipt_email_names_the_dossier_number(tmp_path, smtp_server):
    smtp_url, received = smtp_server
    web = web_app(tmp_path, CATALOGUE, DAY, smtp_url=smtp_url)
    client, citizen, page = summary_of(web)
    with client:
        response = citizen.post(page.form, [("declaration", "oui")], action="envoyer")
        assert response.status_code == 303
        receipt = citizen.get(response.headers["location"])
    [dossier] = dossiers(web.url)
    all_sent(web.url)
    [message] = received.messages()
    assert received.envelopes[0].rcpt_tos == ["marie@example.nc"]
    assert message["To"] == "marie@example.nc"
    assert dossier.numero in message["Subject"]
    body = message.get_content()
    assert dossier.numero in body and "Démarche d'essai de tous les champs" in body + message["Subject"]
    assert dossier.numero in receipt.plain and "marie@example.nc" in receipt.plain
    assert not list((tmp_path / "courriels").glob("*.eml"))  # sent by SMTP, not written to the folder


def test_without_the_declaration_nothing_is_sent(tmp_path, smtp_server):
    smtp_url, received = smtp_server
    web = web_app(tmp_path, CATALOGUE, DAY, smtp_url=smtp_url)
    client, citizen, page = summary_of(web)
    with client:
        response = citizen.post(page.form, [], action="envoyer")
    assert response.status_code == 422
    shown = Page(response.text)
    assert shown.title.startswith("Erreur : ") and shown.error_links() == ["#declaration"]
    _, checkbox = shown.by_id("declaration")
    assert checkbox["aria-invalid"] == "true" and checkbox["aria-describedby"] == "declaration-erreur"
    [dossier] = dossiers(web.url)
    assert dossier.is_draft and dossier.numero is None and not received.envelopes and not unsent(web.url)


def submitted_without_the_app(web):
    """A filled draft submitted through engine.services, as an instance that stopped before sending its receipt
    would leave it: the dossier submitted, its receipt queued, nothing sent."""
    client, _, _ = summary_of(web)
    [draft] = dossiers(web.url)
    state = web.app.state.guichet
    with session_scope(state.db) as session:
        dossier = get_owned(session, draft.id, draft.owner)
        entry = state.entry(dossier.dispositif, dossier.version)
        return submit(session, dossier, entry, today=DAY, actor="usager")


def test_a_mail_server_down_does_not_fail_the_submission(tmp_path):
    web = web_app(tmp_path, CATALOGUE, DAY, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    client, citizen, page = summary_of(web)
    response = citizen.post(page.form, [("declaration", "oui")], action="envoyer")
    assert response.status_code == 303 and response.headers["location"].endswith("/recepisse")
    [dossier] = dossiers(web.url)
    assert not dossier.is_draft
    [message] = unsent(web.url)  # the response's background task tried once, after the response
    assert message.dossier_id == dossier.id and message.attempts == 1
    assert message.last_error.startswith("envoi du courriel impossible par 127.0.0.1")


def test_the_app_sends_at_start_what_was_left_unsent(tmp_path, smtp_server):
    smtp_url, received = smtp_server
    web = web_app(tmp_path, CATALOGUE, DAY, smtp_url=smtp_url)
    dossier = submitted_without_the_app(web)
    assert len(unsent(web.url)) == 1 and not received.envelopes
    with web.client():  # the lifespan's sweep delivers what is due
        all_sent(web.url)
    [message] = received.messages()
    assert dossier.numero in message["Subject"] and message["To"] == "marie@example.nc"


def test_guichet_courriels_sends_what_waits(tmp_path, smtp_server, monkeypatch, capsys):
    smtp_url, received = smtp_server
    web = web_app(tmp_path, CATALOGUE, DAY, smtp_url=smtp_url)
    dossier = submitted_without_the_app(web)
    monkeypatch.chdir(tmp_path)
    environment = {"DATABASE_URL": web.url, "CATALOGUE_DIR": str(CATALOGUE), "SECRET_KEY": "x" * 40}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    assert main(["courriels"]) == 1
    assert capsys.readouterr().out == "0 courriel envoyé, 1 échec, 1 courriel en attente\n"
    monkeypatch.setenv("SMTP_URL", smtp_url)
    assert main(["courriels"]) == 0  # the failed one waits for its next attempt
    assert capsys.readouterr().out == "0 courriel envoyé, 0 échec, 1 courriel en attente\n"
    assert main(["courriels", "--tout"]) == 0
    assert capsys.readouterr().out == "1 courriel envoyé, 0 échec, 0 courriel en attente\n"
    [message] = received.messages()
    assert dossier.numero in message["Subject"]
