"""The condition builder: pick-lists instead of typed expressions.

Rows of (field, test, values) joined by "all of" or "any of". What it produces is the
expression text `core.expressions` reads (`expression()`), so nothing below the screen
changes. An existing expression is read back into rows; one the rows cannot show (a
bracket, a "not") stays in the advanced box, which "Advanced: edit as an expression"
opens at any time. A field's values, and the live count of cases matched, are read off
the GUI thread; a newer change replaces an older count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY
from audit_app.core.condition_rows import (
    ConditionRows,
    Join,
    NotRows,
    expression_to_rows,
    rows_to_expression,
)
from audit_app.core.errors import Cancelled, UserError
from audit_app.core.expressions import compile_condition, describe_condition
from audit_app.core.progress import CancelCheck
from audit_app.services.field_values import ConditionCount, FieldValue
from audit_app.ui.condition_row import ConditionRowWidget, RowsArea
from audit_app.ui.errors import report_error
from audit_app.ui.operations import QueryOp
from audit_app.ui.tasks import BackgroundTask

# field -> its values, read off the GUI thread (from a population or a vocabulary)
ValuesLoader = Callable[[str, CancelCheck], list[FieldValue]]
# expression -> cases it matches, of how many
CaseCounter = Callable[[str, CancelCheck], ConditionCount]

_LABELS = {field.key: field.label for field in CASE_FIELDS}
_JOIN_LABELS = {Join.ALL: "Cases that match all of these", Join.ANY: "Cases that match any of these"}


class ConditionBuilder(QWidget):
    """`changed` when the expression changes; `count_ready` when the live count is shown;
    `values_ready(field)` when a field's values have arrived."""

    changed = Signal()
    count_ready = Signal()
    values_ready = Signal(str)

    def __init__(self, name: str, *, values: ValuesLoader, count: CaseCounter | None = None,
                 empty_text: str = "Every case.", understood_text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._load_values = values
        self._count = count
        self._empty_text = empty_text
        self._understood_text = understood_text  # said of a valid condition when none is counted
        self._values: dict[str, list[FieldValue]] = {}
        self._loading: set[str] = set()
        self._writing = False  # the rows are writing the expression: do not read it back
        self._note = ""  # why the expression is kept as text, when it is
        self._count_task: BackgroundTask | None = None
        self._count_round = 0
        self.rows: list[ConditionRowWidget] = []

        self.join_combo = QComboBox()
        self.join_combo.setAccessibleName(f"{name}: match all or any")
        for join, label in _JOIN_LABELS.items():
            self.join_combo.addItem(label, join.value)
        self.add_button = QPushButton("Add a condition")
        self.add_button.setAccessibleName(f"{name}: add a condition")
        self.advanced = QCheckBox("Advanced: edit as an expression")
        self.advanced.setAccessibleName(f"{name}: edit as an expression")
        self.expression_edit = QLineEdit()
        self.expression_edit.setAccessibleName(f"{name} as an expression")
        self.expression_edit.setPlaceholderText("e.g. outcome_code in (15, 16) and risk_level == 'high'")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(f"{name}: cases matched")
        self.setFocusProxy(self.join_combo)
        self._rows_area = RowsArea()
        self._rows_box = self._rows_area.rows_box
        top = QHBoxLayout()
        top.addWidget(self.join_combo, 1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self._rows_area)
        layout.addWidget(self.advanced)
        layout.addWidget(self.expression_edit)
        layout.addWidget(self.status)
        layout.addStretch(1)  # spare room goes below the count, which stays by the rows
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(300)
        self._count_timer.timeout.connect(self.refresh_count)

        self.add_button.clicked.connect(lambda: self.add_row().field_combo.setFocus())
        self.join_combo.currentIndexChanged.connect(self._rows_changed)
        self.advanced.toggled.connect(self._advanced_toggled)
        self.expression_edit.textChanged.connect(self._expression_changed)
        self._show_mode()
        self._after_change()

    # --- reading and writing --------------------------------------------------------

    def expression(self) -> str:
        return self.expression_edit.text().strip()

    def set_expression(self, text: str) -> None:
        """Show an existing expression: as rows if it can be, else in the advanced box."""
        self._set_advanced(False)  # a new expression is shown as rows if it can be
        self._note = ""
        self._writing = True
        try:
            self.expression_edit.setText(text)
        finally:
            self._writing = False
        self.expression_edit.setCursorPosition(0)  # a long rule shows its beginning
        self._read_into_rows(text.strip())
        self._after_change()

    def condition_rows(self) -> ConditionRows:
        """The complete rows (a row still missing its field or values is left out)."""
        join = Join(str(self.join_combo.currentData()))
        complete = tuple(row for row in (w.row() for w in self.rows) if row is not None)
        return ConditionRows(complete, join)

    def _rows_changed(self) -> None:
        if self.advanced.isChecked():
            return
        try:
            text = rows_to_expression(self.condition_rows())
        except UserError as error:  # a value no expression can hold
            self.status.setText(f"⚠ {error.message}")
            return
        self._writing = True
        try:
            self.expression_edit.setText(text)
        finally:
            self._writing = False
        self._after_change()

    def _expression_changed(self) -> None:
        if self._writing:
            return
        if not self.advanced.isChecked():
            self._read_into_rows(self.expression())
        self._after_change()

    def _read_into_rows(self, text: str) -> bool:
        """Rebuild the rows from the expression; False (and the advanced box) if it cannot."""
        try:
            condition = expression_to_rows(text)
        except NotRows as why:
            self._set_advanced(True)
            self._note = f"This condition cannot be shown as pick-lists ({why.reason.lower()}), " \
                         "so it is kept as an expression."
            return False
        except UserError:
            self._set_advanced(True)  # the count line says what is wrong
            return False
        self._clear_rows()
        self.join_combo.blockSignals(True)
        self.join_combo.setCurrentIndex(self.join_combo.findData(condition.join.value))
        self.join_combo.blockSignals(False)
        for row in condition.rows:
            widget = self.add_row()
            widget.set_row(row)
            self._want_values(row.field)
        return True

    # --- rows -------------------------------------------------------------------------

    def add_row(self) -> ConditionRowWidget:
        widget = ConditionRowWidget()
        number = len(self.rows) + 1
        for part, name in ((widget.field_combo, "field"), (widget.test_combo, "test"),
                           (widget.picker, "values"), (widget.date_edit, "date"),
                           (widget.number_edit, "number")):
            part.setAccessibleName(f"{self._name}: condition {number} {name}")
        widget.changed.connect(self._rows_changed)
        widget.field_chosen.connect(self._want_values)
        widget.remove_requested.connect(lambda: self._remove_row(widget))
        self.rows.append(widget)
        self._rows_box.addWidget(widget)
        self._rows_area.updateGeometry()
        return widget

    def _remove_row(self, widget: ConditionRowWidget) -> None:
        self.rows.remove(widget)
        widget.setParent(None)
        widget.deleteLater()
        self._rows_area.updateGeometry()
        self._rows_changed()

    def _clear_rows(self) -> None:
        for widget in self.rows:
            widget.setParent(None)
            widget.deleteLater()
        self.rows = []
        self._rows_area.updateGeometry()

    def _want_values(self, field: str) -> None:
        if field in self._values:
            self._give_values(field)
            return
        if field in self._loading:
            return
        self._loading.add(field)
        load = self._load_values
        QueryOp(self, lambda control: load(field, control.cancelled),
                lambda values: self._values_loaded(field, values)).failure(
            lambda error: self._values_failed(field, error)).run()

    def _values_loaded(self, field: str, values: list[FieldValue]) -> None:
        self._loading.discard(field)
        self._values[field] = values
        self._give_values(field)

    def _values_failed(self, field: str, error: BaseException) -> None:
        self._loading.discard(field)
        if isinstance(error, UserError):
            self.status.setText(f"⚠ {error.message}")
        else:
            report_error(self, error)

    def _give_values(self, field: str) -> None:
        for widget in self.rows:
            widget.show_values(field, self._values[field])
        self.values_ready.emit(field)

    # --- the advanced box ---------------------------------------------------------------

    def _set_advanced(self, on: bool) -> None:
        self.advanced.blockSignals(True)
        self.advanced.setChecked(on)
        self.advanced.blockSignals(False)
        self._show_mode()

    def _advanced_toggled(self, on: bool) -> None:
        if on:
            self._show_mode()
            self.expression_edit.setFocus()
            return
        self._read_into_rows(self.expression())  # if it cannot, it stays; the note says why
        self._after_change()

    def _show_mode(self) -> None:
        advanced = self.advanced.isChecked()
        self.expression_edit.setVisible(advanced)
        self.join_combo.setVisible(not advanced)
        self.add_button.setVisible(not advanced)
        self._rows_area.setVisible(not advanced)
        for widget in self.rows:
            widget.setVisible(not advanced)

    # --- the count ----------------------------------------------------------------------

    def _after_change(self) -> None:
        if not self.advanced.isChecked():
            self._note = ""
        self._show_mode()
        self.changed.emit()
        self._count_round += 1
        self._stop_count()
        problem = self.problem()
        if problem:
            self._show_status(f"⚠ {problem}")
            self.count_ready.emit()
        elif self.unfinished():
            self._show_status("Choose a field and the values for each condition, or remove it.")
            self.count_ready.emit()
        elif not self.expression():
            self._show_status(self._empty_text)
            self.count_ready.emit()
        elif self._count is None:
            self._show_status(" ".join(p for p in (self._reading(), self._understood_text) if p))
            self.count_ready.emit()
        else:
            self._show_status(" ".join((self._reading(), "Counting the cases it matches…")))
            self._count_timer.start()

    def problem(self) -> str:
        """What is wrong with the expression, in plain words ("" if nothing)."""
        try:
            compile_condition(self.expression(), fields=set(FIELDS_BY_KEY))
        except UserError as error:
            return error.message
        return ""

    def unfinished(self) -> bool:
        """A row still lacks its field or values (it is left out of the expression)."""
        return not self.advanced.isChecked() and any(w.row() is None for w in self.rows)

    def _reading(self) -> str:
        """The typed expression in plain words, so its author sees what it will do."""
        if not self.advanced.isChecked() or not self.expression():
            return ""
        return f"It reads: {describe_condition(self.expression(), _LABELS)}."

    def _show_status(self, text: str) -> None:
        self.status.setText(" ".join(part for part in (self._note, text) if part))

    @property
    def count_pending(self) -> bool:
        return self._count_timer.isActive() or self._count_task is not None

    def refresh_count(self) -> None:
        """Count the cases the expression matches, in the background."""
        self._count_timer.stop()
        self._stop_count()
        if self._count is None or not self.expression() or self.problem():
            return
        count, text, this_round = self._count, self.expression(), self._count_round
        self._count_task = QueryOp(
            self, lambda control: count(text, control.cancelled),
            lambda result: self._counted(this_round, result)).failure(
            lambda error: self._count_failed(this_round, error)).run()

    def _stop_count(self) -> None:
        self._count_timer.stop()
        if self._count_task is not None:
            self._count_task.cancel()
            self._count_task = None

    def _counted(self, this_round: int, result: ConditionCount) -> None:
        if this_round != self._count_round:
            return
        self._count_task = None
        cases = "case" if result.population == 1 else "cases"
        self._show_status(" ".join(part for part in (
            self._reading(), f"Matches {result.matching:,} of {result.population:,} {cases}.")
            if part))
        self.count_ready.emit()

    def _count_failed(self, this_round: int, error: Any) -> None:
        if isinstance(error, Cancelled) or this_round != self._count_round:
            return
        self._count_task = None
        if isinstance(error, UserError):
            self._show_status(f"⚠ {error.message}")
        else:
            report_error(self, error)
        self.count_ready.emit()

    def stop(self) -> None:
        """The dialog is closing: no more counting."""
        self._stop_count()
