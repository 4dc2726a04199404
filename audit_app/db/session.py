"""The database handle services work through: short sessions, one transaction per use case,
and storage failures (full disk, read-only file, server gone) told in plain English."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from audit_app.core.errors import UserError
from audit_app.db.engine import WRITE_TRANSACTION, sqlite_path

NOT_A_DATABASE = ("{where} is not a Case File Audit database, or it is damaged: nothing was "
                  "changed. Check the path, or restore it from a backup.")


@dataclass
class Database:
    """An open, migrated database. Sessions are short: one per operation."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def file_path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def display_name(self) -> str:
        path = self.file_path
        if path is not None:
            return str(path)
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """`with db.transaction() as s:` commits on success, rolls back on any error."""
        try:
            with self.session_factory() as session, session.begin():
                session.connection(execution_options={WRITE_TRANSACTION: True})
                yield session
        except DatabaseError as exc:
            _raise_storage_problem(exc, self.display_name)
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self.session_factory() as session:
                yield session
        except DatabaseError as exc:
            _raise_storage_problem(exc, self.display_name)
            raise

    @contextmanager
    def batch(self) -> Iterator[Database]:
        """Several service calls as one transaction: all of them commit, or none does.

        `with db.batch() as unit:` gives a `Database` whose every transaction and read
        runs in one shared session, committed when the block ends without error.
        """
        with self.transaction() as session:
            yield _BoundDatabase(self.url, self.engine, self.session_factory, session)

    def close(self) -> None:
        self.engine.dispose()


@dataclass
class _BoundDatabase(Database):
    """A `Database` inside `batch()`: transactions are the batch's, committed by it."""

    bound: Session | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        assert self.bound is not None
        try:
            with self.bound.begin_nested():
                yield self.bound
        except DatabaseError as exc:
            _raise_storage_problem(exc, self.display_name)
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        assert self.bound is not None
        yield self.bound

    @contextmanager
    def batch(self) -> Iterator[Database]:
        yield self


class StorageError(UserError):
    """The database could not be written or read: full disk, read-only file, server gone."""


# What SQLite and PostgreSQL say, and what the user can do about it.
_STORAGE_PROBLEMS = (
    (("disk is full", "database or disk is full", "no space left"),
     "The disk is full, so the last change was not saved. Everything saved before it is "
     "safe. Free some space and try again."),
    (("readonly database", "read-only", "read only"),
     "The database is read-only, so nothing can be saved. Check the file's permissions or "
     "ask for a database you can write to."),
    (("database is locked",),
     "The database is busy in another program, so the last change was not saved. "
     "Try again in a moment."),
    (("disk i/o error", "unable to open database"),
     "The database file could not be read or written (the drive may have gone). "
     "Nothing was changed."),
    (("could not connect", "connection refused", "server closed the connection",
      "terminating connection"),
     "The database server could not be reached, so the last change was not saved. "
     "Check the network and try again."),
)


def storage_error(exc: OperationalError, where: str) -> UserError:
    """A plain-English error for a storage failure.

    The driver's own words are never passed on: they can quote the statement's values,
    which are case data."""
    text = str(exc.orig if exc.orig is not None else exc).lower()
    for needles, message in _STORAGE_PROBLEMS:
        if any(n in text for n in needles):
            return StorageError(f"{message} ({where})")
    return StorageError(f"The database reported a problem and nothing was changed ({where})")


def _raise_storage_problem(exc: DatabaseError, where: str) -> None:
    """Raise a storage failure as the user should hear it; return for any other error.

    A file damaged after it was opened (a bad sector, a bit flip) shows up only when the
    damaged page is read."""
    if not_a_database(exc):
        raise UserError(NOT_A_DATABASE.format(where=where)) from exc
    if isinstance(exc, OperationalError):
        raise storage_error(exc, where) from exc


def not_a_database(exc: DatabaseError) -> bool:
    text = str(exc.orig if exc.orig is not None else exc).lower()
    return "not a database" in text or "malformed" in text
