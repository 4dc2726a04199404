"""Reading an audit's in-scope population for a draw, quickly and exactly.

A draw reads every case in scope: a million on a force-wide extract. Two read paths:

* On SQLite the database strings each column of a block of cases together
  (`group_concat`) and Python splits the strings: a few large strings instead of a
  million rows. Values come back as SQL literals (`quote`), so NULL, text and numbers
  stay distinct.
* Elsewhere (PostgreSQL), or if some value holds the separator characters, plain rows
  through the driver.

Either way a case's stratum, whether it is in scope and whether it must always be
included depend only on the values of the few fields the draw names, so they are
worked out once per distinct combination of those values, not once per case. Values are
typed first (a yes/no flag, a date), so a filter and a stratum label mean the same on
every database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from itertools import compress
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.orm import Session

from audit_app.core.case_fields import FIELDS_BY_KEY, FieldKind
from audit_app.core.expressions import Predicate, compile_condition, condition_fields
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.sampling import DrawKeys, Population, stratum_label
from audit_app.db.models import CaseRecord, ReviewRecord

_ROW_SEPARATOR = "\x1e"
_FIELD_SEPARATOR = "\x1f"
_BLOCK = 250_000  # case ids per query: progress and Cancel come between blocks
_FETCH_CHUNK = 50_000


@dataclass(frozen=True)
class Scope:
    """The population a draw is made from, and what the scope rules did to it."""

    population: Population
    always: list[str]  # references that must be in the sample
    excluded_reviewed: int


class _Unreadable(Exception):
    """A value holds a separator character: read this population row by row instead."""


def _typed(kind: FieldKind, value: Any) -> Any:
    """A stored value as the field's own type, whatever the database handed back.

    Empty text counts as not recorded, as it does in a stratum's name.
    """
    if value is None or value == "":
        return None
    if kind is FieldKind.FLAG and isinstance(value, (int, str)) and not isinstance(value, bool):
        return {"1": True, "0": False}.get(str(value), value)
    if kind is FieldKind.INTEGER and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    if kind is FieldKind.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class _Classes(dict[Any, tuple[str, bool, bool]]):
    """Raw values of the fields that matter -> (stratum label, in scope, always include)."""

    def __init__(self, keys: Sequence[str], strata_fields: Sequence[str],
                 decode: Callable[[Any], Sequence[Any]], in_scope: Predicate,
                 certain: Predicate | None) -> None:
        super().__init__()
        self.fields = list(keys)
        self.kinds = [FIELDS_BY_KEY[k].kind for k in keys]
        self.strata_fields = list(strata_fields)
        self.decode = decode
        self.in_scope = in_scope
        self.certain = certain
        # The in-scope answers alone, so a block's mask is one map() over a plain dict.
        self.in_scope_of: dict[Any, bool] = {}

    def __missing__(self, raw: Any) -> tuple[str, bool, bool]:
        values = self.decode(raw)
        if len(values) != len(self.fields):
            raise _Unreadable(raw)
        record = {k: _typed(kind, v) for k, kind, v in zip(self.fields, self.kinds, values,
                                                             strict=True)}
        result = (stratum_label([record[k] for k in self.strata_fields]),
                  bool(self.in_scope(record)),
                  bool(self.certain(record)) if self.certain is not None else False)
        self[raw] = result
        self.in_scope_of[raw] = result[1]
        return result

    def cover(self, raws: Sequence[Any]) -> None:
        """Work out every distinct combination among `raws`, once each."""
        for raw in set(raws):
            if raw not in self:
                self.__missing__(raw)


def _decode_sqlite(raw: str) -> list[str]:
    return raw.split(_FIELD_SEPARATOR)


def _decode_row(raw: tuple[Any, ...]) -> tuple[Any, ...]:
    return raw


def reviewed_elsewhere(session: Session, audit_id: int) -> set[str]:
    """References of cases reviewed in any other audit."""
    rows = session.execute(
        select(CaseRecord.reference).join(ReviewRecord, ReviewRecord.case_id == CaseRecord.id)
        .where(ReviewRecord.audit_id != audit_id).distinct()).scalars()
    return set(rows)


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


def read_scope(session: Session, audit_id: int, *, strata_fields: Sequence[str], where: str,
               include_always: str, exclude_reviewed: bool, seed: int | None = None,
               progress: ProgressCallback | None = None,
               cancelled: CancelCheck | None = None) -> Scope:
    """The in-scope population of the audit, with the always-include cases and exclusions.

    Given the draw's seed, every case's draw key is made as the cases are read.
    """
    fields = set(FIELDS_BY_KEY)
    in_scope = compile_condition(where, fields=fields)
    certain = compile_condition(include_always, fields=fields) if include_always.strip() else None
    needed = condition_fields(where, fields=fields) | condition_fields(include_always, fields=fields)
    keys = list(dict.fromkeys([*strata_fields, *sorted(needed)]))
    excluded = reviewed_elsewhere(session, audit_id) if exclude_reviewed else set()
    filtered = bool(where.strip())
    try:
        if session.get_bind().dialect.name != "sqlite":
            raise _Unreadable("not SQLite")
        found = _Collector(_Classes(keys, strata_fields, _decode_sqlite, in_scope, certain),
                           filtered, seed)
        with closing(_sqlite_blocks(session, audit_id, keys, progress, cancelled)) as blocks:
            for references, raws in blocks:
                found.add(references, raws)
    except _Unreadable:
        found = _Collector(_Classes(keys, strata_fields, _decode_row, in_scope, certain),
                           filtered, seed)
        with closing(_row_blocks(session, audit_id, keys, progress, cancelled)) as blocks:
            for references, raws in blocks:
                found.add(references, raws)
    return _assemble(found, bool(keys), excluded)


class _Collector:
    """The in-scope cases of each block as it arrives: their raw values and draw keys.

    Out-of-scope cases are dropped before their keys are made: a filter that keeps a
    quarter of a million cases saves hashing the other three quarters.
    """

    def __init__(self, classes: _Classes, filtered: bool, seed: int | None) -> None:
        self.classes = classes
        self.filtered = filtered
        self.draw_keys = DrawKeys(seed) if seed is not None else None
        self.references: list[str] = []
        self.raws: list[Any] = []

    def add(self, references: list[str], raws: list[Any]) -> None:
        if raws:
            self.classes.cover(raws)
            if self.filtered:
                keep = list(map(self.classes.in_scope_of.__getitem__, raws))
                if not all(keep):
                    references = list(compress(references, keep))
                    raws = list(compress(raws, keep))
            self.raws += raws
        self.references += references
        if self.draw_keys is not None:
            self.draw_keys.add(references)


def _assemble(found: _Collector, keyed: bool, excluded: set[str]) -> Scope:
    classes, references, raws = found.classes, found.references, found.raws
    strata: list[str] = [""] * len(references)
    if keyed:
        labels = {raw: c[0] for raw, c in classes.items()}
        strata = list(map(labels.__getitem__, raws))
    population = Population(references, strata, found.draw_keys)
    excluded_count = 0
    if excluded:
        keep = [r not in excluded for r in population.references]
        excluded_count = len(keep) - sum(keep)
        population, raws = _kept(population, raws, keep)
    always: list[str] = []
    if keyed and any(c[2] for c in classes.values()):
        certain = {raw: c[2] for raw, c in classes.items()}
        always = list(compress(population.references, map(certain.__getitem__, raws)))
    return Scope(population, always, excluded_count)


def _kept(population: Population, raws: list[Any],
          keep: list[bool]) -> tuple[Population, list[Any]]:
    """The cases (and their raw values) where `keep` is true."""
    kept = Population(list(compress(population.references, keep)),
                      list(compress(population.strata, keep)),
                      population.keys.select(keep) if population.keys is not None else None)
    return kept, list(compress(raws, keep)) if raws else raws


def _id_range(session: Session) -> tuple[int, int]:
    """The ids to read in blocks: the whole table's, found at once (the audit's own are
    scattered through its index, and blocks with none of its cases cost next to nothing)."""
    low = session.scalar(select(func.min(CaseRecord.id)))
    high = session.scalar(select(func.max(CaseRecord.id)))
    return int(low or 0), int(high if high is not None else -1)


def _sqlite_blocks(session: Session, audit_id: int, keys: Sequence[str],
                   progress: ProgressCallback | None,
                   cancelled: CancelCheck | None) -> Generator[tuple[list[str], list[Any]], None, None]:
    """References and raw field values, a block of ids at a time, read as joined strings.

    While this thread works on one block (splits it, makes its draw keys), a second thread
    has the database read the next (SQLite lets go of Python's lock while it works). Only
    that thread touches the connection until the block is in; leaving the `with` (also
    when the caller stops early) waits for it.
    """
    table = cast(Table, CaseRecord.__table__)
    low, high = _id_range(session)
    audit_clause = ("audit_id + 0 = ?" if _scan_whole_table(session, audit_id, high)
                    else "audit_id = ?")
    # Column names come from the model, never from the user. NULL reads as empty text,
    # which means "not recorded" just the same (and quote() would cost a third more).
    # The separators are written into the SQL as characters: char(31) would be a function
    # call for every case, a third of the query's time.
    field, row_end = f"'{_FIELD_SEPARATOR}'", f"'{_ROW_SEPARATOR}'"
    joined = f" || {field} || ".join(f"ifnull({table.c[k].name}, '')" for k in keys)
    columns = f"count(*), group_concat(reference, {row_end})"
    if keys:
        columns += f", group_concat({joined}, {row_end})"
    sql = (f"SELECT {columns} FROM {table.name} WHERE {audit_clause} AND removed = 0 "
           "AND id BETWEEN ? AND ?")
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
            count = int(row[0])
            if count:
                block = row[1].split(_ROW_SEPARATOR)
                if len(block) != count:
                    raise _Unreadable("reference")
                raws: list[Any] = []
                if keys:
                    values = row[2].split(_ROW_SEPARATOR)
                    if len(values) != count:
                        raise _Unreadable("value")
                    # A few dozen distinct values: keep one copy of each, not a million.
                    raws = list(map(distinct.setdefault, values, values))
                yield block, raws
            report(progress, min(start + _BLOCK, high + 1) - low, high + 1 - low)
            check_cancelled(cancelled)


def _row_blocks(session: Session, audit_id: int, keys: Sequence[str],
                progress: ProgressCallback | None,
                cancelled: CancelCheck | None) -> Generator[tuple[list[str], list[Any]], None, None]:
    """References and raw field values through the driver's cursor (no ORM objects)."""
    audit_filter = _audit_filter(session, audit_id)
    statement = select(CaseRecord.reference, *(getattr(CaseRecord, k) for k in keys)).where(
        audit_filter, CaseRecord.removed.is_(False))
    connection = session.connection()
    sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    done = 0
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_FETCH_CHUNK):
            yield [r[0] for r in rows], [tuple(r[1:]) for r in rows] if keys else []
            done += len(rows)
            report(progress, done, done)
            check_cancelled(cancelled)
    finally:
        cursor.close()
