"""Opening the database: resolve the target, create the engine, migrate, install frameworks."""

from __future__ import annotations

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
        with self.session_factory() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.session_factory() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def current_user() -> str:
    """Who is at the keyboard, for the change log when no reviewer is named."""
    return os.environ.get("AUDIT_APP_USER") or os.environ.get("USER") or \
        os.environ.get("USERNAME") or "unknown"


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
