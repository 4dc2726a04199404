"""One read-only snapshot of the database for a report: every read sees the same moment.

The findings workbook reads the audit's cases, reviews and answers, the sample record, the
population picture, the text the scrubber must know and (when asked) an earlier audit.
Read through separate sessions, an answer saved in between would show in some sheets and
not others. `read_snapshot` gives a `Database` whose every read runs in one session and
one transaction: REPEATABLE READ and read-only on PostgreSQL; on SQLite one deferred
transaction, which in WAL mode reads one snapshot from its first statement. Writing
through it is refused: a report changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from audit_app.services.database import Database

SNAPSHOT_OPTIONS = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}


class SnapshotWriteError(RuntimeError):
    """A write was attempted inside a report's read-only snapshot (a programming error)."""


@contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """`with read_snapshot(db) as snapshot:` read services through `snapshot`."""
    if isinstance(db, _Snapshot):
        yield db
        return
    with db.reading() as session:
        # The isolation level must be set before the transaction's first statement.
        session.connection(execution_options={} if db.is_sqlite else SNAPSHOT_OPTIONS)
        try:
            yield _Snapshot(db.url, db.engine, db.session_factory, session)
        finally:
            session.rollback()  # nothing was written: end the snapshot


@dataclass
class _Snapshot(Database):
    """A `Database` whose reads share one session and transaction, and which never writes."""

    session: Session | None = None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        assert self.session is not None
        yield self.session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        raise SnapshotWriteError("A report reads one snapshot and writes nothing")
        yield self.session  # pragma: no cover (never reached: makes this a generator)

    @contextmanager
    def batch(self) -> Iterator[Database]:
        raise SnapshotWriteError("A report reads one snapshot and writes nothing")
        yield self  # pragma: no cover
