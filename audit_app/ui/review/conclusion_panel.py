"""The reviewer's conclusion on a case: verdict, learning, good practice, feedback, urgent flag,
and when and why the victim withdrew (as codes the findings count).

Text is saved on leaving a box and after a short pause while typing; the verdict and the
urgent flag are saved as they change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Verdict
from audit_app.core.audit_rows import ReviewView
from audit_app.ui.review.escalation_fields import CaseRecordFields
from audit_app.ui.review.style import scaled_font
from audit_app.ui.review.withdrawal_fields import WithdrawalFields, withdrawal_pair

TEXT_PAUSE_MS = 800
TEXT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("learning_points", "Learning points", "What should the force learn from this case?"),
    ("good_practice", "Good practice to share", "Anything done well that others should copy"),
    ("feedback", "Feedback to the officer or supervisor", "Specific, constructive feedback"),
)


class ConclusionPanel(QFrame):
    """Emits each edit as (field, old value, new value); shows a saved ReviewView."""

    detail_edited = Signal(str, object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._saved: dict[str, Any] = {}
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        title = QLabel("Conclusion on this case")
        title.setObjectName("sectionTitle")
        title.setFont(scaled_font(self, 1.2, bold=True))
        layout.addWidget(title)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(8)
        self.verdict = QComboBox()
        self.verdict.addItem("Choose a verdict…", None)
        for verdict in Verdict:
            self.verdict.addItem(verdict.label, verdict)
        self.verdict.setAccessibleName("Verdict")
        self.verdict.currentIndexChanged.connect(self._verdict_changed)
        form.addRow("&Verdict", self.verdict)
        self.texts: dict[str, QPlainTextEdit] = {}
        self._timers: dict[str, QTimer] = {}
        for field, label, hint in TEXT_FIELDS:
            box = QPlainTextEdit()
            box.setPlaceholderText(hint)
            box.setAccessibleName(label)
            box.setTabChangesFocus(True)
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 16)
            box.installEventFilter(self)
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(TEXT_PAUSE_MS)
            timer.timeout.connect(lambda f=field: self.commit_text(f))
            box.textChanged.connect(lambda t=timer: None if self._loading else t.start())
            self.texts[field], self._timers[field] = box, timer
            form.addRow(label, box)
        self.urgent = QCheckBox("&Urgent safeguarding: the victim may still be at risk")
        self.urgent.setAccessibleName("Urgent safeguarding flag")
        self.urgent.toggled.connect(self._urgent_changed)
        form.addRow(self.urgent)
        self.withdrawal = WithdrawalFields(form)
        self.withdrawal.changed.connect(self._withdrawal_changed)
        # Escalation, question and themes: the panel's record, saved by their own calls.
        self.record = CaseRecordFields(form, self.urgent, self.verdict, self.texts)
        layout.addLayout(form)

    def set_read_only(self, read_only: bool) -> None:
        """A closed audit: the conclusion stays readable (and selectable), none of it changes."""
        self.verdict.setEnabled(not read_only)
        self.urgent.setEnabled(not read_only)
        self.withdrawal.set_enabled(not read_only)
        self.record.set_enabled(not read_only)
        for box in self.texts.values():
            box.setReadOnly(read_only)

    def show_review(self, view: ReviewView) -> None:
        self._loading = True
        try:
            for timer in self._timers.values():
                timer.stop()
            self._saved = {"verdict": view.verdict, "learning_points": view.learning_points,
                           "good_practice": view.good_practice, "feedback": view.feedback,
                           "urgent_safeguarding": view.urgent_safeguarding,
                           "withdrawal": withdrawal_pair(view)}
            index = self.verdict.findData(view.verdict) if view.verdict else 0
            self.verdict.setCurrentIndex(max(index, 0))
            for field, box in self.texts.items():
                if box.toPlainText() != self._saved[field]:
                    box.setPlainText(self._saved[field])
            self.urgent.setChecked(view.urgent_safeguarding)
            self.withdrawal.show_codes(*self._saved["withdrawal"])
        finally:
            self._loading = False

    def commit_all(self) -> None:
        """Save any text still waiting for its pause (before leaving the case)."""
        for field in self.texts:
            self.commit_text(field)

    def commit_text(self, field: str) -> None:
        self._timers[field].stop()
        text = self.texts[field].toPlainText()
        if not self._loading and text != self._saved.get(field, ""):
            old = self._saved.get(field, "")
            self._saved[field] = text
            self.detail_edited.emit(field, old, text)

    def _verdict_changed(self, _index: int) -> None:
        data = self.verdict.currentData()  # Qt hands enum item data back as plain str
        verdict = Verdict(data) if data else None
        if not self._loading and verdict != self._saved.get("verdict"):
            old = self._saved.get("verdict")
            self._saved["verdict"] = verdict
            self.detail_edited.emit("verdict", old, verdict)

    def _urgent_changed(self, checked: bool) -> None:
        if not self._loading and checked != self._saved.get("urgent_safeguarding"):
            self._saved["urgent_safeguarding"] = checked
            self.detail_edited.emit("urgent_safeguarding", not checked, checked)

    def _withdrawal_changed(self, stage: str | None, reason: str | None) -> None:
        if not self._loading and (stage, reason) != self._saved.get("withdrawal"):
            old = self._saved.get("withdrawal")
            self._saved["withdrawal"] = (stage, reason)
            self.detail_edited.emit("withdrawal", old, (stage, reason))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            for field, box in self.texts.items():
                if watched is box:
                    self.commit_text(field)
        return False

    def focus_first(self) -> None:
        self.verdict.setFocus(Qt.FocusReason.OtherFocusReason)
