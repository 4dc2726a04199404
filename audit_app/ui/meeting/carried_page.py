"""Meeting mode's page for a case carried from an earlier audit: its question and who was
to answer it, the answer to settle it, or carrying it again. The case is not scored here
(it belongs to the earlier audit); its facts show, its personal details only when the
chair reveals them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from audit_app.core.meeting import AgendaPage
from audit_app.ui.meeting.carried_box import CarriedBox
from audit_app.ui.meeting.case_page import HIDDEN_DETAILS, wrapped


class CarriedPage(QWidget):
    revealWanted = Signal()
    jumpWanted = Signal(int)  # agenda index
    backWanted = Signal()
    nextWanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page: AgendaPage | None = None
        self.heading = wrapped()
        self.heading.setObjectName("meetingCarriedPageHeading")
        self.agenda = QComboBox()
        self.agenda.setAccessibleName("Agenda: go to a case")
        self.agenda.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.agenda.setMinimumContentsLength(10)
        self.agenda.activated.connect(self.jumpWanted)
        self.back_button = QPushButton("&Attendance")
        self.back_button.clicked.connect(self.backWanted)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.agenda)
        top.addWidget(self.back_button)
        self.carried = CarriedBox(with_carry_again=True)
        self.facts = wrapped()
        self.personal = wrapped(HIDDEN_DETAILS)
        self.personal.setAccessibleName("Personal details")
        self.reveal_button = QPushButton("&Reveal personal details")
        self.reveal_button.clicked.connect(self.revealWanted)
        personal_row = QHBoxLayout()
        personal_row.addWidget(self.personal, 1)
        personal_row.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignTop)
        self.next_button = QPushButton("Ne&xt case")
        self.next_button.setToolTip("Page Down")
        self.next_button.clicked.connect(self.nextWanted)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.carried)
        layout.addWidget(self.facts)
        layout.addLayout(personal_row)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

    def set_agenda(self, labels: list[str], index: int) -> None:
        self.agenda.blockSignals(True)
        self.agenda.clear()
        self.agenda.addItems(labels)
        self.agenda.setCurrentIndex(index)
        self.agenda.blockSignals(False)

    def show_page(self, page: AgendaPage, number: int, total: int, *, new_page: bool) -> None:
        self.page = page
        carried = page.carried
        source = carried.audit_name if carried else "an earlier audit"
        self.heading.setText(f"Case {number} of {total}: {page.reference or 'deleted case'}, "
                             f"carried from {source}.")
        self.carried.show_carried(carried, new_page=new_page)
        self.reveal_button.setEnabled(page.case_id is not None)
        if new_page:
            self.hide_personal()
            self.facts.setText("")
            self.focus_first()

    def focus_first(self) -> None:
        """The answer while the question is open; once settled, Next case."""
        (self.carried.answer if self.carried.answer.isVisibleTo(self)
         else self.next_button).setFocus()

    def show_facts(self, facts: tuple[tuple[str, str], ...]) -> None:
        self.facts.setText("; ".join(f"{label}: {value}" for label, value in facts)
                           or "No case details to show.")

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
