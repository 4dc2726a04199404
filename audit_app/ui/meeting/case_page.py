"""Meeting mode's case page: one agenda case on the projector.

Answers stay hidden until every member present who may score the case has scored it; a
plain line says who is still to. Then the spread per criterion (disagreements first),
where the chair keys the agreed answer, and below it the verdict, the rationale, any
dissent, and carrying the case to the next meeting. Personal details stay off the screen
until the chair reveals them, and hide again on the next case.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Verdict
from audit_app.core.meeting import AgendaStatus, CarriedIn
from audit_app.services.meeting_board import MeetingCaseView
from audit_app.ui.meeting.page_parts import AgendaPageBase, facts_text, wrapped
from audit_app.ui.meeting.spread_table import SpreadTable
from audit_app.ui.review.moderation_table import RationaleEdit

WIDE_ENOUGH = 1000  # logical pixels: answers and the chair's entries side by side


class CasePage(AgendaPageBase):
    answerAgreed = Signal(str, object, str)  # code, Answer or None, rationale
    verdictAgreed = Signal(object, str)  # Verdict, rationale
    dissentAdded = Signal(str, str)  # member, reason
    carryWanted = Signal(str, str, str)  # the question, who answers it (role), their agency

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("meetingCaseHeading", with_carry_again=False, parent=parent)
        self.view: MeetingCaseView | None = None
        self.carried.hide()
        self.declared = wrapped()
        self.waiting = wrapped()
        self.waiting.setObjectName("meetingWaitingLine")
        self.waiting.setStyleSheet("font-weight: 600;")
        # While the answers are hidden the line holds their room, its words at the top.
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.waiting.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.spread = SpreadTable()
        self.spread.answerKeyed.connect(
            lambda code, answer: self.answerAgreed.emit(code, answer, self.rationale.text()))
        self.verdict_spread = wrapped()
        answers = QWidget()
        answers_layout = QVBoxLayout(answers)
        answers_layout.setContentsMargins(0, 0, 0, 0)
        answers_layout.addWidget(self.waiting)
        answers_layout.addWidget(self.spread, 1)
        answers_layout.addWidget(self.verdict_spread)
        record = QWidget()
        record_layout = QVBoxLayout(record)
        record_layout.setContentsMargins(0, 0, 0, 0)
        record_layout.addWidget(self._agreement_box())
        record_layout.addWidget(self._carry_box())
        record_layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        record_layout.addStretch(1)
        # Side by side on a wide screen; one above the other on a narrow one (150%).
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(answers)
        self.split.addWidget(record)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.carried)
        layout.addWidget(self.facts)
        layout.addLayout(self.personal_row)
        layout.addWidget(self.declared)
        layout.addWidget(self.split, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = event.size().width()
        wide = width >= WIDE_ENOUGH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if orientation != self.split.orientation():
            self.split.setOrientation(orientation)
        # A resize is the window's, never a drag of the splitter: share the width anew.
        self.split.setSizes([width * 3 // 5, width * 2 // 5] if wide else [400, 300])
        self.spread.setMinimumHeight(0 if wide else self.fontMetrics().lineSpacing() * 10)
        super().resizeEvent(event)

    def _agreement_box(self) -> QGroupBox:
        box = QGroupBox("The panel's agreement")
        self.rationale = RationaleEdit("Why the panel agreed (Enter records the verdict)",
                                       "Rationale: why the panel agreed")
        self.rationale.returnPressed.connect(self._agree_verdict)
        self.verdict = QComboBox()
        self.verdict.setAccessibleName("Agreed verdict")
        # The longest verdict would hold the panel wide open; it shows whole when opened.
        self.verdict.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.verdict.setMinimumContentsLength(14)
        for verdict in Verdict:
            self.verdict.addItem(verdict.label, verdict)
        self.verdict_button = QPushButton("Record &verdict")
        self.verdict_button.clicked.connect(self._agree_verdict)
        verdict_row = QHBoxLayout()
        verdict_row.addWidget(self.verdict, 1)
        verdict_row.addWidget(self.verdict_button)
        self.dissent_member = QComboBox()
        self.dissent_member.setAccessibleName("Member who dissents")
        self.dissent_member.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.dissent_reason = QLineEdit()
        self.dissent_reason.setAccessibleName("Why they dissent")
        self.dissent_reason.setPlaceholderText("Why they dissent")
        self.dissent_reason.returnPressed.connect(self._dissent)
        self.dissent_button = QPushButton("Add &dissent")
        self.dissent_button.clicked.connect(self._dissent)
        dissent_row = QHBoxLayout()
        dissent_row.addWidget(self.dissent_member, 1)
        dissent_row.addWidget(self.dissent_button)
        self.agreed_line = wrapped()
        self.agreed_line.setObjectName("meetingAgreedLine")
        inner = QVBoxLayout(box)
        inner.addWidget(self.rationale)
        inner.addLayout(verdict_row)
        inner.addWidget(self.dissent_reason)
        inner.addLayout(dissent_row)
        inner.addWidget(self.agreed_line)
        return box

    def _carry_box(self) -> QGroupBox:
        box = QGroupBox("Carry to the next meeting")
        self.carry_reason = QLineEdit()
        self.carry_reason.setAccessibleName("The question the panel needs answered")
        self.carry_reason.setPlaceholderText("The question the panel needs answered")
        self.carry_role, self.carry_agency = QLineEdit(), QLineEdit()
        for edit, name in ((self.carry_role, "Who answers (their role)"),
                           (self.carry_agency, "Their agency")):
            edit.setAccessibleName(name)
            edit.setPlaceholderText(name)
            edit.returnPressed.connect(self._carry)
        self.carry_reason.returnPressed.connect(self._carry)
        self.carry_button = QPushButton("&Carry to next meeting")
        self.carry_button.clicked.connect(self._carry)
        who = QHBoxLayout()
        who.addWidget(self.carry_role, 1)
        who.addWidget(self.carry_agency, 1)
        column = QVBoxLayout(box)
        column.addWidget(self.carry_reason)
        column.addLayout(who)
        column.addWidget(self.carry_button, 0, Qt.AlignmentFlag.AlignRight)
        return box

    def _carry(self) -> None:
        self.carryWanted.emit(self.carry_reason.text(), self.carry_role.text(),
                              self.carry_agency.text())

    def show_case(self, view: MeetingCaseView, members: list[str], *, new_case: bool,
                  number: int | None = None, total: int | None = None,
                  carried: CarriedIn | None = None) -> None:
        """`number` of `total` counts the agenda's pages, carried ones too."""
        self.view = view
        self.heading.setText(f"Case {number or view.position} of {total or view.total}: "
                             f"{view.reference}. {view.status.label}.")
        self.carried.show_carried(carried, new_page=new_case)
        self.facts.setText(facts_text(view.facts))
        if new_case:
            self.hide_personal()
            self.rationale.setText(view.rationale)
            self.carry_reason.setText(view.carried_reason or (carried.question if carried
                                                              else ""))
            self.carry_role.clear()
            self.carry_agency.clear()
            self.dissent_reason.clear()
        self.declared.setText(" ".join(f"{member} declared an interest and does not score "
                                       "this case." for member, _reason in view.declared))
        self.declared.setVisible(bool(view.declared))
        self.waiting.setText(view.waiting_line)
        self.waiting.setVisible(not view.answers_shown)
        self.spread.setVisible(view.answers_shown)
        self.spread.fill(view.spreads)
        self.verdict_spread.setText("Members' verdicts: " + (", ".join(
            f"{verdict.label} {count}" for verdict, count in view.verdicts) or "none given"))
        self.verdict_spread.setVisible(view.answers_shown)
        if view.agreed_verdict is not None:
            self.verdict.setCurrentIndex(self.verdict.findData(view.agreed_verdict))
        self.dissent_member.clear()
        self.dissent_member.addItems(members)
        self.agreed_line.setText(self._agreed_words(view))
        if new_case:
            self.focus_first()

    def focus_first(self) -> None:
        """An open carried question first (its answer is the first business), then the
        spread for the agreed answers, else the rationale."""
        shown = self.view is not None and self.view.answers_shown
        (self.carried.answer if self.carried.answer.isVisibleTo(self) else
         self.spread if shown else self.rationale).setFocus()

    @staticmethod
    def _agreed_words(view: MeetingCaseView) -> str:
        parts = [f"Agreed verdict: {view.agreed_verdict.label}." if view.agreed_verdict
                 else "No verdict agreed yet."]
        parts += [f"{d.member} dissents: {d.reason}" for d in view.dissents]
        if view.status is AgendaStatus.CARRIED:
            parts.append(f"Carried to the next meeting: {view.carried_reason}")
        return "\n".join(parts)

    def _agree_verdict(self) -> None:
        stored = self.verdict.currentData()  # Qt hands a StrEnum back as its plain string
        if stored:
            self.verdictAgreed.emit(Verdict(stored), self.rationale.text())

    def _dissent(self) -> None:
        if self.dissent_member.currentText():
            self.dissentAdded.emit(self.dissent_member.currentText(), self.dissent_reason.text())
