"""Who sends the outbox's e-mails: the web app itself (``MAIL_DELIVERY=app``, the default), or a long-running
``guichet courriels --suivre`` beside an app that only queues them (``MAIL_DELIVERY=separate``).

The following postman is run for real: in a thread with a stop event, and as the ``guichet`` command in a process of
its own, stopped by the signals a service manager and a terminal send. Messages go to a real SMTP server."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from engine.cli import main
from engine.db import create_db_engine, migrate, session_scope
from engine.errors import ConfigurationError
from engine.mail import Mailer
from engine.outbox import pending
from engine.postman import Delivery, Postman
from engine.services import get_owned, save_page, start_draft, submit
from engine.settings import Settings
from tests.app.test_outbox import ANSWERS, LINK, TODAY
from tests.app.web_helpers import WEB_ANSWERS, WEB_CATALOGUE, WEB_DAY, WEB_SLUG, Citizen, unsent, web_app

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s" * 40


def submitted(engine, entry, owner="usager-a"):
    """A dossier submitted through engine.services: its receipt queued, nothing sent."""
    with session_scope(engine) as session:
        dossier = start_draft(session, entry, owner, prefill={})
        save_page(session, dossier, ANSWERS, None)
    with session_scope(engine) as session:
        return submit(session, get_owned(session, dossier.id, owner), entry, today=TODAY, actor=owner, lien=LINK)


def postman(engine, entry, smtp_url, tmp_path):
    settings = Settings(secret_key="test", smtp_url=smtp_url, mail_dir=tmp_path / "courriels")
    return Postman(engine, Mailer.from_settings(settings), settings, lambda slug, version: entry)


def eventually(condition, seconds=10.0):
    """Wait until ``condition()`` holds (bounded): a following postman works in its own thread or process."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still not done after {seconds} s"
        time.sleep(0.02)


# --- the setting --------------------------------------------------------------------------------------------------


