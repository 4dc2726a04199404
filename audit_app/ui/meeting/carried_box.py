"""What a carried agenda page says first: where the case was carried from, the question
asked and who was to answer it, where it stands, and the chair's answer to settle it.

On an earlier audit's page it also carries the question on again (with a note for the
minutes); on this audit's page the case page's own "Carry to the next meeting" does that.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from audit_app.core.meeting import CarriedIn

CARRIED_STYLE = "QLabel#meetingCarriedHeading { font-weight: 600; }"


class CarriedBox(QGroupBox):
    settleWanted = Signal(int, str)  # request number, the answer received
    carryAgainWanted = Signal(int, str)  # request number, a note for the minutes

    def __init__(self, *, with_carry_again: bool, parent: QWidget | None = None) -> None:
        super().__init__("Carried in: the question asked", parent)
        self.carried: CarriedIn | None = None
        self.heading = QLabel("")
        self.heading.setObjectName("meetingCarriedHeading")
        self.heading.setStyleSheet(CARRIED_STYLE)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.standing = QLabel("")
        self.standing.setObjectName("meetingCarriedStanding")
        self.standing.setWordWrap(True)
        self.answer = QLineEdit()
        self.answer.setAccessibleName("The answer received")
        self.answer.setPlaceholderText("The answer received (Enter settles the question)")
        self.answer.returnPressed.connect(self._settle)
        self.settle_button = QPushButton("Record the answer and &settle")
        self.settle_button.clicked.connect(self._settle)
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.answer, 1)
        answer_row.addWidget(self.settle_button)
        self.answer_line = QWidget()
        self.answer_line.setLayout(answer_row)
        answer_row.setContentsMargins(0, 0, 0, 0)
        self.note = QLineEdit()
        self.note.setAccessibleName("Why it is carried again")
        self.note.setPlaceholderText("Why it is carried again, such as who will chase the "
                                     "answer (for the minutes)")
        self.note.returnPressed.connect(self._carry_again)
        self.carry_button = QPushButton("&Carry again to next meeting")
        self.carry_button.clicked.connect(self._carry_again)
        carry_row = QHBoxLayout()
        carry_row.setContentsMargins(0, 0, 0, 0)
        carry_row.addWidget(self.note, 1)
        carry_row.addWidget(self.carry_button)
        self.carry_line = QWidget()
        self.carry_line.setLayout(carry_row)
        self.carry_line.setVisible(with_carry_again)
        self._with_carry_again = with_carry_again
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.standing)
        layout.addWidget(self.answer_line)
        layout.addWidget(self.carry_line)

    def show_carried(self, carried: CarriedIn | None, *, new_page: bool) -> None:
        self.carried = carried
        self.setVisible(carried is not None)
        if carried is None:
            return
        self.heading.setText(carried.heading)
        self.standing.setText(carried.standing if carried.request_id is not None or
                              carried.settled_on else "No request for information was "
                              "recorded: discuss the case and record its verdict.")
        open_question = carried.request_id is not None and carried.settled_on is None
        self.answer_line.setVisible(open_question)
        self.carry_line.setVisible(self._with_carry_again and open_question)
        if new_page:
            self.answer.clear()
            self.note.clear()

    def _settle(self) -> None:
        if self.carried is not None and self.carried.request_id is not None:
            self.settleWanted.emit(self.carried.request_id, self.answer.text())

    def _carry_again(self) -> None:
        if self.carried is not None and self.carried.request_id is not None:
            self.carryAgainWanted.emit(self.carried.request_id, self.note.text())
