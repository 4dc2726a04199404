"""Read-only table views set up the same way on every page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
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
    return model, proxy, view
