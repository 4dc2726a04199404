"""The audit list read before SQLAlchemy loads, for the app to show while the database opens.

Light on purpose: nothing here (or in `db.audit_list_peek`) imports SQLAlchemy, so the app
can show the list a moment after its window appears. Only a SQLite file can be peeked at;
a server database waits for the real list.
"""

from __future__ import annotations

import os
from pathlib import Path

from audit_app.core.audit_summary import AuditSummary
from audit_app.db.audit_list_peek import peek_audit_list as _peek_file
from audit_app.paths import DB_ENV, default_db_path

_SQLITE_URL = "sqlite:///"


def peek_audit_list(target: str | os.PathLike[str] | None) -> list[AuditSummary] | None:
    """What `services.audits.list_audits` would return for the database `target` names (as
    `open_database` reads it), or None if it cannot be known without opening it properly.
    Never raises; creates and changes nothing."""
    try:
        path = _sqlite_file(target)
        return _peek_file(path) if path is not None else None
    except Exception:  # a preview only: the real list follows
        return None


def _sqlite_file(target: str | os.PathLike[str] | None) -> Path | None:
    raw = str(target) if target is not None else os.environ.get(DB_ENV) or str(default_db_path())
    if raw.startswith(_SQLITE_URL) and "?" not in raw:
        raw = raw.removeprefix(_SQLITE_URL)
        if not raw.startswith("/"):
            return None  # relative to where? SQLAlchemy's rules: not worth guessing here
    elif "://" in raw or raw.startswith("file:"):
        return None  # a server database (PostgreSQL), or a URI SQLite is told how to open
    return Path(raw).expanduser().resolve()
