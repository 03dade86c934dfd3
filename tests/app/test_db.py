"""engine.db on a real server: a pooled connection the server closed is replaced before a request gets it."""

import psycopg
import pytest
from sqlalchemy import text

from engine.db import create_db_engine


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
