"""A PostgreSQL server that never answers is reported within seconds, not left hanging."""

from __future__ import annotations

import socket
import threading

import pytest

from audit_app.core.errors import UserError
from audit_app.db.engine import CONNECT_TIMEOUT_SECONDS
from audit_app.services.database import open_database

pytest.importorskip("psycopg")


def test_a_silent_server_gives_a_plain_error_after_the_connect_timeout() -> None:
    # A socket that accepts the connection but never says a word: without a connect
    # timeout the driver would wait for the operating system (minutes or for ever).
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    outcome: list[BaseException | None] = []

    def connect() -> None:
        try:
            open_database(f"postgresql://panel@127.0.0.1:{port}/audit")
            outcome.append(None)
        except BaseException as error:  # reported to the test below
            outcome.append(error)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout=CONNECT_TIMEOUT_SECONDS * 6)
    silent.close()
    assert not worker.is_alive(), "still waiting for a server that never answers"
    assert outcome and isinstance(outcome[0], UserError), outcome
