"""What every agenda page in meeting mode shares: the heading with the agenda to jump
through and the way back to attendance, the carried question's box, the case's facts, and
its personal details, hidden until the chair reveals them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from audit_app.ui.meeting.carried_box import CarriedBox

HIDDEN_DETAILS = "Personal details are hidden. The chair can reveal them for this case."


def wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def facts_text(facts: tuple[tuple[str, str], ...]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in facts) or "No case details to show."


class AgendaPageBase(QWidget):
    revealWanted = Signal()
    jumpWanted = Signal(int)  # agenda index
    backWanted = Signal()
    nextWanted = Signal()

    def __init__(self, heading_name: str, *, with_carry_again: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = wrapped()
        self.heading.setObjectName(heading_name)
        self.agenda = QComboBox()
        self.agenda.setAccessibleName("Agenda: go to a case")
        self.agenda.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.agenda.setMinimumContentsLength(10)
        self.agenda.activated.connect(self.jumpWanted)
        self.back_button = QPushButton("&Attendance")
        self.back_button.clicked.connect(self.backWanted)
        self.top = QHBoxLayout()
        self.top.addWidget(self.heading, 1)
        self.top.addWidget(self.agenda)
        self.top.addWidget(self.back_button)
        self.carried = CarriedBox(with_carry_again=with_carry_again)
        self.facts = wrapped()
        self.personal = wrapped(HIDDEN_DETAILS)
        self.personal.setAccessibleName("Personal details")
        self.reveal_button = QPushButton("&Reveal personal details")
        self.reveal_button.clicked.connect(self.revealWanted)
        self.personal_row = QHBoxLayout()
        self.personal_row.addWidget(self.personal, 1)
        self.personal_row.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignTop)
        self.next_button = QPushButton("Ne&xt case")
        self.next_button.setToolTip("Page Down")
        self.next_button.clicked.connect(self.nextWanted)

    def set_agenda(self, labels: list[str], index: int) -> None:
        self.agenda.blockSignals(True)
        self.agenda.clear()
        self.agenda.addItems(labels)
        self.agenda.setCurrentIndex(index)
        self.agenda.blockSignals(False)

    def show_personal(self, details: tuple[tuple[str, str], ...]) -> None:
        self.personal.setText("; ".join(f"{label}: {value}" for label, value in details)
                              or "This case holds no personal details.")
        self.reveal_button.setText("&Hide personal details")

    def hide_personal(self) -> None:
        self.personal.setText(HIDDEN_DETAILS)
        self.reveal_button.setText("&Reveal personal details")

    @property
    def personal_shown(self) -> bool:
        return self.personal.text() != HIDDEN_DETAILS
