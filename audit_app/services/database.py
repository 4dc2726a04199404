"""Opening the database: resolve the target, create the engine, migrate, install frameworks."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from audit_app.core.errors import UserError
from audit_app.db.engine import make_engine, resolve_database_url, sqlite_path
from audit_app.db.migrate import upgrade_database


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
                yield session
        except OperationalError as exc:
            raise storage_error(exc, self.display_name) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self.session_factory() as session:
                yield session
        except OperationalError as exc:
            raise storage_error(exc, self.display_name) from exc

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
        except OperationalError as exc:
            raise storage_error(exc, self.display_name) from exc

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
    """A plain-English error for a storage failure; anything unrecognised stays a bug."""
    text = str(exc.orig if exc.orig is not None else exc).lower()
    for needles, message in _STORAGE_PROBLEMS:
        if any(n in text for n in needles):
            return StorageError(f"{message} ({where})")
    return StorageError(f"The database reported a problem and nothing was changed: "
                        f"{str(exc.orig or exc).splitlines()[0]} ({where})")


def current_user() -> str:
    """Who is at the keyboard, for the change log when no reviewer is named."""
    named = os.environ.get("AUDIT_APP_USER") or os.environ.get("USER") or \
        os.environ.get("USERNAME")
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers and services)
        return "unknown"


def open_database(target: str | os.PathLike[str] | None = None, *,
                  install_frameworks: bool = True) -> Database:
    """Open (creating if needed) and upgrade the database named by `target`."""
    url = resolve_database_url(target)
    engine = make_engine(url)
    try:
        upgrade_database(engine)
    except OperationalError as exc:
        engine.dispose()
        raise UserError(f"Cannot open the database {_describe(url)}: {_short(exc)}") from exc
    database = Database(url=url, engine=engine,
                        session_factory=sessionmaker(engine, expire_on_commit=False))
    if install_frameworks:
        from audit_app.services.frameworks import install_builtin_frameworks

        install_builtin_frameworks(database)
    return database


def _describe(url: str) -> str:
    path = sqlite_path(url)
    return str(path) if path else url.split("@")[-1]


def _short(exc: OperationalError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig else str(exc).splitlines()[0]
