"""Turning `--db` into an engine: a file path means SQLite, anything with :// is a URL.

The app works with a SQLite file or a PostgreSQL server; any other URL is refused with one
plain line before any driver is loaded, and no URL is ever quoted (it may hold a password).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from audit_app.core.errors import UserError
from audit_app.paths import DB_ENV, default_db_path

SUPPORTED = "a SQLite database file, or a PostgreSQL server as postgresql://USER@HOST/NAME"


def resolve_database_url(target: str | os.PathLike[str] | None) -> str:
    """`target` (or $AUDIT_APP_DB, or the user's data folder) as a SQLAlchemy URL.

    Nothing is created here: `services.database.open_database` decides whether a missing
    database file may be made."""
    raw = str(target) if target is not None else os.environ.get(DB_ENV) or str(default_db_path())
    if "://" in raw:
        try:
            url = make_url(raw)
        except ArgumentError:
            raise UserError(f"That is not a database URL or file path: give {SUPPORTED}") \
                from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        _refuse_unsupported(url.drivername)
        return url.render_as_string(hide_password=False)
    path = Path(raw).expanduser().resolve()
    if path.is_dir():
        raise UserError(f"'{path}' is a folder; give a database file name")
    return f"sqlite:///{path}"


def _refuse_unsupported(drivername: str) -> None:
    """Only the databases the app is built and tested for; never a driver it does not ship.

    Decided from the URL's text alone: asking SQLAlchemy would load the dialect."""
    if drivername in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        return
    backend, _, driver = drivername.partition("+")
    if backend == "postgresql":
        raise UserError(f"The PostgreSQL driver '{driver}' is not part of this app: write the "
                        "URL as postgresql://USER@HOST/NAME and the app's own driver is used")
    raise UserError(f"'{backend}' databases are not supported: give {SUPPORTED}")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed score survives power loss, not just a process kill.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin; otherwise a
    # SAVEPOINT opens its own transaction and releasing it commits (SQLAlchemy's recipe).
    dbapi_connection.isolation_level = None


# Set on a write transaction's connection: SQLite then takes the write lock at BEGIN and
# waits (busy_timeout) for another writer, rather than failing when a read transaction
# later tries to write while another connection is writing (the serial writer thread and
# a background task, or two laptops on one file).
WRITE_TRANSACTION = "audit_app_write_transaction"


def _sqlite_begin(connection: Any) -> None:
    writing = connection.get_execution_options().get(WRITE_TRANSACTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


CONNECT_TIMEOUT_SECONDS = 5


def make_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        # A server that does not answer is reported after CONNECT_TIMEOUT_SECONDS, not
        # after the operating system gives up (minutes, with the window frozen meanwhile).
        return create_engine(url, pool_pre_ping=True,
                             connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    except (NoSuchModuleError, ImportError):  # a driver missing from this installation
        raise UserError("This installation cannot reach that database (its driver is "
                        f"missing); give {SUPPORTED}") from None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for a server database or memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)
