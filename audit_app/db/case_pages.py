"""The population, a page at a time, by last key: the keyset query behind the Population page.

A page starts after the (sort value, case id) of the previous page's last row, so page
200 costs what page 1 costs; OFFSET would read and throw away every row before it.
Rows come back as plain tuples of the columns asked for, not ORM objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Date, Integer, String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from audit_app.core.case_fields import FIELD_KEYS
from audit_app.db.models import CaseRecord

# The text fields the search box looks in.
SEARCHED = ("reference", "offence_description", "area", "team", "officer", "risk_level")

# The table itself, not the mapped class: a Core query skips the ORM's per-row work.
CASES = CaseRecord.__table__

# (sort value, case id) of the last row shown: the next page starts after it.
SortKey = tuple[Any, int]


def _column(key: str) -> ColumnElement[Any]:
    if key not in FIELD_KEYS:
        raise ValueError(f"not a case field: {key}")
    return CASES.c[key]


def _as_stored(key: str) -> ColumnElement[Any]:
    """The column as the database holds it: dates and flags skip SQLAlchemy's conversion,
    which would otherwise run on every value of every page, shown or not."""
    column = _column(key)
    if isinstance(column.type, Date):
        return type_coerce(column, String)
    if isinstance(column.type, Boolean):
        return type_coerce(column, Integer)
    return column


def _stored_date(value: Any) -> Any:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _stored_flag(value: Any) -> Any:
    return bool(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _unchanged(value: Any) -> Any:
    return value


def reader(key: str) -> Callable[[Any], Any]:
    """Turns a value of `key` as `page_rows` returns it into its Python type (a date, a bool)."""
    column_type = _column(key).type
    if isinstance(column_type, Date):
        return _stored_date
    if isinstance(column_type, Boolean):
        return _stored_flag
    return _unchanged


def matching(audit_id: int, search: str, *, audit_index: bool = True) -> ColumnElement[bool]:
    """The cases of the audit, not removed, whose searched fields hold `search`."""
    # `audit_id + 0` keeps the database off the audit index (see `count_matching`).
    in_audit = CASES.c.audit_id if audit_index else CASES.c.audit_id + 0
    condition = and_(in_audit == audit_id, CASES.c.removed.is_(False))
    if search.strip():
        pattern = f"%{search.strip()}%"
        condition = and_(condition, or_(*(_column(key).ilike(pattern) for key in SEARCHED)))
    return condition


def _after(column: ColumnElement[Any], key: SortKey, descending: bool) -> ColumnElement[bool]:
    """Rows after `key` in the order (column, nulls first when ascending; id ascending)."""
    value, case_id = key
    later_id = CASES.c.id > case_id
    if value is None:
        # Nulls come first going up and last going down; among them, by id.
        same = and_(column.is_(None), later_id)
        return same if descending else or_(same, column.is_not(None))
    beyond = column < value if descending else column > value
    ties = and_(column == value, later_id)
    return or_(beyond, ties, column.is_(None)) if descending else or_(beyond, ties)


def count_matching(session: Session, audit_id: int, search: str) -> int:
    # Off the audit index: reading every row in file order is about five times quicker
    # than 100,000 jumps from the index to the rows, which alone hold `removed` and the text.
    condition = matching(audit_id, search, audit_index=False)
    return int(session.scalar(select(func.count(CASES.c.id)).where(condition)) or 0)


def page_rows(session: Session, *, audit_id: int, search: str, order_by: str, descending: bool,
              after: SortKey | None, limit: int, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Up to `limit` rows after `after`, each (case id, sort value, *columns), in order.

    Values are as stored: pass a date or a flag through `reader(key)` before use.
    """
    sort = _column(order_by)
    condition = matching(audit_id, search)
    if after is not None:
        condition = and_(condition, _after(sort, after, descending))
    # Spelled out so SQLite and PostgreSQL agree on where the empty values go.
    order = sort.desc().nulls_last() if descending else sort.asc().nulls_first()
    query = (select(CASES.c.id, _as_stored(order_by), *(_as_stored(key) for key in columns))
             .where(condition).order_by(order, CASES.c.id.asc()).limit(limit))
    return [tuple(row) for row in session.execute(query).all()]

