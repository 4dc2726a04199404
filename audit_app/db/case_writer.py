"""Writing an import's checked cases in bulk, merging with the cases already stored.

No ORM object per row: new cases go in as plain tuples through the driver's own
executemany (SQLAlchemy's per-value type processing would double the import time) and
changed ones with bulk updates by primary key. A case is matched by its crime reference;
cases missing from the new extract are marked `removed` (never deleted: they may be in
the sample, with reviews hanging off them). The policy (when removals need the user's
say-so, what the change log says) is the import service's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from audit_app.core.case_fields import FIELD_KEYS, FIELDS_BY_KEY, FieldKind
from audit_app.core.draw_rule2 import reference_digest
from audit_app.core.import_validation import ParsedCase
from audit_app.db.models import (
    AnswerRecord,
    CaseRecord,
    ReviewRecord,
    SampleDrawRecord,
    SampleItemRecord,
)

CHUNK_ROWS = 5000
_FIELD_COLUMNS = [getattr(CaseRecord, key) for key in FIELD_KEYS]
# One value list serves both statements: the case's own columns, then audit_id (insert) or id.
_CASE_COLUMNS = ("import_id", "source_row", "removed", *FIELD_KEYS, "reference_digest", "extra")
_DATE_POSITIONS = tuple(3 + position for position, key in enumerate(FIELD_KEYS)
                        if FIELDS_BY_KEY[key].kind is FieldKind.DATE)
_EMPTY_EXTRA = "{}"  # most extracts map every column they have
# The C string encoder json.dumps itself ends in: `extra` is a flat map of text to text,
# so the encoder json.dumps sets up on every call (a fifth of a row's writing) is not needed.
_quote = json.encoder.encode_basestring_ascii


def encode_extra(extra: dict[str, str]) -> str:
    """`extra` as JSON text, as json.dumps would write it (compactly)."""
    if not extra:
        return _EMPTY_EXTRA
    try:
        return "{" + ",".join([f"{_quote(key)}:{_quote(value)}"
                               for key, value in extra.items()]) + "}"
    except TypeError:  # not text after all: the general encoder
        return json.dumps(extra, separators=(",", ":"))


def _marks(is_sqlite: bool, paramstyle: str) -> tuple[str, str]:
    """The driver's placeholder, and the one for the JSON column."""
    mark = "?" if paramstyle == "qmark" else "%s"
    return mark, mark if is_sqlite else f"CAST({mark} AS JSON)"


def _insert_sql(is_sqlite: bool, paramstyle: str) -> str:
    mark, json_mark = _marks(is_sqlite, paramstyle)
    marks = [mark] * (len(_CASE_COLUMNS) - 1) + [json_mark, mark]
    return (f"INSERT INTO {CaseRecord.__tablename__} ({', '.join(_CASE_COLUMNS)}, audit_id) "
            f"VALUES ({', '.join(marks)})")


def _update_sql(is_sqlite: bool, paramstyle: str) -> str:
    mark, json_mark = _marks(is_sqlite, paramstyle)
    assignments = [f"{column} = {mark}" for column in _CASE_COLUMNS[:-1]] + [f"extra = {json_mark}"]
    return f"UPDATE {CaseRecord.__tablename__} SET {', '.join(assignments)} WHERE id = {mark}"


@dataclass(frozen=True)
class MergeCounts:
    added: int
    changed: int
    unchanged: int
    removed: int


@dataclass(frozen=True)
class StoredCase:
    id: int
    removed: bool
    signature: tuple[Any, ...]


def _signature(fields: dict[str, object], extra: dict[str, str]) -> tuple[Any, ...]:
    return (*(fields[key] for key in FIELD_KEYS), extra)