def test_the_app_delivers_by_default_and_separate_is_a_choice(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    default = Settings.from_environ({})
    assert (default.mail_delivery, default.delivers_mail) == ("app", True)
    separate = Settings.from_environ({"MAIL_DELIVERY": "separate"})
    assert (separate.mail_delivery, separate.delivers_mail) == ("separate", False)


@pytest.mark.parametrize("value", ["SEPARATE", "cron", "non"])
def test_an_unknown_delivery_is_refused_in_french(tmp_path, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigurationError, match=f"MAIL_DELIVERY='{value}' : valeurs possibles « app »") as error:
        Settings.from_environ({"MAIL_DELIVERY": value})
    assert "« separate »" in error.value.message and "guichet courriels --suivre" in error.value.message


def test_pool_sizes_can_be_set_and_are_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_environ({"DATABASE_POOL_SIZE": "3", "DATABASE_MAX_OVERFLOW": "0"})
    assert (settings.database_pool_size, settings.database_max_overflow) == (3, 0)
    for name, value in [("DATABASE_POOL_SIZE", "0"), ("DATABASE_POOL_SIZE", "dix"), ("DATABASE_MAX_OVERFLOW", "-1")]:
        with pytest.raises(ConfigurationError, match=f"{name}='{value}' : un nombre entier positif"):
            Settings.from_environ({name: value})


# --- the web app in each mode -------------------------------------------------------------------------------------


def send_a_dossier(web):
    """A usager fills the test dispositif and sends it; the response to « Envoyer »."""
    client = web.client()
    citizen = Citizen(client)
    with client:
        page = citizen.get(citizen.until_summary(WEB_SLUG, WEB_ANSWERS, lambda _key: WEB_DAY))
        response = citizen.post(page.form, [("declaration", "oui")], action="envoyer")
    assert response.status_code == 303 and response.headers["location"].endswith("/recepisse")
    return response


def test_a_separate_app_only_queues_the_receipt(database_url, db_engine, tmp_path, smtp_server):
    smtp_url, inbox = smtp_server
    web = web_app(tmp_path, WEB_CATALOGUE, WEB_DAY, database_url, smtp_url=smtp_url, mail_delivery="separate")
    send_a_dossier(web)
    with web.client():  # the lifespan ran too: no sweep sends it either
        time.sleep(0.2)
    [message] = unsent(web.url)
    assert message.attempts == 0 and message.claimed_until is None and not inbox.envelopes
    following = Postman(db_engine, Mailer(Settings.mail_from, smtp_url), web.app.state.guichet.settings,
                        web.app.state.guichet.entry)  # fmt: skip
    assert following.deliver() == Delivery(sent=1)
    assert len(inbox.envelopes) == 1 and unsent(web.url) == []


# --- the following postman, in a thread ---------------------------------------------------------------------------


def test_a_following_postman_sends_as_messages_come_until_stopped(db_engine, bourse, tmp_path, smtp_server):
    url, inbox = smtp_server
    stop = threading.Event()
    rounds, done = [], []
    follower = postman(db_engine, bourse, url, tmp_path)
    thread = threading.Thread(target=lambda: done.append(follower.follow(stop, every=0.02, report=rounds.append)))
    thread.start()
    try:
        first = submitted(db_engine, bourse, "usager-a")
        eventually(lambda: len(inbox.envelopes) == 1)
        second = submitted(db_engine, bourse, "usager-b")  # a later look finds it
        eventually(lambda: len(inbox.envelopes) == 2)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert done == [Delivery(sent=2)] and rounds == [Delivery(sent=1), Delivery(sent=1)]
    assert inbox.subjects() == [f"Demande de bourse {d.numero} reçue" for d in (first, second)]
    assert pending(db_engine) == 0


def test_a_stopped_postman_claims_nothing_more(db_engine, bourse, tmp_path, smtp_server):
    url, inbox = smtp_server
    submitted(db_engine, bourse)
    stop = threading.Event()
    stop.set()
    follower = postman(db_engine, bourse, url, tmp_path)
    assert follower.deliver(stop=stop) == Delivery()
    assert follower.follow(stop, every=0.01) == Delivery()
    assert not inbox.envelopes and pending(db_engine) == 1
    [message] = unsent(db_engine.url.render_as_string(hide_password=False))
    assert message.attempts == 0 and message.claimed_until is None  # left for the next postman, not held


def test_a_following_postman_waits_for_its_database(tmp_path, bourse, smtp_server, caplog):
    """Started before the database is ready (not migrated yet): it says so, and sends once it can."""
    url, inbox = smtp_server
    engine = create_db_engine(f"sqlite:///{tmp_path / 'guichet.db'}")
    stop = threading.Event()
    follower = postman(engine, bourse, url, tmp_path)
    thread = threading.Thread(target=follower.follow, args=(stop,), kwargs={"every": 0.02})
    try:
        with caplog.at_level("ERROR", logger="guichet"):
            thread.start()
            eventually(lambda: "envoi des courriels en attente interrompu" in caplog.text)
        migrate(engine)
        submitted(engine, bourse)
        eventually(lambda: len(inbox.envelopes) == 1)
    finally:
        stop.set()
        thread.join(timeout=10)
        engine.dispose()
    assert not thread.is_alive()


# --- guichet courriels --suivre, a process of its own --------------------------------------------------------------


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_guichet_courriels_suivre_delivers_then_stops_on_a_signal(
    database_url, db_engine, bourse, tmp_path, smtp_server, stop_signal
):
    url, inbox = smtp_server
    (tmp_path / "catalogue").mkdir()  # the dossiers' version is found in the database
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CATALOGUE_DIR": str(tmp_path / "catalogue"),
        "SECRET_KEY": SECRET,
        "SMTP_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "engine.cli", "courriels", "--suivre", "--intervalle", "0.05"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        first = submitted(db_engine, bourse, "usager-a")
        eventually(lambda: len(inbox.envelopes) == 1, seconds=30)  # the process starts, then looks
        second = submitted(db_engine, bourse, "usager-b")
        eventually(lambda: len(inbox.envelopes) == 2)
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()  # also closes the pipes
    assert process.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("envoi des courriels au fil de l'eau (toutes les 0.05 s)")
    assert lines[1:] == [
        "1 courriel envoyé, 0 échec",
        "1 courriel envoyé, 0 échec",
        "arrêté : 2 courriels envoyés, 0 échec en tout",
    ]
    assert sorted(inbox.subjects()) == sorted(f"Demande de bourse {d.numero} reçue" for d in (first, second))
    assert pending(db_engine) == 0


def test_guichet_courriels_refuses_a_bad_interval(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["courriels", "--suivre", "--intervalle", "0"])
    assert exit_.value.code == 2
    assert "un nombre de secondes positif est attendu" in capsys.readouterr().err
