"""Meeting mode's first page: which meeting, who came, and declarations of interest.

Each tick and each declaration saves at once (one service call each). A short line counts
the cases carried in (an earlier audit's unanswered question, or a case an earlier
meeting carried on): they are the agenda's first pages. Ticking a member
marks them present; unticking marks their apologies. A guest (an observer, an officer
presenting) attends but does not score.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.services.meetings import AttendanceRow, MeetingDetail, MeetingRow
from audit_app.services.records import ReviewerRow

NAME_ROLE = Qt.ItemDataRole.UserRole


def carried_text(detail: MeetingDetail) -> str:
    """How many cases are carried in, and from where: the agenda's first pages."""
    carried = [page.carried for page in detail.pages if page.carried is not None]
    if not carried:
        return ""
    sources = ", ".join(dict.fromkeys(c.source for c in carried))
    count = f"{len(carried)} case{'s are' if len(carried) != 1 else ' is'}"
    return (f"{count} carried in from {sources}: they follow as the first agenda pages, "
            "with the question asked and who was to answer it.")


def attendance_text(name: str, row: AttendanceRow | None, organisation: str) -> str:
    if row is None:
        return f"{name} ({organisation or 'panel member'}): not recorded yet"
    who = ", ".join(part for part in (row.role, row.agency) if part) or "panel member"
    return f"{name} ({who}{', guest' if row.guest else ''}): {row.presence.lower()}"


