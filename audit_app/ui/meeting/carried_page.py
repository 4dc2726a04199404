"""Meeting mode's page for a case carried from an earlier audit: its question and who was
to answer it, the answer to settle it, or carrying it again. The case is not scored here
(it belongs to the earlier audit); its facts show, its personal details only when the
chair reveals them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from audit_app.core.meeting import AgendaPage
from audit_app.ui.meeting.page_parts import AgendaPageBase, facts_text


class CarriedPage(AgendaPageBase):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("meetingCarriedPageHeading", with_carry_again=True, parent=parent)
        self.page: AgendaPage | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.carried)
        layout.addWidget(self.facts)
        layout.addLayout(self.personal_row)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

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
        self.facts.setText(facts_text(facts))
