"""The Draw sample dialog: gathers the draw's parameters; the page runs the draw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.errors import Cancelled, UserError
from audit_app.core.progress import CancelCheck
from audit_app.core.sampling import ALLOCATION_LABELS, METHOD_LABELS, SampleMethod, new_seed
from audit_app.services.field_values import vocabulary_values
from audit_app.ui.condition_builder import CaseCounter, ConditionBuilder, ValuesLoader
from audit_app.ui.errors import report_error
from audit_app.ui.pages.sample_size_panel import SampleSizePanel
from audit_app.ui.tasks import BackgroundTask, start_task

# Fields that make sensible strata: categories, not free text, names or dates.
STRATA_CHOICES = ("outcome_code", "risk_level", "area", "team", "victim_supports", "offence_code",
                  "marac_referral", "arrested", "cps_referral", "da_flag")


class _LineWhenSaid(QLabel):
    """A line that takes no room while it has nothing to say (a problem, a count under way)."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


def _condition_tab(explanation: str, builder: ConditionBuilder, *below: QWidget) -> QWidget:
    tab = QWidget()
    layout = QVBoxLayout(tab)
    words = QLabel(explanation)
    words.setWordWrap(True)
    layout.addWidget(words)
    layout.addWidget(builder, 1)
    for widget in below:
        layout.addWidget(widget)
    return tab


@dataclass(frozen=True)
class DrawRequest:
    size: int
    method: str
    strata_fields: tuple[str, ...]
    allocation: str
    seed: int
    where: str
    include_always: str = ""
    exclude_reviewed: bool = False


# (stratum, cases in scope, cases it would get) for a request, before drawing; it reads
# the whole population, so it runs off the GUI thread and stops when asked.
StrataPreview = Callable[[DrawRequest, CancelCheck], list[tuple[str, int, int]]]


