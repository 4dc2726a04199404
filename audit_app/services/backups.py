"""Rotating backups of the SQLite database, and restoring one.

Backups use SQLite's online backup API, so they are consistent even while the app has
the database open (WAL included). They live in `backups/` beside the user's data, 0600 in a
0700 folder, and are written whole or not at all (see `io.private_files`).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from audit_app.core.errors import UserError
from audit_app.db.migrate import backup_sqlite
from audit_app.db.sqlite_files import check_sqlite_file
from audit_app.io.private_files import (
    DiskFullError,
    disk_problem,
    make_private,
    make_private_dir,
    private_dir,
    private_output,
)
from audit_app.paths import user_data_dir
from audit_app.services.database import Database

DEFAULT_KEEP = 10
_PREFIX = "audit-backup-"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: dt.datetime
    size_bytes: int


def backup_dir() -> Path:
    folder = user_data_dir() / "backups"
    try:
        return make_private_dir(folder)
    except OSError as exc:  # e.g. a file where the folder should be
        raise disk_problem(exc, folder) from None


def _require_file(db: Database) -> Path:
    path = db.file_path
    if path is None:
        raise UserError("Backups here are for the SQLite database on this computer; "
                        "a shared server database is backed up by its administrator")
    return path


def take_backup(db: Database, *, folder: Path | None = None, keep: int = DEFAULT_KEEP) -> BackupFile:
    """Copy the live database to a timestamped file, then keep only the newest `keep`."""
    source = _require_file(db)
    target_dir = folder or backup_dir()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = target_dir / f"{_PREFIX}{stamp}.sqlite3"
    private_dir(target_dir)
    try:
        # Whole or not at all, private, and cleaned at the next start if the app is killed.
        with private_output(target) as partial:
            backup_sqlite(source, partial)
    except sqlite3.Error as exc:
        if "full" in str(exc).lower():  # SQLite's words for ENOSPC while it copies
            raise DiskFullError(f"The disk is full, so the backup was not written to "
                                f"{target_dir}. Free some space and try again.") from exc
        raise UserError(f"The backup could not be written to {target_dir}") from exc
    for old in list_backups(folder=target_dir)[keep:]:
        old.path.unlink(missing_ok=True)
    return _describe(target)


def _describe(path: Path) -> BackupFile:
    stamp = path.stem.removeprefix(_PREFIX)
    try:
        taken = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f").replace(tzinfo=dt.UTC)
    except ValueError:
        taken = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return BackupFile(path, taken, path.stat().st_size)


def list_backups(*, folder: Path | None = None) -> list[BackupFile]:
    """Newest first."""
    target_dir = folder or backup_dir()
    files = []
    for path in target_dir.glob(f"{_PREFIX}*.sqlite3"):
        make_private(path)  # one taken by an older version may be readable by others
        files.append(_describe(path))
    return sorted(files, key=lambda b: b.taken_at, reverse=True)


def check_backup(path: Path) -> None:
    """Refuse a file that is not a healthy Case File Audit database."""
    if not path.is_file():
        raise UserError(f"No such backup file: {path}")
    try:
        found = check_sqlite_file(path)
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path.name} is not a database backup, or it is damaged") from exc
    if not found.intact:
        raise UserError(f"{path.name} is damaged (integrity check failed); choose another backup")
    if not {"audit", "case_file", "answer", "alembic_version"} <= found.tables:
        raise UserError(f"{path.name} is not a Case File Audit database")


def restore_backup(db: Database, *, backup: Path) -> BackupFile:
    """Replace the database with a backup; the current state is backed up first.

    The caller must not use `db` afterwards: open the database again.
    """
    target = _require_file(db)
    check_backup(backup)
    safety = take_backup(db, keep=DEFAULT_KEEP * 2)
    db.close()
    try:
        with private_output(target) as staged:
            backup_sqlite(backup, staged)
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
    except sqlite3.Error as exc:
        raise UserError("Restore failed and nothing was changed: the backup could not be "
                        "read") from exc
    shutil.copystat(backup, target, follow_symlinks=True)
    make_private(target)
    return safety
