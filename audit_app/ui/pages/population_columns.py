"""Which columns the Population table shows, how wide, and the full text of a cut-off cell.

Seven columns show at first, with Outcome, Risk level and Area next to the reference so a
1280-pixel window shows them without scrolling. The header's context menu (and the
Columns button) ticks columns on and off; the choice is kept in the settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QAction, QFontMetrics, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
)

from audit_app.core.case_fields import CASE_FIELDS, FIELD_KEYS
from audit_app.ui.settings import Setting

# Shown at first, in this order on screen; every other field is one tick away.
DEFAULT_COLUMNS: tuple[str, ...] = ("reference", "outcome_code", "risk_level", "area", "team",
                                    "offence_description", "date_finalised")
SHOWN_COLUMNS: Setting[list[str]] = Setting("population/columns", list(DEFAULT_COLUMNS))

# Room for what these hold; every column is at least as wide as its header and sort arrow.
WIDTHS = {"outcome_code": 260, "offence_description": 200, "area": 130,
          "team": 150, "officer": 150, "supervisor": 150, "court_outcome": 180}
NARROWEST = 90


def shown_columns() -> list[str]:
    """The remembered choice: known fields only, the reference always."""
    keys = [key for key in SHOWN_COLUMNS.read() if key in FIELD_KEYS]
    return ["reference", *[key for key in keys if key != "reference"]]


def remember_columns(keys: Sequence[str]) -> None:
    SHOWN_COLUMNS.write(list(keys))


def arrange(table: QTableView, keys: Sequence[str]) -> None:
    """Show `keys` in that order and hide the rest; set each column's width."""
    header = table.horizontalHeader()
    metrics = QFontMetrics(header.font())
    for logical, field in enumerate(CASE_FIELDS):
        label_width = metrics.horizontalAdvance(field.label) * 11 // 10 + 34
        table.setColumnWidth(logical, max(WIDTHS.get(field.key, NARROWEST), label_width))
        header.setSectionHidden(logical, field.key not in keys)
    order = [*keys, *[key for key in FIELD_KEYS if key not in keys]]
    for visual, key in enumerate(order):
        header.moveSection(header.visualIndex(FIELD_KEYS.index(key)), visual)


def column_menu(parent: QTableView, keys: Sequence[str],
                on_toggle: Callable[[str, bool], None]) -> QMenu:
    """A menu of every field, ticked when shown; the reference cannot be hidden."""
    menu = QMenu("Columns", parent)
    menu.setToolTipsVisible(True)
    for field in CASE_FIELDS:
        action = QAction(field.label, menu)
        action.setCheckable(True)
        action.setChecked(field.key in keys)
        action.setData(field.key)
        if field.key == "reference":
            action.setEnabled(False)
            action.setToolTip("The crime reference always shows")
        action.toggled.connect(lambda on, key=field.key: on_toggle(key, on))
        menu.addAction(action)
    return menu


def toggled(keys: Sequence[str], key: str, on: bool) -> list[str]:
    # A column ticked on goes to the end, where the user will look for it.
    rest = [k for k in keys if k != key]
    return [*rest, key] if on else rest


class FullTextDelegate(QStyledItemDelegate):
    """Shows a cell's whole text as a tooltip, only when the column is too narrow for it."""

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,
                  option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> bool:
        if event is None or event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = str(index.data() or "")
        if text and is_cut_off(text, option, view):
            QToolTip.showText(event.globalPos(), text, view)
        else:
            QToolTip.hideText()
        return True


def is_cut_off(text: str, option: QStyleOptionViewItem, view: QAbstractItemView) -> bool:
    """Whether `text` is wider than its cell leaves room for (after the cell's margins)."""
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return option.fontMetrics.horizontalAdvance(text) + 2 * margin > option.rect.width()


def cell_tooltip(view: QTableView, model: QAbstractItemModel, row: int, column: int) -> str:
    """The tooltip a cell would show: its full text when cut off, else nothing (for tests)."""
    index = model.index(row, column)
    text = str(index.data() or "")
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    option.fontMetrics = view.fontMetrics()
    return text if text and is_cut_off(text, option, view) else ""
