"""RAG status on the Findings page: the panel's thresholds, the dialog that sets them, and
the Status column of the criteria table.

The status is always a word (Green, Amber, Red) with a light fill behind it, never colour
alone, so a colour-blind reader loses nothing. Thresholds may change on a closed audit
too: they change how figures are shown, never the figures (see services.thresholds).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.errors import UserError
from audit_app.core.findings import CriterionFinding
from audit_app.core.thresholds import AMBER, GREEN, RED, Thresholds
from audit_app.services.database import Database
from audit_app.services.thresholds import get_thresholds, set_thresholds
from audit_app.ui.errors import report_error
from audit_app.ui.models.row_table import Column
from audit_app.ui.operations import ChangeOp, Changes
from audit_app.ui.pages.findings_columns import CRITERIA_COLUMNS

# Light fills behind the status word (Excel's good / neutral / bad colours).
STATUS_FILLS = {GREEN: "#c6efce", AMBER: "#ffeb9c", RED: "#ffc7ce"}
STATUS_ORDER = {RED: 0, AMBER: 1, GREEN: 2}


def criteria_columns(thresholds: Callable[[], Thresholds]) -> list[Column[CriterionFinding]]:
    """The criteria table's columns with Status after the interval; `thresholds()` gives
    the thresholds of the findings on screen."""
    def status(row: CriterionFinding) -> str:
        return thresholds().status(row.compliance.rate) or "—"

    column: Column[CriterionFinding] = Column(
        "Status", status, lambda row: STATUS_ORDER.get(status(row), -1),
        tooltip="Against the panel's thresholds, on the rate itself (the point estimate)",
        highlight=lambda row: STATUS_FILLS.get(status(row)))
    titles = [c.title for c in CRITERIA_COLUMNS]
    at = titles.index("95% interval") + 1
    return [*CRITERIA_COLUMNS[:at], column, *CRITERIA_COLUMNS[at:]]


class ThresholdsDialog(QDialog):
    """Two spin boxes in plain words; OK only while Amber starts below Green."""

    def __init__(self, thresholds: Thresholds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thresholds")
        self.green = QSpinBox()
        self.green.setRange(1, 100)
        self.green.setSuffix("%")
        self.green.setValue(thresholds.green_from)
        self.green.setAccessibleName("Green (good) from")
        self.amber = QSpinBox()
        self.amber.setRange(0, 99)
        self.amber.setSuffix("%")
        self.amber.setValue(thresholds.amber_from)
        self.amber.setAccessibleName("Amber from")
        intro = QLabel("A compliance rate at or above Green is good; from Amber up to Green "
                       "is Amber; below Amber is Red. Each rate itself is compared, so read "
                       "it beside its 95% interval.")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Green (good) from", self.green)
        form.addRow("Amber from", self.amber)
        self.problem = QLabel("")
        self.problem.setObjectName("fieldError")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.green.valueChanged.connect(self._check)
        self.amber.valueChanged.connect(self._check)
        self.setMinimumWidth(380)
        self._check()

    def chosen(self) -> tuple[int, int]:
        return self.green.value(), self.amber.value()

    def _check(self) -> None:
        good = self.amber.value() < self.green.value()
        self.problem.setText("" if good else "Amber must start below Green.")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(good)


class ThresholdsControl(QWidget):
    """'Green from 90% · Amber from 75%' and a Thresholds… button; a save announces
    `Changes(thresholds=True)`, and the Findings page redraws from that."""

    def __init__(self, db: Database, audit_id: Callable[[], int | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id = audit_id
        self.summary = QLabel("")
        self.summary.setObjectName("pageSubtitle")
        self.button = QPushButton("Thresholds…")
        self.button.setAccessibleName("Set the Green and Amber thresholds")
        self.button.setToolTip("Set the compliance rates the panel calls Green and Amber")
        self.button.clicked.connect(self.edit)
        self.dialog: ThresholdsDialog | None = None  # open while editing (tests reach it)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.button)

    def show_thresholds(self, thresholds: Thresholds) -> None:
        self.summary.setText(f"Green from {thresholds.green_from}% · Amber from "
                             f"{thresholds.amber_from}% · below is Red")
        self.summary.setToolTip(thresholds.describe())

    def edit(self) -> None:
        audit_id = self._audit_id()
        if audit_id is None:
            return
        try:
            self.dialog = ThresholdsDialog(get_thresholds(self._db, audit_id=audit_id), self)
            if self.dialog.exec() != QDialog.DialogCode.Accepted:
                return
            green, amber = self.dialog.chosen()
        except UserError as error:
            report_error(self, error)
            return
        finally:
            self.dialog = None
        db = self._db
        ChangeOp(self, lambda _control: set_thresholds(db, audit_id=audit_id, green_from=green,
                                                        amber_from=amber),
                 Changes(audit_id=audit_id, thresholds=True)).success(self.show_thresholds).run()