class CaseStore:
    """Collects valid cases during the single pass over the file and writes them in chunks."""

    def __init__(self, session: Session, *, audit_id: int, import_id: int) -> None:
        self._session = session
        self._audit_id = audit_id
        self._import_id = import_id
        self._stored = self._load_stored()
        self._seen: set[str] = set()
        dialect = session.get_bind().dialect
        # SQLite keeps dates as ISO text (as SQLAlchemy's Date type does); PostgreSQL takes dates.
        self._dates_as_text = dialect.name == "sqlite"
        self._insert_sql = _insert_sql(self._dates_as_text, dialect.paramstyle)
        self._update_sql = _update_sql(self._dates_as_text, dialect.paramstyle)
        self._inserts: list[tuple[object, ...]] = []
        self._updates: list[tuple[object, ...]] = []
        self._discarded = False
        self.added = self.changed = self.unchanged = 0

    def _load_stored(self) -> dict[str, StoredCase]:
        query = select(CaseRecord.id, CaseRecord.reference, CaseRecord.removed, *_FIELD_COLUMNS,
                       CaseRecord.extra).where(CaseRecord.audit_id == self._audit_id)
        stored = {}
        for row in self._session.execute(query):
            fields = dict(zip(FIELD_KEYS, row[3:-1], strict=True))
            stored[row.reference] = StoredCase(row.id, bool(row.removed),
                                               _signature(fields, dict(row.extra or {})))
        return stored

    def add(self, case: ParsedCase) -> None:
        if self._discarded:
            return
        reference = case.reference
        self._seen.add(reference)
        stored = self._stored.get(reference)
        if stored is not None:
            if not stored.removed and stored.signature == _signature(case.fields, case.extra):
                self.unchanged += 1
                return
            self.changed += 1
            self._updates.append((*self._case_values(case), stored.id))
            if len(self._updates) >= CHUNK_ROWS:
                self._flush()
            return
        self.added += 1
        self._inserts.append((*self._case_values(case), self._audit_id))
        if len(self._inserts) >= CHUNK_ROWS:
            self._flush()

    def _case_values(self, case: ParsedCase) -> list[object]:
        """The values for `_CASE_COLUMNS`, as the driver takes them."""
        fields = case.fields
        values = [self._import_id, case.row, False, *map(fields.__getitem__, FIELD_KEYS),
                  reference_digest(case.reference), encode_extra(case.extra)]
        if self._dates_as_text:
            for position in _DATE_POSITIONS:
                date = values[position]
                if date is not None and isinstance(date, dt.date):
                    values[position] = date.isoformat()
        return values

    def discard(self) -> None:
        """Stop writing: the import will be rolled back, so spare the database the work."""
        self._discarded = True
        self._inserts.clear()
        self._updates.clear()

    def _flush(self) -> None:
        if self._inserts:
            self._session.connection().exec_driver_sql(self._insert_sql, self._inserts)
            self._inserts = []
        if self._updates:
            self._session.connection().exec_driver_sql(self._update_sql, self._updates)
            self._updates = []

    def gone(self, keep_references: Set[str]) -> list[StoredCase]:
        """Live stored cases this import did not see (`keep_references` aside)."""
        return [stored for reference, stored in self._stored.items()
                if not stored.removed and reference not in self._seen
                and reference not in keep_references]

    def live_population(self) -> int:
        return sum(1 for stored in self._stored.values() if not stored.removed)

    def sampled_case_ids(self) -> set[int]:
        """Cases in the audit's current sample draw."""
        return set(self._session.scalars(
            select(SampleItemRecord.case_id).join(SampleDrawRecord).where(
                SampleDrawRecord.audit_id == self._audit_id, SampleDrawRecord.is_current.is_(True))))

    def scored_case_ids(self) -> set[int]:
        """Cases with at least one answer from any reviewer or the panel."""
        return set(self._session.scalars(
            select(ReviewRecord.case_id).join(AnswerRecord).where(
                ReviewRecord.audit_id == self._audit_id).distinct()))

    def write_pending_and_remove(self, gone: list[StoredCase]) -> None:
        """Write what is pending, then mark the `gone` cases removed."""
        self._flush()
        for start in range(0, len(gone), CHUNK_ROWS):
            self._session.execute(update(CaseRecord), [
                {"id": stored.id, "removed": True} for stored in gone[start:start + CHUNK_ROWS]])
