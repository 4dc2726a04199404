"""Opening the database: resolve the target, create the engine, migrate, install frameworks."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from audit_app.core.errors import UserError
from audit_app.db.engine import make_engine, resolve_database_url, sqlite_path
from audit_app.db.migrate import upgrade_database
from audit_app.io.private_files import create_private_file, make_private, private_dir


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
    if _not_a_database(exc):
        raise UserError(NOT_A_DATABASE.format(where=where)) from exc
    if isinstance(exc, OperationalError):
        raise storage_error(exc, where) from exc


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


NOT_A_DATABASE = ("{where} is not a Case File Audit database, or it is damaged: nothing was "
                  "changed. Check the path, or restore it from a backup.")


def no_database(where: str) -> str:
    return (f"There is no database at {where}. Check the path, or make one with "
            "'audit-app demo' or 'audit-app audit create'.")


def open_database(target: str | os.PathLike[str] | None = None, *,
                  install_frameworks: bool = True, create: bool = True) -> Database:
    """Open and upgrade the database named by `target`.

    A SQLite file that does not exist is made (private, in a private folder) only when
    `create` is true; otherwise it is refused and nothing is made, folders included."""
    url = resolve_database_url(target)
    made = _prepare_file(url, create=create)
    engine = make_engine(url)
    try:
        upgrade_database(engine)
    except DatabaseError as exc:
        engine.dispose()
        if made is not None:
            _remove_database_file(made)
        if isinstance(exc, OperationalError) and not _not_a_database(exc):
            raise storage_error(exc, _describe(url)) from None
        raise UserError(NOT_A_DATABASE.format(where=_describe(url))) from None
    _tighten(url)  # SQLite made the -wal and -shm files from the database's own mode
    database = Database(url=url, engine=engine,
                        session_factory=sessionmaker(engine, expire_on_commit=False))
    if install_frameworks:
        from audit_app.services.frameworks import install_builtin_frameworks

        install_builtin_frameworks(database)
    return database


def require_database(target: str | os.PathLike[str] | None) -> None:
    """Refuse a database file that does not exist, opening and creating nothing."""
    path = _file_of(resolve_database_url(target))
    if path is not None and not path.exists():
        raise UserError(no_database(str(path)))


def _file_of(url: str) -> Path | None:
    """The SQLite file behind `url`, unless it is a `file:` URI (opened as SQLite is told)."""
    path = sqlite_path(url)
    return None if path is None or str(path).startswith("file:") else path


def _prepare_file(url: str, *, create: bool) -> Path | None:
    """Make a missing database file 0600 before SQLite opens it; returns it if made."""
    path = _file_of(url)
    if path is None:
        return None
    if path.exists():
        if not path.is_file():
            raise UserError(NOT_A_DATABASE.format(where=path))
        _tighten(url)
        return None
    if not create:
        raise UserError(no_database(str(path)))
    private_dir(path.parent)
    create_private_file(path)
    return path


def _tighten(url: str) -> None:
    """An existing database (and its WAL and shared memory) readable by its owner only."""
    path = _file_of(url)
    if path is not None:
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            make_private(name)


def _remove_database_file(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        name.unlink(missing_ok=True)


def _not_a_database(exc: DatabaseError) -> bool:
    text = str(exc.orig if exc.orig is not None else exc).lower()
    return "not a database" in text or "malformed" in text


def _describe(url: str) -> str:
    path = sqlite_path(url)
    return str(path) if path else url.split("@")[-1]
