"""The population table: pages of cases fetched from the database as the user scrolls.

100,000 rows never load at once: `canFetchMore`/`fetchMore` ask `list_cases` for the
next page, and sorting or searching goes back to the database with `order_by`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from audit_app.core.case_fields import CASE_FIELDS
from audit_app.services.cases import count_cases, list_cases
from audit_app.services.database import Database
from audit_app.services.records import CaseRow
from audit_app.ui.models.formatting import display_value

AnyIndex = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 500
CASE_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class CaseTableModel(QAbstractTableModel):
    """Cases of one audit, one column per canonical field, loaded a page at a time."""

    def __init__(self, db: Database, parent: Any = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._db = db
        self._page_size = page_size
        self._fields = CASE_FIELDS
        self._audit_id: int | None = None
        self._search = ""
        self._order_by = "reference"
        self._descending = False
        self._rows: list[CaseRow] = []
        self._total = 0

    # --- what to show ---------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many cases match, whether or not they are loaded yet."""
        return self._total

    @property
    def loaded(self) -> int:
        return len(self._rows)

    def set_audit(self, audit_id: int | None) -> None:
        self._audit_id = audit_id
        self.reload()

    def set_search(self, text: str) -> None:
        if text.strip() != self._search:
            self._search = text.strip()
            self.reload()

    def reload(self) -> None:
        """Start again from the first page (after an import, a search or a sort)."""
        self.beginResetModel()
        self._rows = []
        if self._audit_id is None:
            self._total = 0
        else:
            self._total = count_cases(self._db, audit_id=self._audit_id, search=self._search or None)
            self._rows = self._page(0)
        self.endResetModel()

    def _page(self, offset: int) -> list[CaseRow]:
        assert self._audit_id is not None
        return list_cases(self._db, audit_id=self._audit_id, offset=offset, limit=self._page_size,
                          search=self._search or None, order_by=self._order_by,
                          descending=self._descending)

    def case_at(self, row: int) -> CaseRow:
        return self._rows[row]

    # --- lazy loading ---------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._audit_id is None:
            return
        page = self._page(len(self._rows))
        if not page:
            self._total = len(self._rows)  # the population shrank under us
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # --- QAbstractTableModel --------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._fields)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        case = self._rows[index.row()]
        field = self._fields[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = case.reference if field.key == "reference" else case.fields.get(field.key)
            return display_value(field.key, value)
        if role == CASE_ROW_ROLE:
            return case
        return None

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
        self._order_by = self._fields[column].key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
