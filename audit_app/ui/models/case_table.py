"""The population table: pages of cases fetched from the database as the user scrolls.

100,000 rows never sit in memory at once. `canFetchMore`/`fetchMore` ask `case_page`
for the next page by last key (no OFFSET), holding only the columns on show as plain
tuples. Only the last `pages_kept` pages used stay in memory; each page's starting
key is remembered, so a page scrolled back to comes back with one small query.
Sorting or searching goes back to the database.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from audit_app.core.case_fields import CASE_FIELDS, FIELD_KEYS
from audit_app.services.case_pages import CaseFilter, Page, SortKey, case_page, count_page_cases
from audit_app.services.database import Database
from audit_app.ui.models.formatting import display_value

AnyIndex = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 500
# Each fetch brings as many pages as are loaded already, up to this many: a user going
# to the end of 100,000 cases waits for about 16 fetches and repaints, not 200.
MOST_PAGES_A_FETCH = 16
PAGES_KEPT = MOST_PAGES_A_FETCH + 4
CASE_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ShownCase:
    """One row as the table holds it: the case's id, reference and the loaded columns."""

    id: int
    reference: str
    fields: dict[str, Any]


class CaseTableModel(QAbstractTableModel):
    """Cases of one audit, one column per canonical field, loaded a page at a time."""

    def __init__(self, db: Database, parent: Any = None, *, page_size: int = PAGE_SIZE,
                 pages_kept: int = PAGES_KEPT) -> None:
        super().__init__(parent)
        self._db = db
        self._page_size = page_size
        # Room for the largest fetch and the screen, which can straddle two pages.
        self._pages_kept = max(MOST_PAGES_A_FETCH + 2, pages_kept)
        self._fields = CASE_FIELDS
        self._audit_id: int | None = None
        self._filter = CaseFilter()
        self._columns: tuple[str, ...] = FIELD_KEYS
        self._starts: list[SortKey | None] = []  # the key each page starts after
        self._next_key: SortKey | None = None  # where the page after the last one starts
        self._pages: OrderedDict[int, Page] = OrderedDict()  # least recently used first
        self._loaded = 0
        self._total = 0

    # --- what to show ---------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many cases match, whether or not they are loaded yet."""
        return self._total

    @property
    def loaded(self) -> int:
        """How many rows the table has been given so far (not all of them held in memory)."""
        return self._loaded

    @property
    def pages_held(self) -> int:
        return len(self._pages)

    @property
    def search(self) -> str:
        return self._filter.search

    def set_audit(self, audit_id: int | None) -> None:
        self._audit_id = audit_id
        self.reload()

    def set_search(self, text: str) -> None:
        if text.strip() != self._filter.search:
            self._filter = CaseFilter(text.strip(), self._filter.order_by, self._filter.descending)
            self.reload()

    def set_loaded_columns(self, keys: Iterable[str]) -> None:
        """Load only these fields from now on (the reference always); others show blank."""
        wanted = set(keys) | {"reference"}
        columns = tuple(key for key in FIELD_KEYS if key in wanted)
        if columns == self._columns:
            return
        self._columns = columns
        self._pages.clear()  # the page keys still hold: only the columns differ
        if self._loaded:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._loaded - 1, len(self._fields) - 1))

    def reload(self) -> None:
        """Start again from the first page (after an import, a search or a sort)."""
        self.beginResetModel()
        self._starts, self._next_key, self._loaded = [], None, 0
        self._pages.clear()
        if self._audit_id is None:
            self._total = 0
        else:
            self._total = count_page_cases(self._db, self._audit_id, self._filter)
            fetched = self._fetch(None, 1) if self._total else None
            if fetched is not None and fetched.rows:
                self._add_pages(fetched)
            self._settle_total(fetched, 1)
        self.endResetModel()

    def case_at(self, row: int) -> ShownCase:
        page, offset = self._locate(row)
        if page is None:
            raise IndexError(row)
        values = {key: page.value(offset, i) for i, key in enumerate(page.columns)}
        return ShownCase(id=page.case_id(offset), reference=str(values["reference"]),
                         fields=values)

    # --- pages ----------------------------------------------------------------------

    def _fetch(self, after: SortKey | None, pages: int) -> Page:
        assert self._audit_id is not None
        return case_page(self._db, self._audit_id, self._filter, after, pages * self._page_size,
                         self._columns)

    def _keep(self, number: int, page: Page) -> None:
        self._pages[number] = page
        self._pages.move_to_end(number)
        while len(self._pages) > self._pages_kept:
            self._pages.popitem(last=False)

    def _add_pages(self, fetched: Page) -> None:
        """Take in rows fetched after `_next_key`, cut into pages of the page size."""
        for page in fetched.split(self._page_size):
            self._keep(len(self._starts), page)
            self._starts.append(self._next_key if self._starts else None)
            self._next_key = page.last_key
            self._loaded += len(page.rows)

    def _locate(self, row: int) -> tuple[Page | None, int]:
        """The page holding `row` (fetched again if it was let go) and the row's place in it."""
        if not 0 <= row < self._loaded:
            return None, 0
        number, offset = divmod(row, self._page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(self._starts[number], 1)
        self._keep(number, page)
        return (page, offset) if offset < len(page.rows) else (None, 0)

    # --- lazy loading ---------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._loaded < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._audit_id is None or self._loaded >= self._total:
            return
        pages = max(1, min(MOST_PAGES_A_FETCH, len(self._starts)))
        fetched = self._fetch(self._next_key, pages)
        if fetched.rows:
            first = self._loaded
            self.beginInsertRows(QModelIndex(), first, first + len(fetched.rows) - 1)
            self._add_pages(fetched)
            self.endInsertRows()
        self._settle_total(fetched, pages)

    def _settle_total(self, fetched: Page | None, pages: int) -> None:
        # A short fetch reached the end: the population shrank since it was counted.
        if fetched is not None and len(fetched.rows) < pages * self._page_size:
            self._total = self._loaded

    # --- QAbstractTableModel --------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._fields)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, CASE_ROW_ROLE):
            return None
        if role == CASE_ROW_ROLE:
            return self.case_at(index.row()) if 0 <= index.row() < self._loaded else None
        page, offset = self._locate(index.row())
        if page is None:
            return None
        key = self._fields[index.column()].key
        if key not in page.columns:
            return ""  # a hidden column: not loaded
        return display_value(key, page.value(offset, page.columns.index(key)))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._fields):
            return None
        field = self._fields[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return field.label
        if role == Qt.ItemDataRole.ToolTipRole and field.personal:
            return f"{field.label}: personal data, never sent to partners"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database, so every page arrives in order."""
        if not 0 <= column < len(self._fields):
            return
        self._filter = CaseFilter(self._filter.search, self._fields[column].key,
                                  order == Qt.SortOrder.DescendingOrder)
        self.reload()
