"""A quick look at the audit list in a SQLite file, with the standard library's sqlite3.

At start-up the app shows this list while SQLAlchemy, the models and the migrations load
(more than half the time to the filled list), then replaces it with the real one. The
rows are the `core.audit_summary.AuditSummary` that `services.audits.list_audits` gives; a
test keeps the two equal. Anything unexpected (no file, not SQLite, another schema revision, a
locked or damaged file) gives None: the caller then waits for the real list. Nothing is
created or changed: a file with no write-ahead log is opened immutable (so SQLite makes no
`-wal` or `-shm` beside it), and one whose log is there but not its index is left alone.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from audit_app.core.answers import ReviewKind, ReviewStatus
from audit_app.core.audit_summary import AuditSummary
from audit_app.db.schema_head import head_revision

_AUDITS = """
SELECT a.id, a.name, a.description, f.key, f.version, f.title, a.status, a.created_at
FROM audit AS a JOIN framework AS f ON f.id = a.framework_id
ORDER BY a.created_at DESC, a.id DESC"""
_POPULATIONS = "SELECT audit_id, count(*) FROM case_file WHERE removed = 0 GROUP BY audit_id"
_SAMPLES = """
SELECT d.audit_id, count(i.id) FROM sample_draw AS d JOIN sample_item AS i ON i.draw_id = d.id
WHERE d.is_current = 1 AND i.status != 'replaced' GROUP BY d.audit_id"""
_REVIEWS = "SELECT audit_id, status, count(*) FROM review WHERE kind = ? GROUP BY audit_id, status"


def peek_audit_list(path: Path) -> list[AuditSummary] | None:
    """The audits in the SQLite file at `path`, newest first; None if they cannot be read
    here and now. Never raises."""
    try:
        connection = _connect_read_only(path)
        if connection is None:
            return None
        try:
            return _read(connection)
        finally:
            connection.close()
    except Exception:  # a preview only: the real list follows from the open database
        return None


def _connect_read_only(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if wal.exists() and not shm.exists():
        return None  # reading would make the -shm index
    # No log: the file holds every commit, and "immutable" stops SQLite making one.
    mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    return sqlite3.connect(f"file:{quote(str(path))}?{mode}", uri=True)


def _read(connection: sqlite3.Connection) -> list[AuditSummary] | None:
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    if revision != [(head_revision(),)]:
        return None  # an older (or newer) schema: the upgrade comes first
    populations = _counts(connection.execute(_POPULATIONS).fetchall())
    samples = _counts(connection.execute(_SAMPLES).fetchall())
    complete: dict[int, int] = {}
    total: dict[int, int] = {}
    for audit_id, status, count in connection.execute(_REVIEWS, (str(ReviewKind.MEMBER),)):
        total[audit_id] = total.get(audit_id, 0) + count
        if status == ReviewStatus.COMPLETE:
            complete[audit_id] = complete.get(audit_id, 0) + count
    return [
        AuditSummary(id=audit_id, name=name, description=description, framework_key=key,
                     framework_version=version, framework_title=title, status=status,
                     created_at=dt.datetime.fromisoformat(created_at),
                     case_count=populations.get(audit_id, 0),
                     sample_size=samples.get(audit_id, 0),
                     reviews_complete=complete.get(audit_id, 0),
                     reviews_total=total.get(audit_id, 0))
        for audit_id, name, description, key, version, title, status, created_at
        in connection.execute(_AUDITS)
    ]


def _counts(rows: list[Any]) -> dict[int, int]:
    return {int(audit_id): int(count) for audit_id, count in rows}
