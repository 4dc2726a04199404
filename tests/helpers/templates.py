"""Databases built once per test worker and copied for each test (speed only).

Opening a new database runs every migration and installs the shipped frameworks: about
0.3 s of CPU and a dozen synced commits on a disk. Each test still gets its own real
database, made by the same code; only the building is shared.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TypeVar

import pytest

from audit_app.io.private_files import create_private_file, private_dir
from audit_app.services.database import Database, name_actor, open_database

T = TypeVar("T")
COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite's own files beside a database


@contextmanager
def own_data_dir(folder: Path) -> Iterator[None]:
    """A builder shared by a module or a session runs before the test's own data folder is
    set and its actor forgotten: it gets a data folder of its own (never the real user's)
    and starts, as a test does, with no one named as acting."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDIT_APP_DATA_DIR", str(folder))
        patch.delenv("AUDIT_APP_DB", raising=False)
        name_actor("")
        try:
            yield
        finally:
            name_actor("")


def cli_quietly(*argv: str) -> str:
    """Run the command line in-process outside a test (no capsys there); returns its output."""
    from audit_app.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    assert code == 0, err.getvalue()
    return out.getvalue()


def build_empty_sqlite(folder: Path) -> Path:
    """A new database, migrated and with the frameworks installed, as `open_database` makes it."""
    path = folder / "audit.sqlite3"
    with own_data_dir(folder / "user-data"):
        open_database(path).close()
    return path


def build_sqlite(folder: Path, name: str, build: Callable[[Database], T]) -> tuple[Path, T]:
    """A new database file `name` in `folder`, filled by `build`, for a module's tests to copy."""
    path = folder / name
    with own_data_dir(folder / "user-data"):
        database = open_database(path)
        try:
            value = build(database)
        finally:
            database.close()
    return path, value


def copy_sqlite(template: Path, target: Path) -> Path:
    """`target` made 0600 first, as `open_database` makes a new file, then filled from the
    template (with any WAL left beside it, so nothing written is lost)."""
    private_dir(target.parent)
    create_private_file(target)
    shutil.copyfile(template, target)
    for suffix in COMPANIONS:
        companion = Path(f"{template}{suffix}")
        if companion.exists():
            create_private_file(Path(f"{target}{suffix}"))
            shutil.copyfile(companion, Path(f"{target}{suffix}"))
    return target