class StartPage(QWidget):
    """Signals carry what the chair asked for; the window makes the service calls."""

    meetingChosen = Signal(int)
    newMeetingWanted = Signal()
    attendanceSet = Signal(str, bool, str, str, bool)  # name, present, role, agency, guest
    interestDeclared = Signal(int, str, str)  # case id, member, reason
    startWanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.meetings = QComboBox()
        self.meetings.setAccessibleName("Meeting")
        self.meetings.activated.connect(lambda _index: self._chosen())
        self.new_button = QPushButton("&New meeting today")
        self.new_button.clicked.connect(self.newMeetingWanted)
        self.chair_line = QLabel("")
        self.chair_line.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.meetings, 1)
        top.addWidget(self.new_button)
        self.attendance = QListWidget()
        self.attendance.setAccessibleName("Attendance: ticked members are present, "
                                          "unticked sent apologies")
        self.attendance.setWordWrap(True)
        self.attendance.itemChanged.connect(self._ticked)
        self.guest_name, self.guest_role, self.guest_agency = QLineEdit(), QLineEdit(), QLineEdit()
        for edit, name, hint in (
                (self.guest_name, "Name of a guest, or of someone sending apologies", "Name"),
                (self.guest_role, "Their role", "Their role"),
                (self.guest_agency, "Their agency", "Their agency")):
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(name)
            edit.returnPressed.connect(lambda: self._add_guest(present=True))
        self.guest_button = QPushButton("Add &guest")
        self.guest_button.clicked.connect(lambda: self._add_guest(present=True))
        # Someone not on the reviewer list who sent apologies (a member from another agency).
        self.apologies_button = QPushButton("Add a&pologies")
        self.apologies_button.setToolTip("Record that this person sent their apologies")
        self.apologies_button.clicked.connect(lambda: self._add_guest(present=False))
        guests = QHBoxLayout()
        for widget in (self.guest_name, self.guest_role, self.guest_agency, self.guest_button,
                       self.apologies_button):
            guests.addWidget(widget)
        present_box = QGroupBox("Who is here")
        present_layout = QVBoxLayout(present_box)
        present_layout.addWidget(self.attendance, 1)
        present_layout.addLayout(guests)
        self.declare_case, self.declare_member = QComboBox(), QComboBox()
        self.declare_case.setAccessibleName("Case the interest is in")
        self.declare_member.setAccessibleName("Member declaring an interest")
        self.declare_reason = QLineEdit()
        self.declare_reason.setAccessibleName("Why the member has an interest")
        self.declare_reason.setPlaceholderText("Why (for the minutes)")
        self.declare_reason.returnPressed.connect(self._declare)
        self.declare_button = QPushButton("&Declare interest")
        self.declare_button.clicked.connect(self._declare)
        self.declared = QLabel("No declarations of interest.")
        self.declared.setWordWrap(True)
        declare_box = QGroupBox("Declarations of interest")
        form = QFormLayout(declare_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Member:", self.declare_member)
        form.addRow("Case:", self.declare_case)
        form.addRow("Reason:", self.declare_reason)
        form.addRow(self.declare_button)
        form.addRow(self.declared)
        self.carried_line = QLabel("")
        self.carried_line.setObjectName("meetingCarriedLine")
        self.carried_line.setWordWrap(True)
        self.carried_line.hide()
        self.start_button = QPushButton("&Start the agenda")
        self.start_button.setToolTip("Page Down")
        self.start_button.clicked.connect(self.startWanted)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.chair_line)
        layout.addWidget(self.carried_line)
        layout.addWidget(present_box, 1)
        layout.addWidget(declare_box)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_meetings(self, meetings: list[MeetingRow], current: int | None) -> None:
        self.meetings.clear()
        for row in reversed(meetings):  # the latest first
            self.meetings.addItem(f"{row.title} ({row.cases} cases)", row.meeting_id)
        if current is not None:
            self.meetings.setCurrentIndex(self.meetings.findData(current))
        self.start_button.setEnabled(bool(meetings))
        if not meetings:
            self.chair_line.setText("No meeting yet: press New meeting today to begin. Its "
                                    "agenda is the sample's cases, in order.")

    def _chosen(self) -> None:
        meeting_id = self.meetings.currentData()
        if meeting_id is not None:
            self.meetingChosen.emit(int(meeting_id))

    def show_detail(self, detail: MeetingDetail, reviewers: list[ReviewerRow]) -> None:
        self._filling = True
        self.chair_line.setText(f"Held on {detail.meeting.held_on:%d %B %Y}. Chair: "
                                f"{detail.meeting.chair or 'not named'}.")
        recorded = {row.member: row for row in detail.attendance}
        organisations = {r.name: r.organisation for r in reviewers}
        names = [r.name for r in reviewers] + [n for n in recorded if n not in organisations]
        self.attendance.clear()
        for name in names:
            row = recorded.get(name)
            item = QListWidgetItem(attendance_text(name, row, organisations.get(name, "")))
            item.setData(NAME_ROLE, (name, row.role if row else "", row.agency if row else
                                     organisations.get(name, ""), row.guest if row else False))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if row and row.present
                               else Qt.CheckState.Unchecked)
            self.attendance.addItem(item)
        self.declare_member.clear()
        self.declare_member.addItems(names)
        self.declare_case.clear()
        for item_row in detail.agenda:
            self.declare_case.addItem(f"{item_row.position}. {item_row.reference}",
                                      item_row.case_id)
        self.declared.setText("\n".join(f"{d.member}: case {d.reference} ({d.reason})"
                                        for d in detail.declarations)
                              or "No declarations of interest.")
        self._show_carried(detail)
        self._filling = False

    def _show_carried(self, detail: MeetingDetail) -> None:
        self.carried_line.setText(carried_text(detail))
        self.carried_line.setVisible(bool(self.carried_line.text()))

    def _ticked(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        name, role, agency, guest = item.data(NAME_ROLE)
        self.attendanceSet.emit(name, item.checkState() == Qt.CheckState.Checked, role, agency,
                                guest)

    def _add_guest(self, *, present: bool) -> None:
        """A guest attends and does not score; apologies are a member's, who would have."""
        name = self.guest_name.text().strip()
        if name:
            self.attendanceSet.emit(name, present, self.guest_role.text(),
                                    self.guest_agency.text(), present)
            for edit in (self.guest_name, self.guest_role, self.guest_agency):
                edit.clear()

    def _declare(self) -> None:
        case_id = self.declare_case.currentData()
        if case_id is not None and self.declare_member.currentText():
            self.interestDeclared.emit(int(case_id), self.declare_member.currentText(),
                                       self.declare_reason.text())
            self.declare_reason.clear()