class DrawSampleDialog(QDialog):
    """Size, method, strata, allocation, seed and an optional filter."""

    preview_ready = Signal()  # the table shows the latest choices (or why it cannot)

    def __init__(self, population_size: int, parent: QWidget | None = None, *,
                 preview: StrataPreview | None = None, field_values: ValuesLoader | None = None,
                 count_matching: CaseCounter | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Draw sample")
        self.resize(960, 600)  # showEvent shrinks it to a smaller screen
        self.request: DrawRequest | None = None
        self._preview = preview
        self._preview_task: BackgroundTask | None = None
        self._preview_round = 0  # only the latest round's answer is shown

        self.size_spin = QSpinBox()
        self.size_spin.setAccessibleName("Sample size")
        self.size_spin.setRange(1, max(1, population_size))
        self.size_spin.setValue(min(40, max(1, population_size)))
        self.size_spin.setSuffix(f"  of {population_size:,} cases")

        self.method_combo = QComboBox()
        self.method_combo.setAccessibleName("Sampling method")
        for method, label in METHOD_LABELS.items():
            self.method_combo.addItem(label, method.value)

        self.strata_list = QListWidget()
        self.strata_list.setAccessibleName("Stratify by")
        self.strata_list.setMaximumHeight(170)
        for key in STRATA_CHOICES:
            item = QListWidgetItem(FIELDS_BY_KEY[key].label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.strata_list.addItem(item)

        self.allocation_combo = QComboBox()
        self.allocation_combo.setAccessibleName("Allocation")
        for allocation, label in ALLOCATION_LABELS.items():
            self.allocation_combo.addItem(label, allocation.value)

        self.seed_edit = QLineEdit(str(new_seed()))
        self.seed_edit.setAccessibleName("Seed")
        self.seed_edit.setToolTip("The same seed and population always give the same sample.")
        self.generate_button = QPushButton("Generate")
        self.generate_button.setAccessibleName("Generate a new seed")
        self.generate_button.clicked.connect(lambda: self.seed_edit.setText(str(new_seed())))
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed_edit, 1)
        seed_row.addWidget(self.generate_button)

        # Which cases the sample is drawn from, and which it must hold: picked from lists of
        # the population's own values (the expression stays as an advanced option).
        values = field_values or (lambda field, _cancelled: vocabulary_values(field))
        self.scope_builder = ConditionBuilder(
            "Which cases", values=values, count=count_matching,
            empty_text="Every case in the population (add a condition to narrow it).")
        self.always_builder = ConditionBuilder(
            "Always include", values=values, count=count_matching,
            empty_text="No case has to be in the sample (add a condition to make sure some are).")
        self.where_edit = self.scope_builder.expression_edit
        self.always_edit = self.always_builder.expression_edit
        self.exclude_reviewed = QCheckBox("Leave out cases already reviewed in earlier audits")

        self.problem_label = _LineWhenSaid("")
        self.problem_label.setObjectName("problem")
        self.problem_label.setWordWrap(True)

        self.calculator = SampleSizePanel(population_size)
        # The calculator keeps its natural height (taller when its words wrap in a narrow
        # dialog); the strata preview takes the rest.
        self.calculator.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.calculator.use_size.connect(self.size_spin.setValue)
        # Muted like a hint, without a hint's wide padding, which clips wrapped words when
        # the dialog is narrow (150% text on a laptop).
        self.calculator.buys.setObjectName("note")
        self.setStyleSheet("QLabel#note { color: #5b6873; }")
        self.calculator.set_chosen_size(self.size_spin.value())
        self.size_spin.valueChanged.connect(self.calculator.set_chosen_size)
        self.preview_table = QTableWidget(0, 3)
        self.preview_table.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.preview_table.setAccessibleName("Strata preview")
        self.preview_table.setHorizontalHeaderLabels(["Stratum", "In scope", "Would draw"])
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.preview_table.verticalHeader().setVisible(False)
        # It scrolls: on a small screen (150% text) it gives way to the calculator above it.
        self.preview_table.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.preview_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview_status = _LineWhenSaid("")
        self.preview_status.setObjectName("note")
        self.preview_status.setAccessibleName("Strata preview status")
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(300)
        self._preview_timer.timeout.connect(self.refresh_preview)

        sample_tab = QWidget()
        form = QFormLayout()
        sample_column = QVBoxLayout(sample_tab)
        sample_column.addLayout(form)
        sample_column.addStretch(1)  # spare height below the form, not between its rows
        form.addRow("Sample &size:", self.size_spin)
        form.addRow("&Method:", self.method_combo)
        form.addRow("Stratify &by:", self.strata_list)
        form.addRow("&Allocation:", self.allocation_combo)
        seed_label = QLabel("S&eed:")  # a label beside a row of widgets needs its buddy named
        seed_label.setBuddy(self.seed_edit)
        form.addRow(seed_label, seed_row)
        # Three tabs, so that each part of the draw has the dialog's height on a small screen.
        self.conditions = QTabWidget()
        self.conditions.setAccessibleName("The draw")
        self.conditions.addTab(sample_tab, "Size and method")
        self.conditions.addTab(_condition_tab(
            "Only cases that match are drawn from. With no condition, every case is.",
            self.scope_builder, self.exclude_reviewed), "Which cases")
        self.conditions.addTab(_condition_tab(
            "Cases that match are always in the sample, and count towards its size.",
            self.always_builder), "Always include")
        for index, builder in ((1, self.scope_builder), (2, self.always_builder)):
            builder.changed.connect(lambda i=index, b=builder: self._name_tab(i, b))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Draw sample")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(self.calculator)
        side.addWidget(QLabel("Before drawing: cases in scope and the sample per stratum"))
        side.addWidget(self.preview_table, 1)
        side.addWidget(self.preview_status)
        columns = QHBoxLayout()
        columns.addWidget(self.conditions, 3)
        columns.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self._method_changed()
        for changed in (self.size_spin.valueChanged, self.method_combo.currentIndexChanged,
                        self.allocation_combo.currentIndexChanged, self.strata_list.itemChanged,
                        self.scope_builder.changed, self.always_builder.changed,
                        self.exclude_reviewed.toggled):
            changed.connect(self._preview_timer.start)
        self.refresh_preview()

    @property
    def preview_pending(self) -> bool:
        return self._preview_task is not None

    def refresh_preview(self) -> None:
        """Population vs sample per stratum for the current choices, before drawing.

        The choices are checked at once; the counting (a read of every case in scope) runs
        in the background, and a newer change stops an older count.
        """
        self._preview_timer.stop()  # this count takes the place of one waiting to start
        self._stop_preview()
        self._preview_round += 1
        if self._preview is None:
            self.preview_table.setRowCount(0)
            return
        try:
            request = self._build_request()
        except UserError as error:
            self._show_preview_problem(error.message)
            return
        self.problem_label.setText("")
        self.preview_status.setText("Counting the cases in each stratum…")
        preview, this_round = self._preview, self._preview_round
        self._preview_task = start_task(
            lambda _progress, cancelled: (this_round, preview(request, cancelled)),
            on_finished=self._preview_counted, on_failed=self._preview_failed)

    def _stop_preview(self) -> None:
        if self._preview_task is not None:
            self._preview_task.cancel()
            self._preview_task = None

    def _show_preview_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.preview_status.setText("")
        self.preview_table.setRowCount(0)
        self.preview_ready.emit()

    def _preview_failed(self, error: object) -> None:
        if isinstance(error, Cancelled):
            return  # a newer count took its place, or the dialog closed
        self._preview_task = None
        if isinstance(error, UserError):
            self._show_preview_problem(error.message)
        else:
            assert isinstance(error, BaseException)
            self.preview_status.setText("")
            report_error(self, error)
            self.preview_ready.emit()

    def _preview_counted(self, result: object) -> None:
        assert isinstance(result, tuple)
        this_round, rows = result
        if this_round != self._preview_round:
            return
        self._preview_task = None
        self.preview_status.setText("")
        self._fill_preview(rows)
        self.preview_ready.emit()

    def _fill_preview(self, rows: list[tuple[str, int, int]]) -> None:
        self.preview_table.setRowCount(len(rows))
        for index, (name, in_scope, drawn) in enumerate(rows):
            for column, text in enumerate((name or "All cases", f"{in_scope:,}", str(drawn))):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.preview_table.setItem(index, column, item)
        self.preview_table.resizeColumnsToContents()

    def _name_tab(self, index: int, builder: ConditionBuilder) -> None:
        """A tab's title says how many conditions it holds, seen from the other tabs."""
        name = ("", "Which cases", "Always include")[index]
        conditions = len(builder.condition_rows().rows) if not builder.advanced.isChecked() \
            else int(bool(builder.expression()))
        self.conditions.setTabText(index, f"{name} ({conditions})" if conditions else name)

    def _method_changed(self) -> None:
        stratified = self.method_combo.currentData() == SampleMethod.STRATIFIED.value
        self.strata_list.setEnabled(stratified)
        self.allocation_combo.setEnabled(stratified)

    def set_method(self, method: str) -> None:
        self.method_combo.setCurrentIndex(self.method_combo.findData(method))

    def check_strata(self, keys: tuple[str, ...]) -> None:
        for row in range(self.strata_list.count()):
            item = self.strata_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in keys
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_strata(self) -> tuple[str, ...]:
        return tuple(
            str(self.strata_list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.strata_list.count())
            if self.strata_list.item(row).checkState() == Qt.CheckState.Checked)

    def _build_request(self) -> DrawRequest:
        seed_text = self.seed_edit.text().strip()
        if not seed_text.isdigit() or int(seed_text) <= 0:
            raise UserError("The seed must be a whole number, e.g. 48213. Press Generate for a new one.")
        method = str(self.method_combo.currentData())
        strata = self.checked_strata() if method == SampleMethod.STRATIFIED.value else ()
        if method == SampleMethod.STRATIFIED.value and not strata:
            raise UserError("Tick at least one field to stratify by.")
        for name, builder in (("which cases", self.scope_builder),
                              ("always include", self.always_builder)):
            if builder.problem():
                raise UserError(builder.problem())
            if builder.unfinished():
                raise UserError(f"Under “{name.capitalize()}”, choose a field and the values "
                                "for each condition, or remove it.")
        where, always = self.scope_builder.expression(), self.always_builder.expression()
        return DrawRequest(size=self.size_spin.value(), method=method, strata_fields=strata,
                           allocation=str(self.allocation_combo.currentData()),
                           seed=int(seed_text), where=where, include_always=always,
                           exclude_reviewed=self.exclude_reviewed.isChecked())

    def accept(self) -> None:
        try:
            self.request = self._build_request()
        except UserError as error:
            self.problem_label.setText(error.message)
            return
        self._stop_preview()
        super().accept()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None and (self.width() > screen.width() or
                                   self.height() > screen.height()):
            self.resize(min(self.width(), screen.width() - 20),
                        min(self.height(), screen.height() - 40))

    def done(self, result: int) -> None:
        self._preview_timer.stop()
        self.scope_builder.stop()
        self.always_builder.stop()
        self._stop_preview()
        super().done(result)
