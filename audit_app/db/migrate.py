"""Bring a database up to the current schema at start-up, safely.

For a SQLite file that needs upgrading, a backup copy is taken first (SQLite's online
backup API) and restored if the upgrade fails.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

from audit_app.core.errors import UserError
from audit_app.db import schema_head
from audit_app.db.base import utcnow
from audit_app.db.engine import sqlite_path
from audit_app.db.schema_head import MIGRATIONS_DIR as MIGRATIONS_DIR
from audit_app.io.private_files import create_private_file, private_dir, private_output

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine | None = None) -> str:
    """The newest migration (read from the files: `db.schema_head`)."""
    return schema_head.head_revision()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a new database."""
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")
                                      ).scalar_one_or_none()
        except DatabaseError:  # no such table: nothing was ever migrated
            connection.rollback()
            return None


def backup_sqlite(source: Path, destination: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included), private to the user.

    The copy is made 0600 before SQLite writes into it; a caller wanting it whole or not
    at all passes a `private_output` path."""
    private_dir(destination.parent)
    create_private_file(destination)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(destination))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def upgrade_database(engine: Engine) -> Path | None:
    """Upgrade to head; returns the pre-upgrade backup file if one was taken."""
    current = current_revision(engine)
    head = head_revision(engine)
    if current == head:
        return None
    db_file = sqlite_path(str(engine.url))
    backup: Path | None = None
    if db_file is not None and current is not None and db_file.exists():
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        backup = db_file.with_name(f"{db_file.stem}.before-{head}-{stamp}{db_file.suffix}")
        with private_output(backup) as partial:
            backup_sqlite(db_file, partial)
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), "head")
    except Exception as exc:
        if backup is not None and db_file is not None:
            engine.dispose()
            shutil.copyfile(backup, db_file)
            for suffix in ("-wal", "-shm"):
                Path(str(db_file) + suffix).unlink(missing_ok=True)
            # The cause goes in the chain (and so the log), never the message: it may
            # quote the rows being moved.
            raise UserError(
                "The database could not be upgraded to this version of the app; it was "
                f"restored from {backup.name}, as it was before"
            ) from exc
        raise
    return backup
