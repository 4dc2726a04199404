"""The band above the criteria: which case, how far along, and what is still missing."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import ReviewStatus
from audit_app.core.case_fields import outcome_label
from audit_app.services.audits import AuditStanding
from audit_app.services.records import CaseRow
from audit_app.ui.review.style import STATUS_COLOURS, URGENT, scaled_font
from audit_app.ui.theme import themed

MAX_GAPS_SHOWN = 8


class CaseHeader(QFrame):
    """Reference, outcome, position, progress, status, the urgent flag and Mark complete."""

    complete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)  # wrapped lines make the band taller, never clipped
        self.setSizePolicy(policy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.title = QLabel("No case selected")
        self.title.setFont(scaled_font(self, 1.45, bold=True))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("chip")
        self.urgent = QLabel("⚑ Urgent safeguarding")
        self.urgent.setObjectName("urgentBanner")
        self.urgent.setVisible(False)
        # The shortcut is in the tooltip and the footer: the full label was cut off at 150%.
        self.complete = QPushButton("Mark complete")
        self.complete.setToolTip("Mark this case complete (Ctrl+Enter)")
        self.complete.setObjectName("primary")
        self.complete.setAccessibleName("Mark this case complete")
        self.complete.clicked.connect(self.complete_requested)
        top.addWidget(self.title)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.urgent, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        self._actions_at = top.count()  # undo and redo buttons go here
        self._top = top
        top.addWidget(self.complete)
        layout.addLayout(top)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self._position = ""
        self._gaps: list[str] = []

    def add_undo_buttons(self, undo: QAction, redo: QAction) -> None:
        """Short, steady labels; what would be undone or redone shows in the tooltip."""
        self.undo_button, self.redo_button = QToolButton(), QToolButton()
        for offset, (button, action, label) in enumerate(
                ((self.undo_button, undo, "Undo"), (self.redo_button, redo, "Redo"))):
            button.setText(label)
            button.setAccessibleName(label)
            button.setEnabled(False)
            button.clicked.connect(action.trigger)
            self._top.insertWidget(self._actions_at + offset, button)

    def set_undo_state(self, can_undo: bool, undo_text: str, can_redo: bool,
                       redo_text: str) -> None:
        self.undo_button.setEnabled(can_undo)
        self.undo_button.setToolTip(f"Undo {undo_text} (Ctrl+Z)" if can_undo else "Nothing to undo")
        self.redo_button.setEnabled(can_redo)
        self.redo_button.setToolTip(f"Redo {redo_text} (Ctrl+Shift+Z)" if can_redo
                                    else "Nothing to redo")

    def show_case(self, case: CaseRow, *, position: int, total: int) -> None:
        self.title.setText(case.reference)
        self._position = f"Case {position} of {total}"
        outcome = outcome_label(case.fields.get("outcome_code"))
        self._outcome = f" · Outcome {outcome}" if outcome else ""
        self.show_message("")

    def clear(self) -> None:
        """No case to show: nothing of the last one stays on screen."""
        self.title.setText("No case selected")
        self.status.hide()
        self.urgent.hide()
        self.subtitle.setText("")
        self.show_message("")

    def show_progress(self, status: ReviewStatus, answered: int, applicable: int,
                      urgent: bool) -> None:
        colour = STATUS_COLOURS[status]
        self.status.show()
        self.status.setText(status.label)
        self.status.setStyleSheet(f"color: white; background: {colour}; font-weight: 600;")
        self.status.setAccessibleName(f"Status: {status.label}")
        self.subtitle.setText(f"{self._position} · {answered} of {applicable} criteria answered"
                              f"{getattr(self, '_outcome', '')}")
        self.urgent.setVisible(urgent)

    def resolve_gap(self, item: str, *, resolved: bool) -> None:
        """Strike an item ('B1', 'Verdict') off the missing list once it is dealt with."""
        if resolved and any(g.startswith(f"{item}:") for g in self._gaps):
            self.show_gaps([g for g in self._gaps if not g.startswith(f"{item}:")])

    def show_message(self, text: str, *, error: bool = False) -> None:
        rich = text.startswith("<b>Not complete")
        if not rich:
            self._gaps = []
        self.message.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.message.setVisible(bool(text))
        self.message.setText(text)
        colour = URGENT if error else "#1e6b4a"
        self.message.setStyleSheet(themed(f"color: {colour};"))

    def show_gaps(self, gaps: list[str]) -> None:
        self._gaps = list(gaps)
        if not gaps:
            self.show_message("Nothing missing now: Ctrl+Enter marks the case complete.")
            return
        shown = "".join(f"<li>{html.escape(gap)}</li>" for gap in gaps[:MAX_GAPS_SHOWN])
        more = f"<li>…and {len(gaps) - MAX_GAPS_SHOWN} more</li>" if len(gaps) > MAX_GAPS_SHOWN else ""
        self.show_message(f"<b>Not complete yet – {len(gaps)} item(s) missing:</b>"
                          f"<ul style='margin:2px 0 0 -20px'>{shown}{more}</ul>", error=True)


def no_cases_message(standing: AuditStanding | None, *, read_only: bool) -> str:
    """What the review page says when the audit has no sampled case to show."""
    if standing is not None and standing.case_data_deleted:
        return ("The sampled cases were deleted with the case data, so there is nothing "
                "left to score or read here.")
    if read_only:
        return "No sample was drawn before this audit was closed."
    return ("No sample has been drawn for this audit yet: draw one on the Sample page, "
            "then score it here.")
