"""One row of the condition builder: a field, a test, and the values it tests for.

The values are a checkable list in a drop-down (with a box to find a value, or to add one
the list does not hold); "is before" and "is at least" take one date or number; "is
blank" takes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY, FieldKind
from audit_app.core.condition_rows import ROW_FIELDS, ConditionRow, RowTest, row_tests_for, value_label
from audit_app.services.field_values import FieldValue

_VALUE = Qt.ItemDataRole.UserRole


def _typed_entry(field: str, text: str) -> Any:
    """A value typed into the find box, as the field holds it (a number for outcome codes)."""
    text = text.strip()
    if FIELDS_BY_KEY[field].kind is FieldKind.INTEGER:
        try:
            return int(text)
        except ValueError:
            return None
    return text or None


class ValuePicker(QPushButton):
    """A button that opens a checkable list of a field's values; it shows what is picked."""

    picked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("text-align: left")  # reads like the combo boxes beside it
        self.setAccessibleName("Values")
        self.field = ""
        self._chosen: list[Any] = []  # in the order picked, so an unchanged rule reads the same
        panel = QWidget()
        self.find_edit = QLineEdit()
        self.find_edit.setAccessibleName("Find a value")
        self.find_edit.setPlaceholderText("Find a value, or type one and press Enter")
        self.find_edit.textChanged.connect(self._filter)
        self.find_edit.returnPressed.connect(self._add_typed)
        self.list = QListWidget()
        self.list.setAccessibleName("Values to pick")
        self.list.setMinimumSize(420, 240)
        self.list.itemChanged.connect(self._item_changed)
        box = QVBoxLayout(panel)
        box.addWidget(self.find_edit)
        box.addWidget(self.list)
        action = QWidgetAction(self)
        action.setDefaultWidget(panel)
        menu = QMenu(self)
        menu.addAction(action)
        menu.aboutToShow.connect(self.find_edit.setFocus)
        self.setMenu(menu)
        self._show_summary()

    def set_values(self, field: str, values: list[FieldValue], chosen: tuple[Any, ...]) -> None:
        """Fill the list; values already chosen but not in it are listed too, ticked."""
        self.field = field
        self._chosen = list(chosen)
        self.list.blockSignals(True)
        self.list.clear()
        listed = set()
        for value in values:
            self._add_item(value.value, value.text)
            listed.add(value.value)
        for value in chosen:
            if value not in listed:
                self._add_item(value, value_label(field, value))
        self.list.blockSignals(False)
        widest = max((self.list.fontMetrics().horizontalAdvance(self.list.item(row).text())
                      for row in range(self.list.count())), default=0)
        self.list.setMinimumWidth(min(max(420, widest + 60), 760))
        self._show_summary()

    def _add_item(self, value: Any, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(_VALUE, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if value in self._chosen
                           else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def chosen(self) -> tuple[Any, ...]:
        return tuple(self._chosen)

    def check(self, value: Any, checked: bool = True) -> None:
        """Tick (or untick) a listed value, as a click would."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(_VALUE) == value:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _item_changed(self, item: QListWidgetItem) -> None:
        value = item.data(_VALUE)
        if item.checkState() == Qt.CheckState.Checked and value not in self._chosen:
            self._chosen.append(value)
        elif item.checkState() != Qt.CheckState.Checked and value in self._chosen:
            self._chosen.remove(value)
        self._show_summary()
        self.picked.emit()

    def _filter(self, text: str) -> None:
        wanted = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(wanted) and wanted not in item.text().lower())

    def _add_typed(self) -> None:
        value = _typed_entry(self.field, self.find_edit.text()) if self.field else None
        if value is None:
            return
        for row in range(self.list.count()):
            if self.list.item(row).data(_VALUE) == value:
                self.list.item(row).setCheckState(Qt.CheckState.Checked)
                break
        else:
            self._add_item(value, value_label(self.field, value)).setCheckState(
                Qt.CheckState.Checked)
        self.find_edit.clear()

    def _show_summary(self) -> None:
        labels = [value_label(self.field, v) for v in self._chosen] if self.field else []
        if not labels:
            text = "Choose values…"
        elif len(labels) == 1:
            text = labels[0]
        else:
            text = f"{len(labels)} values: {', '.join(labels)}"
        self.setToolTip("\n".join(labels) or "Pick the values to test for")
        width = max(120, self.width() - 40)  # room for the drop-down arrow
        self.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._show_summary()


class ConditionRowWidget(QWidget):
    """Field, test and values; `changed` when any of them moves, `field_chosen` to load
    the field's values, `remove_requested` from its Remove button."""

    changed = Signal()
    field_chosen = Signal(str)
    remove_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.field_combo = QComboBox()
        self.field_combo.setAccessibleName("Field")
        self.field_combo.setPlaceholderText("Choose a field…")
        for field in CASE_FIELDS:
            if field.key in ROW_FIELDS:
                self.field_combo.addItem(field.label, field.key)
        self.field_combo.setCurrentIndex(-1)
        self.test_combo = QComboBox()
        self.test_combo.setAccessibleName("Test")
        self.picker = ValuePicker()
        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName("Date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setDate(QDate.currentDate())
        self.number_edit = QSpinBox()
        self.number_edit.setAccessibleName("Number")
        self.number_edit.setRange(-999_999, 999_999_999)
        self.values = QStackedWidget()
        for widget in (self.picker, self.date_edit, self.number_edit, QWidget()):
            self.values.addWidget(widget)
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setToolTip("Remove this condition")
        self.remove_button.setAccessibleName("Remove this condition")
        # Columns share the width by fixed proportions, whatever their text, so that the
        # rows line up under one another and fit a narrow dialog.
        for widget in (self.field_combo, self.values):
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            widget.setMinimumWidth(self.fontMetrics().averageCharWidth() * 8)
        # The test's words are short and must be read whole: its width is its longest.
        self.test_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for test in RowTest:
            self.test_combo.addItem(test.value)
        self.test_combo.setMinimumWidth(self.test_combo.sizeHint().width())
        self.test_combo.clear()
        self.test_combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field_combo, 4)
        layout.addWidget(self.test_combo)
        layout.addWidget(self.values, 3)
        layout.addWidget(self.remove_button)
        self.field_combo.currentIndexChanged.connect(self._field_changed)
        self.test_combo.currentIndexChanged.connect(self._test_changed)
        self.picker.picked.connect(self.changed)
        self.date_edit.dateChanged.connect(self.changed)
        self.number_edit.valueChanged.connect(self.changed)
        self.remove_button.clicked.connect(self.remove_requested)
        self._test_changed()

    @property
    def field(self) -> str:
        data = self.field_combo.currentData()
        return str(data) if data else ""

    @property
    def test(self) -> RowTest | None:
        data = self.test_combo.currentData()
        return RowTest(data) if data else None

    def _field_changed(self) -> None:
        self.field_combo.setToolTip(self.field_combo.currentText())  # in case it is cut short
        self.test_combo.blockSignals(True)
        self.test_combo.clear()
        if self.field:
            for test in row_tests_for(FIELDS_BY_KEY[self.field].kind):
                self.test_combo.addItem(test.value, test.value)
        self.test_combo.blockSignals(False)
        self.picker.set_values(self.field, [], ())
        self._test_changed()
        if self.field:
            self.field_chosen.emit(self.field)

    def _test_changed(self) -> None:
        test = self.test
        page = 3
        if test is not None and test.takes_values:
            page = 0
        elif test in (RowTest.BEFORE, RowTest.AFTER):
            page = 1
        elif test in (RowTest.AT_LEAST, RowTest.AT_MOST):
            page = 2
        self.values.setCurrentIndex(page)
        self.changed.emit()

    def show_values(self, field: str, values: list[FieldValue]) -> None:
        """The field's values arrived (from the population or its vocabulary)."""
        if field == self.field:
            self.picker.set_values(field, values, self.picker.chosen())

    def set_row(self, row: ConditionRow) -> None:
        """Show a row read from an expression, without announcing a change."""
        self.blockSignals(True)
        self.field_combo.setCurrentIndex(self.field_combo.findData(row.field))
        self.test_combo.setCurrentIndex(self.test_combo.findData(row.test.value))
        if row.test.takes_values:
            self.picker.set_values(row.field, [], row.values)
        elif row.test in (RowTest.BEFORE, RowTest.AFTER):
            day = row.values[0]
            self.date_edit.setDate(QDate(day.year, day.month, day.day))
        elif row.test.takes_one_value:
            self.number_edit.setValue(int(row.values[0]))
        self.blockSignals(False)

    def row(self) -> ConditionRow | None:
        """The row as picked, or None while it is incomplete (no field, or no values)."""
        test = self.test
        if not self.field or test is None:
            return None
        if test.takes_values:
            chosen = self.picker.chosen()
            return ConditionRow(self.field, test, chosen) if chosen else None
        if test in (RowTest.BEFORE, RowTest.AFTER):
            day = self.date_edit.date()
            return ConditionRow(self.field, test, (dt.date(day.year(), day.month(), day.day()),))
        if test.takes_one_value:
            return ConditionRow(self.field, test, (self.number_edit.value(),))
        return ConditionRow(self.field, test)


class RowsArea(QScrollArea):
    """The rows, scrolling past a few so the builder fits a small screen; as tall as its
    rows up to that."""

    _MOST_ROWS_SHOWN = 6

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The page shows through below the rows.
        self.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder.setAutoFillBackground(False)
        self.rows_box = QVBoxLayout()
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        outer = QVBoxLayout(holder)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.rows_box)
        outer.addStretch(1)  # rows sit at the top of any spare room
        self.setWidget(holder)

    def sizeHint(self) -> QSize:
        items = (self.rows_box.itemAt(i) for i in range(self.rows_box.count()))
        rows = [widget for item in items if item is not None
                for widget in (item.widget(),) if widget is not None]
        row_height = max((w.sizeHint().height() for w in rows), default=0)
        shown = min(len(rows), self._MOST_ROWS_SHOWN)
        spacing = max(0, self.rows_box.spacing())
        return QSize(super().sizeHint().width(), shown * (row_height + spacing))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)
