"""One row of the condition builder: a field, a test, and the values it tests for.

The values are a checkable list in a drop-down (with a box to find a value, or to add one
the list does not hold); "is before" and "is at least" take one date or number; "is
blank" takes nothing. Where a row is too narrow for all three on one line (150% scaling,
a narrow dialog) the values go on a second line under the field, so neither is cut to a
few letters; a field name still too long is cut with an ellipsis and said whole in its
tooltip, and its list opens wide enough to read every name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY
from audit_app.core.condition_rows import ROW_FIELDS, ConditionRow, RowTest, row_tests_for
from audit_app.services.field_values import FieldValue
from audit_app.ui.value_picker import ValuePicker

# Below these (in average characters) a field name or the values picked read poorly, so
# the row puts the values on a line of their own rather than squeeze either.
_FIELD_CHARACTERS = 22
_VALUES_CHARACTERS = 22


class ElidingComboBox(QComboBox):
    """A combo box that cuts a choice too long for it with an ellipsis (its tooltip says
    it whole) and opens a list wide enough to read every choice."""

    def shown_text(self) -> str:
        """The text as drawn: the current choice (or the placeholder), cut to fit."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text = option.currentText or (self.placeholderText() if self.currentIndex() < 0 else "")
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self)
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room.width())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        if self.currentIndex() < 0 and self.placeholderText():  # as QComboBox draws it
            option.palette.setBrush(QPalette.ColorRole.ButtonText,
                                    option.palette.placeholderText())
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def showPopup(self) -> None:
        widest = max((self.fontMetrics().horizontalAdvance(self.itemText(i))
                      for i in range(self.count())), default=0)
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.view().setMinimumWidth(widest + scroll_bar + 24)  # room for the item's margins
        super().showPopup()


class ConditionRowWidget(QWidget):
    """Field, test and values; `changed` when any of them moves, `field_chosen` to load
    the field's values, `remove_requested` from its Remove button."""

    changed = Signal()
    field_chosen = Signal(str)
    remove_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.field_combo = ElidingComboBox()
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
        characters = self.fontMetrics().averageCharWidth()
        for widget in (self.field_combo, self.values):
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            widget.setMinimumWidth(characters * 8)
        # The test's words are short and must be read whole: its width is its longest.
        self.test_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for test in RowTest:
            self.test_combo.addItem(test.value)
        self.test_combo.setMinimumWidth(self.test_combo.sizeHint().width())
        self.test_combo.clear()
        self.test_combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        spacing = max(0, self._grid.horizontalSpacing())
        # The narrowest row that still reads well on one line (else the values wrap).
        self._one_line_width = (
            characters * (_FIELD_CHARACTERS + _VALUES_CHARACTERS) + 2 * 30  # combo chrome
            + self.test_combo.minimumWidth() + self.remove_button.sizeHint().width()
            + 3 * spacing)
        self._two_lines: bool | None = None
        self._arrange(two_lines=False)
        self.field_combo.currentIndexChanged.connect(self._field_changed)
        self.test_combo.currentIndexChanged.connect(self._test_changed)
        self.picker.picked.connect(self.changed)
        self.date_edit.dateChanged.connect(self.changed)
        self.number_edit.valueChanged.connect(self.changed)
        self.remove_button.clicked.connect(self.remove_requested)
        self._test_changed()

    @property
    def two_lines(self) -> bool:
        """The values sit on a line of their own, under the field."""
        return bool(self._two_lines)

    def _arrange(self, *, two_lines: bool) -> None:
        """One line (field, test, values, remove) or two (field, test, remove; then the
        values under the field and test)."""
        if two_lines == self._two_lines:
            return
        self._two_lines = two_lines
        for widget in (self.field_combo, self.test_combo, self.values, self.remove_button):
            self._grid.removeWidget(widget)
        if two_lines:
            self._grid.addWidget(self.field_combo, 0, 0)
            self._grid.addWidget(self.test_combo, 0, 1)
            self._grid.addWidget(self.remove_button, 0, 2)
            self._grid.addWidget(self.values, 1, 0, 1, 2)
            stretches = (1, 0, 0, 0)
        else:
            self._grid.addWidget(self.field_combo, 0, 0)
            self._grid.addWidget(self.test_combo, 0, 1)
            self._grid.addWidget(self.values, 0, 2)
            self._grid.addWidget(self.remove_button, 0, 3)
            stretches = (1, 0, 1, 0)
        for column, stretch in enumerate(stretches):
            self._grid.setColumnStretch(column, stretch)
        # A gap under a two-line row keeps it apart from the next one.
        self._grid.setContentsMargins(0, 0, 0, self.fontMetrics().height() // 2 if two_lines else 0)
        self._show_values_line()
        self.updateGeometry()

    def _show_values_line(self) -> None:
        """A test that takes no value ("is blank") leaves no empty second line."""
        takes_nothing = self.values.currentIndex() == self.values.count() - 1
        self.values.setVisible(not (self._two_lines and takes_nothing))

    def resizeEvent(self, event: Any) -> None:
        self._arrange(two_lines=event.size().width() < self._one_line_width)
        super().resizeEvent(event)

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
        self._show_values_line()
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
    rows up to that, and never squeezed below the first few (a form short of room gives
    it that much, or scrolls, rather than show a sliver of one row)."""

    _MOST_ROWS_SHOWN = 6
    _FEWEST_ROWS_SHOWN = 3

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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A row added, removed or wrapped onto two lines: the area's height follows.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def _height_of(self, most: int) -> int:
        items = (self.rows_box.itemAt(i) for i in range(self.rows_box.count()))
        rows = [widget for item in items if item is not None
                for widget in (item.widget(),) if widget is not None]
        spacing = max(0, self.rows_box.spacing())
        return sum(w.sizeHint().height() + spacing for w in rows[:most])

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height_of(self._MOST_ROWS_SHOWN))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._height_of(self._FEWEST_ROWS_SHOWN))
