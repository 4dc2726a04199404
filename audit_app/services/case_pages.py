"""Pages of the population for a table that scrolls through 100,000 cases.

`case_page` hands back one page of plain tuples holding only the columns asked for,
and the key the next page starts after (keyset paging, see `db.case_pages`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from audit_app.core.case_fields import FIELD_KEYS
from audit_app.db.case_pages import SortKey, count_matching, page_rows, reader
from audit_app.services.database import Database

__all__ = ["CaseFilter", "Page", "SortKey", "case_page", "count_page_cases"]

# Where each row's values start: a row is (case id, sort value, *columns).
FIRST_VALUE = 2


@dataclass(frozen=True)
class CaseFilter:
    """Which cases, in what order: the search box's text and the sorted column."""

    search: str = ""
    order_by: str = "reference"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.order_by not in FIELD_KEYS:
            raise ValueError(f"not a case field: {self.order_by}")


@dataclass(frozen=True)
class Page:
    """One page of cases: `rows[i]` is (case id, sort value, *values of `columns`)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    # The next page starts after this key; None when the page is empty.
    last_key: SortKey | None
    order_by: str = "reference"

    def case_id(self, row: int) -> int:
        return int(self.rows[row][0])

    def value(self, row: int, column: int) -> Any:
        """The value of `self.columns[column]` in `row`, as a date, a bool, text or a number."""
        return reader(self.columns[column])(self.rows[row][FIRST_VALUE + column])

    def split(self, size: int) -> list[Page]:
        """This page as pages of `size` rows (the last may be shorter), each with its last key."""
        pieces = [self.rows[start:start + size] for start in range(0, len(self.rows), size)]
        return [Page(self.columns, rows, _last_key(rows, self.order_by), self.order_by)
                for rows in pieces]


def _last_key(rows: list[tuple[Any, ...]], order_by: str) -> SortKey | None:
    # The sort value goes back into a query, so it takes its Python type (a date, a bool).
    return (reader(order_by)(rows[-1][1]), int(rows[-1][0])) if rows else None


def count_page_cases(db: Database, audit_id: int, case_filter: CaseFilter) -> int:
    """How many cases the filter lets through (removed cases never count)."""
    with db.reading() as session:
        return count_matching(session, audit_id, case_filter.search)


def case_page(db: Database, audit_id: int, case_filter: CaseFilter, after_key: SortKey | None,
              limit: int, columns: Sequence[str]) -> Page:
    """Up to `limit` cases after `after_key` (None: from the start), in the filter's order.

    Each row holds only `columns` (field keys), so a table showing seven columns never
    loads the other twenty, nor builds an object per case.
    """
    unknown = [key for key in columns if key not in FIELD_KEYS]
    if unknown:
        raise ValueError(f"not case fields: {', '.join(unknown)}")
    if limit < 1:
        raise ValueError("a page holds at least one case")
    with db.reading() as session:
        rows = page_rows(session, audit_id=audit_id, search=case_filter.search,
                         order_by=case_filter.order_by, descending=case_filter.descending,
                         after=after_key, limit=limit, columns=columns)
    return Page(columns=tuple(columns), rows=rows, last_key=_last_key(rows, case_filter.order_by),
                order_by=case_filter.order_by)
