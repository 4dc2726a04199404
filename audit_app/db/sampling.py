"""Reading an audit's cases for a draw, a block at a time, as fast as each database allows.

* On SQLite the database strings each column of a block of cases together
  (`group_concat`) and Python splits the strings: a few large strings instead of a
  million rows.
* Elsewhere (PostgreSQL), or if some value holds the separator characters, plain rows
  through the driver's cursor.

Each block is the cases' references, their raw values of the fields the draw names
(one joined string or one tuple per case) and, for draw rule 2, their stored digests as
one hex string. What the values mean is the sampling service's business.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.orm import Session

from audit_app.core.draw_rule2 import reference_digest
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.db.models import CaseRecord, ReviewRecord

ROW_SEPARATOR = "\x1e"
FIELD_SEPARATOR = "\x1f"
_BLOCK = 250_000  # case ids per query: progress and Cancel come between blocks
_FETCH_CHUNK = 50_000
_HEX_DIGEST = 64


class Unreadable(Exception):
    """A value holds a separator character, or a digest is missing: read row by row instead."""


@dataclass(frozen=True)
class Block:
    references: list[str]
    raws: list[Any]  # one per case when fields were asked for, else empty
    digests: str  # the cases' digests in hex, one after another ("" when not asked for)


def reviewed_elsewhere(session: Session, audit_id: int) -> set[str]:
    """References of cases reviewed in any other audit."""
    rows = session.execute(
        select(CaseRecord.reference).join(ReviewRecord, ReviewRecord.case_id == CaseRecord.id)
        .where(ReviewRecord.audit_id != audit_id).distinct()).scalars()
    return set(rows)


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _scan_whole_table(session: Session, audit_id: int, highest_id: int) -> bool:
    """Whether to read the table straight through rather than through the audit's index.

    Looking a million rows up one by one through the index is slower than scanning the
    table when the audit holds most of it; `audit_id + 0` keeps the database off the index.
    """
    in_audit = session.scalar(select(func.count()).select_from(CaseRecord)
                              .where(CaseRecord.audit_id == audit_id)) or 0
    return in_audit * 2 > highest_id


def _audit_filter(session: Session, audit_id: int) -> ColumnElement[bool]:
    highest = session.scalar(select(func.max(CaseRecord.id))) or 0
    if _scan_whole_table(session, audit_id, highest):
        return CaseRecord.audit_id + 0 == audit_id
    return CaseRecord.audit_id == audit_id


def _id_range(session: Session) -> tuple[int, int]:
    """The ids to read in blocks: the whole table's, found at once (the audit's own are
    scattered through its index, and blocks with none of its cases cost next to nothing)."""
    low = session.scalar(select(func.min(CaseRecord.id)))
    high = session.scalar(select(func.max(CaseRecord.id)))
    return int(low or 0), int(high if high is not None else -1)


def _block_sql(keys: Sequence[str], digests: bool, whole_table: bool) -> str:
    """One block's query: a count, then each column of its cases joined into one string."""
    table = cast(Table, CaseRecord.__table__)
    # Column names come from the model, never from the user. NULL reads as empty text,
    # which means "not recorded" just the same (and quote() would cost a third more).
    # The separators are written into the SQL as characters: char(31) would be a function
    # call for every case, a third of the query's time.
    field, row_end = f"'{FIELD_SEPARATOR}'", f"'{ROW_SEPARATOR}'"
    joined = f" || {field} || ".join(f"ifnull({table.c[k].name}, '')" for k in keys)
    columns = f"count(*), group_concat(reference, {row_end})"
    if keys:
        columns += f", group_concat({joined}, {row_end})"
    if digests:  # fixed width, so no separator: a missing one shows in the length
        columns += ", group_concat(reference_digest, '')"
    audit_clause = "audit_id + 0 = ?" if whole_table else "audit_id = ?"
    return (f"SELECT {columns} FROM {table.name} WHERE {audit_clause} AND removed = 0 "
            "AND id BETWEEN ? AND ?")


def _split_block(row: Sequence[Any], keys: Sequence[str], digests: bool,
                 distinct: dict[str, str]) -> Block | None:
    count = int(row[0])
    if not count:
        return None
    references = row[1].split(ROW_SEPARATOR)
    if len(references) != count:
        raise Unreadable("reference")
    raws: list[Any] = []
    if keys:
        values = row[2].split(ROW_SEPARATOR)
        if len(values) != count:
            raise Unreadable("value")
        # A few dozen distinct values: keep one copy of each, not a million.
        raws = list(map(distinct.setdefault, values, values))
    hex_digests = (row[-1] or "") if digests else ""
    if digests and len(hex_digests) != count * _HEX_DIGEST:
        raise Unreadable("digest")
    return Block(references, raws, hex_digests)


def sqlite_blocks(session: Session, audit_id: int, keys: Sequence[str], *, digests: bool,
                  progress: ProgressCallback | None,
                  cancelled: CancelCheck | None) -> Generator[Block, None, None]:
    """The audit's live cases, a block of ids at a time, read as joined strings.

    While this thread works on one block (splits it, makes its draw keys), a second thread
    has the database read the next (SQLite lets go of Python's lock while it works). Only
    that thread touches the connection until the block is in; leaving the `with` (also
    when the caller stops early) waits for it.
    """
    low, high = _id_range(session)
    sql = _block_sql(keys, digests, _scan_whole_table(session, audit_id, high))
    dbapi_connection = session.connection().connection.dbapi_connection
    assert dbapi_connection is not None

    def read_block(start: int) -> tuple[Any, ...]:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql, (audit_id, start, start + _BLOCK - 1))
            return tuple(cursor.fetchone() or ())
        finally:
            cursor.close()

    starts = list(range(low, high + 1, _BLOCK))
    distinct: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-scope") as reader:
        pending = reader.submit(read_block, starts[0]) if starts else None
        for index, start in enumerate(starts):
            assert pending is not None
            row = pending.result()
            pending = reader.submit(read_block, starts[index + 1]) \
                if index + 1 < len(starts) else None
            block = _split_block(row, keys, digests, distinct)
            if block is not None:
                yield block
            report(progress, min(start + _BLOCK, high + 1) - low, high + 1 - low)
            check_cancelled(cancelled)


def _digest_of(row: Sequence[Any]) -> str:
    # A case written outside the app's own writers may lack its digest: make it here.
    return str(row[1] or reference_digest(row[0]))


def row_blocks(session: Session, audit_id: int, keys: Sequence[str], *, digests: bool,
               progress: ProgressCallback | None,
               cancelled: CancelCheck | None) -> Generator[Block, None, None]:
    """The audit's live cases through the driver's cursor (no ORM objects)."""
    statement = select(CaseRecord.reference, CaseRecord.reference_digest,
                       *(getattr(CaseRecord, k) for k in keys)).where(
        _audit_filter(session, audit_id), CaseRecord.removed.is_(False))
    connection = session.connection()
    sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    done = 0
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_FETCH_CHUNK):
            yield Block([r[0] for r in rows], [tuple(r[2:]) for r in rows] if keys else [],
                        "".join(map(_digest_of, rows)) if digests else "")
            done += len(rows)
            report(progress, done, done)
            check_cancelled(cancelled)
    finally:
        cursor.close()
