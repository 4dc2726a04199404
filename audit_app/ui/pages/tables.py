"""Read-only table views set up the same way on every page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from audit_app.ui.models.row_table import SORT_ROLE, Column, RowTableModel


def make_table_view(accessible_name: str, parent: QWidget | None = None) -> QTableView:
    table = QTableView(parent)
    table.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move in the table
    table.setAccessibleName(accessible_name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.setWordWrap(False)
    return table


# The fewest average characters a stretched column (a question, a reading) is given.
_STRETCH_FLOOR_CHARACTERS = 24


class StretchFloor(QObject):
    """Keeps a stretched column at least `floor` pixels wide: where the other columns
    leave less (a small screen, 150% scaling) it stops stretching and the table scrolls
    sideways, rather than cut the column to a "…"."""

    def __init__(self, view: QTableView, column: int, floor: int) -> None:
        super().__init__(view)
        self._view, self._column, self.floor = view, column, floor
        view.horizontalHeader().sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)

    def _resized(self, index: int, _old: int, _new: int) -> None:
        if index != self._column:  # another column took or gave back room
            self.refit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.refit()
        return False

    def refit(self) -> None:
        header = self._view.horizontalHeader()
        others = sum(header.sectionSize(i) for i in range(header.count())
                     if i != self._column and not header.isSectionHidden(i))
        stretch = self._view.viewport().width() - others >= self.floor
        mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(self._column) != mode:
            header.setSectionResizeMode(self._column, mode)
        if not stretch and header.sectionSize(self._column) < self.floor:
            header.resizeSection(self._column, self.floor)


def sortable_table(columns: list[Column[Any]], accessible_name: str, parent: QWidget | None = None,
                   *, stretch_column: int | None = None
                   ) -> tuple[RowTableModel[Any], QSortFilterProxyModel, QTableView]:
    """A model, a sorting proxy and a view over it; click a header to sort."""
    model: RowTableModel[Any] = RowTableModel(columns, parent)
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = make_table_view(accessible_name, parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the services' own order until a click
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        StretchFloor(view, stretch_column,
                     view.fontMetrics().averageCharWidth() * _STRETCH_FLOOR_CHARACTERS + 12)
    return model, proxy, view
