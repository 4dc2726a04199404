"""Looking inside a SQLite file without opening it as the app's database (a backup about
to be restored): is it whole, and which tables does it hold."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SqliteFileCheck:
    intact: bool  # SQLite's own integrity check said "ok"
    tables: frozenset[str]


def check_sqlite_file(path: Path) -> SqliteFileCheck:
    """Read-only; raises `sqlite3.DatabaseError` for a file that is not a database."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
        tables = frozenset(row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table'"))
    finally:
        connection.close()
    return SqliteFileCheck(result is not None and result[0] == "ok", tables)
