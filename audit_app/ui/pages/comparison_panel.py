"""The Findings page's comparison with an earlier audit: choose one under "Compare with…",
and each criterion both audits share shows last time's rate, this time's, the change with
its 95% Newcombe interval and whether it is significant.

The audit list and the comparison are read in the background (`ui.tasks`); a newer choice
makes an older answer stale, and a stale answer is dropped when it arrives.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.comparison import RateDifference
from audit_app.core.errors import Cancelled
from audit_app.core.statistics import Compliance
from audit_app.services.audits import list_audits
from audit_app.services.comparison import AuditComparison, ComparisonRow, compare_audits
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.errors import report_error
from audit_app.ui.models.row_table import Column
from audit_app.ui.pages.tables import sortable_table
from audit_app.ui.tasks import BackgroundTask, start_task

# A background read: given progress and cancel callables, it names what it read and returns it.
Read = Callable[[Callable[[int, int], None], Callable[[], bool]], tuple[str, Any]]

CHOOSE = "Compare with…"
METHOD_NOTE = ("Rates are the share of scored cases fully met. Each change has a 95% Newcombe "
               "interval over cases and is significant where the interval leaves out zero. "
               "The pooled change's interval is case-clustered: answers within a case are "
               "not independent.")
SIGNIFICANT_COLOUR = "#e3efe6"
NOT_COMPARED_LINES = 3  # the list scrolls beyond this, so the table keeps its room


def not_compared_html(comparison: AuditComparison) -> str:
    """The earlier criteria a framework's new version split or changed, each with the
    question the earlier audit asked and why it is not compared; "" when there are none."""
    if not comparison.not_compared:
        return ""
    questions = dict(comparison.earlier_questions)
    count = len(comparison.not_compared)
    items = []
    for code, why in comparison.not_compared:
        question = " ".join(questions.get(code, "").split())
        asked = f" \u201c{html.escape(question)}\u201d" if question else ""
        items.append(f"<li><b>{html.escape(code)}</b>{asked} {html.escape(why)}</li>")
    heading = (f"Not compared: {count} earlier criteri{'on' if count == 1 else 'a'}, "
               "changed in the framework's new version")
    return (f"<p style=\"margin: 0\"><b>{heading}</b></p>"
            f"<ul style=\"margin: 0; -qt-list-indent: 1\">{''.join(items)}</ul>")


def points(value: float) -> str:
    rounded = round(value * 100)
    return f"{rounded:+d} pts" if rounded else "0 pts"


def _rate(compliance: Compliance) -> str:
    if compliance.rate is None:
        return "—"
    return f"{compliance.rate:.0%} of {compliance.denominator}"


def _rate_key(compliance: Compliance) -> float:
    return -1.0 if compliance.rate is None else compliance.rate


def _change(change: RateDifference | None) -> str:
    return "—" if change is None else points(change.difference)


def _interval(change: RateDifference | None) -> str:
    return "—" if change is None else f"{points(change.low)} to {points(change.high)}"


def _significant(change: RateDifference | None) -> str:
    return "—" if change is None else "Yes" if change.significant else "No"


COMPARISON_COLUMNS: list[Column[ComparisonRow]] = [
    Column("Code", lambda r: r.criterion_code),
    Column("Question", lambda r: r.question),
    Column("Last time", lambda r: _rate(r.before), lambda r: _rate_key(r.before), True,
           "Fully met, of the earlier audit's scored cases"),
    Column("This time", lambda r: _rate(r.now), lambda r: _rate_key(r.now), True,
           "Fully met, of this audit's scored cases"),
    Column("Change", lambda r: _change(r.difference),
           lambda r: r.difference.difference if r.difference else -2.0, True,
           "This time minus last time, in percentage points"),
    Column("95% interval", lambda r: _interval(r.difference),
           tooltip="Newcombe hybrid score interval for the change, over cases"),
    Column("Significant", lambda r: _significant(r.difference),
           tooltip="Yes where the 95% interval leaves out zero",
           highlight=lambda r: SIGNIFICANT_COLOUR if r.difference and r.difference.significant
           else None),
]


class ComparisonPanel(QWidget):
    """Shows nothing until an earlier audit is chosen; `comparison` holds what is shown."""

    comparison_shown = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id: int | None = None
        self._round = 0  # bumped by each new request; older answers are dropped
        self._task: BackgroundTask | None = None
        self.comparison: AuditComparison | None = None

        self.audit_choice = QComboBox()
        self.audit_choice.setAccessibleName("Compare with an earlier audit")
        self.audit_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.audit_choice.setMinimumContentsLength(28)
        self.audit_choice.currentIndexChanged.connect(self._choice_changed)
        self.status = QLabel("")
        self.status.setObjectName("statusText")
        top = QHBoxLayout()
        top.addWidget(self.audit_choice, 3)
        top.addWidget(self.status, 1)

        self.notice = QLabel("Choose an earlier audit to compare each criterion with it.")
        self.notice.setObjectName("pageSubtitle")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model, self.proxy, self.table = sortable_table(
            COMPARISON_COLUMNS, "Comparison with an earlier audit", self, stretch_column=1)
        self.not_compared = QTextBrowser()
        self.not_compared.setAccessibleName("Earlier criteria not compared")
        self.not_compared.setFrameShape(QFrame.Shape.NoFrame)
        self.not_compared.document().setDocumentMargin(2)
        # A fixed height: the table (which scrolls) gives way, never this list.
        self.not_compared.setFixedHeight(
            self.not_compared.fontMetrics().lineSpacing() * NOT_COMPARED_LINES + 8)
        self.not_compared.hide()
        self.method_note = QLabel(METHOD_NOTE)
        self.method_note.setObjectName("pageSubtitle")
        self.method_note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.not_compared)
        layout.addWidget(self.method_note)

    def set_audit(self, audit_id: int | None) -> None:
        self._audit_id = audit_id
        self._show(None)
        self._fill_choices([])
        if audit_id is not None:
            self._start(lambda _progress, _cancelled: ("audits", list_audits(self._db)))

    def showEvent(self, event: object) -> None:
        # Audits may have been added since the list was read; refresh it while none is chosen.
        if self._audit_id is not None and self.audit_choice.currentData() is None:
            self._start(lambda _progress, _cancelled: ("audits", list_audits(self._db)))
        super().showEvent(event)  # type: ignore[arg-type]

    def _stop(self) -> None:
        """Whatever is still being read is no longer wanted."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._round += 1
        self.status.setText("")

    def _start(self, work: Read) -> None:
        self._stop()
        this_round = self._round

        def run(progress: Callable[[int, int], None], cancelled: Callable[[], bool]
                ) -> tuple[int, tuple[str, Any]]:
            return this_round, work(progress, cancelled)

        self._task = start_task(run, on_finished=self._arrived, on_failed=self._failed)

    def _fill_choices(self, audits: list[AuditSummary]) -> None:
        self.audit_choice.blockSignals(True)
        self.audit_choice.clear()
        self.audit_choice.addItem(CHOOSE, None)
        for audit in sorted(audits, key=lambda a: a.created_at, reverse=True):
            if audit.id != self._audit_id:
                self.audit_choice.addItem(
                    f"{audit.name} (audit {audit.id}, started {audit.created_at:%d %b %Y})",
                    audit.id)
        self.audit_choice.blockSignals(False)
        self.audit_choice.setEnabled(self.audit_choice.count() > 1)
        if self.audit_choice.count() == 1 and self._audit_id is not None and audits:
            self.notice.setText("There is no other audit to compare with yet.")

    def _choice_changed(self, _index: int) -> None:
        earlier_id = self.audit_choice.currentData()
        if earlier_id is None or self._audit_id is None:
            self._stop()
            self._show(None)
            return
        audit_id = self._audit_id
        self.status.setText("Comparing…")
        self._start(lambda progress, cancelled: ("comparison", compare_audits(
            self._db, audit_id=audit_id, earlier_audit_id=earlier_id, progress=progress,
            cancelled=cancelled)))

    def _arrived(self, result: object) -> None:
        assert isinstance(result, tuple)
        this_round, (kind, value) = result
        if this_round != self._round:
            return  # a newer choice is on its way
        self._task = None
        self.status.setText("")
        if kind == "audits":
            self._fill_choices(value)
        else:
            self._show(value)

    def _failed(self, error: object) -> None:
        if isinstance(error, Cancelled):
            return
        self._task = None
        self.status.setText("")
        assert isinstance(error, BaseException)
        report_error(self, error)

    def _show(self, comparison: AuditComparison | None) -> None:
        self.comparison = comparison
        self.model.set_rows(comparison.rows if comparison is not None else [])
        listed = not_compared_html(comparison) if comparison is not None else ""
        self.not_compared.setHtml(listed)
        self.not_compared.setVisible(bool(listed))
        if comparison is not None:
            self.notice.setText(comparison.notice + (
                "\n" + comparison.overall.sentence if comparison.overall else ""))
            self.comparison_shown.emit()
        else:
            self.notice.setText("Choose an earlier audit to compare each criterion with it.")
