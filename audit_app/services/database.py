"""Opening the database: resolve the target, create the engine, migrate, install frameworks.

The `Database` handle itself lives in `db.session` (so `services.frameworks` can use it
without importing this module, which installs frameworks); it is re-exported here for
the app and the command line, which reach the database only through services.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import sessionmaker

from audit_app.core.errors import UserError
from audit_app.db.engine import make_engine, resolve_database_url, sqlite_path
from audit_app.db.migrate import upgrade_database
from audit_app.db.session import NOT_A_DATABASE, Database, StorageError, not_a_database, storage_error
from audit_app.io.private_files import create_private_file, make_private, private_dir
from audit_app.services.acting import COMMAND_LINE, UNNAMED_MEMBER, current_actor, name_actor

__all__ = ["COMMAND_LINE", "NOT_A_DATABASE", "UNNAMED_MEMBER", "Database", "StorageError",
           "current_actor", "name_actor", "no_database", "open_database", "require_database",
           "storage_error"]


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
        if isinstance(exc, OperationalError) and not not_a_database(exc):
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


def _describe(url: str) -> str:
    path = sqlite_path(url)
    return str(path) if path else url.split("@")[-1]
