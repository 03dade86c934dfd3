"""engine.db's pool: on a real server a pooled connection the server closed is replaced before a request gets it,
and one process has connections enough for its concurrent requests and its postman."""

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError

from engine.db import create_db_engine
from tests.app.web_helpers import WEB_CATALOGUE, WEB_DAY, web_app


@pytest.mark.postgres
def test_a_connection_the_server_closed_is_replaced_on_checkout(postgres_url):
    """What a database restart does to every pooled connection (pg_terminate_backend sends the same goodbye)."""
    engine = create_db_engine(postgres_url)
    try:
        with engine.connect() as connection:
            closed = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (closed,))
            for _ in range(100):  # the backend is gone once the server no longer lists it
                gone = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (closed,)).fetchone()
                if gone == (0,):
                    break
                admin.execute("SELECT pg_sleep(0.01)")
        with engine.connect() as connection:  # without the check, this one request would fail
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != closed
    finally:
        engine.dispose()


def hold(engine, count):
    """Take ``count`` connections from the engine's pool at once (as many requests and threads would), then give them
    back; sqlalchemy's TimeoutError if the pool cannot supply them all."""
    held = []
    try:
        for _ in range(count):
            held.append(engine.connect())
        return [connection.execute(text("SELECT 1")).scalar_one() for connection in held]
    finally:
        for connection in held:
            connection.close()


def test_twenty_requests_and_the_postman_find_a_connection(database_url):
    """The default pool: 20 connections held across an await by 20 usagers, one more by the postman's thread."""
    engine = create_db_engine(database_url, pool_timeout=0.5)
    try:
        assert hold(engine, 21) == [1] * 21
    finally:
        engine.dispose()


def test_the_pool_is_sized_by_the_settings(database_url, db_engine, tmp_path):
    web = web_app(tmp_path, WEB_CATALOGUE, WEB_DAY, database_url, database_pool_size=2, database_max_overflow=1)
    engine = web.app.state.guichet.db
    try:
        assert engine.pool.size() == 2
        engine.pool._timeout = 0.2  # not to wait the default 30 s for the refusal below
        assert hold(engine, 3) == [1, 1, 1]
        with pytest.raises(TimeoutError, match="QueuePool limit of size 2 overflow 1 reached"):
            hold(engine, 4)
    finally:
        engine.dispose()
