"""Meeting mode: the panel's meeting run from one laptop on a projector, in large type.

First who is here and any declarations of interest, then the agenda case by case
(Page Down / Page Up or Alt+Right / Alt+Left; Ctrl+1…Ctrl+9 jumps to a case). Every
entry is saved as it is made, through the same services as the review screen; a refusal
(an interest declared, a rationale missing) is said in the line at the foot of the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Answer, Verdict
from audit_app.core.errors import UserError
from audit_app.core.meeting import AgendaPage, AgendaStatus
from audit_app.services import (
    information_requests,
    meeting_board,
    meeting_carried,
    meetings,
    moderation,
    scoring,
)
from audit_app.services.database import Database
from audit_app.services.meeting_board import MeetingCaseView
from audit_app.services.meetings import MeetingDetail
from audit_app.services.records import ReviewerRow
from audit_app.ui.errors import report_error
from audit_app.ui.meeting.carried_page import CarriedPage
from audit_app.ui.meeting.case_page import CasePage
from audit_app.ui.meeting.projector import (
    KEYS_LINE,
    NOTICE_STYLE,
    SMALL_SCREEN_TYPE_SCALE,
    SMALL_SCREEN_WIDTH,
    TYPE_SCALE,
    large_type,
    scrolled,
)
from audit_app.ui.meeting.start_page import StartPage
from audit_app.ui.operations import ChangeOp, Changes, QueryOp
from audit_app.ui.screen_fit import available_geometry, fit_to_screen
from audit_app.ui.theme import themed


class MeetingWindow(QDialog):
    def __init__(self, db: Database, audit_id: int, acting: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.audit_id, self.acting = db, audit_id, acting
        self.detail: MeetingDetail | None = None
        self.reviewers: list[ReviewerRow] = []
        self.index = 0
        self.view: MeetingCaseView | None = None
        self.setObjectName("meetingWindow")
        self.setWindowTitle("Meeting mode")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        # A style sheet, not setFont: under the app's style sheet a child keeps the app font.
        small = available_geometry(parent).width() < SMALL_SCREEN_WIDTH
        self.setStyleSheet(large_type(QApplication.font(),
                                      SMALL_SCREEN_TYPE_SCALE if small else TYPE_SCALE))
        self.start = StartPage()
        self.case = CasePage()
        self.carried = CarriedPage()
        self.pages = QStackedWidget()
        self.pages.addWidget(scrolled(self.start, "Who is here and declarations"))
        self.pages.addWidget(scrolled(self.case, "The case under discussion"))
        self.pages.addWidget(scrolled(self.carried, "A case carried from an earlier audit"))
        self.notice = QLabel("")
        self.notice.setWordWrap(True)
        self.notice.setObjectName("meetingNotice")
        self.notice.setStyleSheet(themed(NOTICE_STYLE))
        self.notice.setAccessibleName("Last message")
        self.notice.hide()
        keys = QLabel(KEYS_LINE)
        keys.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.notice)
        layout.addWidget(keys)
        self._connect()
        # Enter belongs to the field it is pressed in (a rationale, a guest, an answer): no
        # button of the dialog answers it, least of all "New meeting today".
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        fit_to_screen(self, QSize(1280, 720))
        self.start.attendance.setFocus()
        self.reload_meetings()

    def _connect(self) -> None:
        self.start.meetingChosen.connect(self.load_meeting)
        self.start.newMeetingWanted.connect(self.new_meeting)
        self.start.attendanceSet.connect(self.set_attendance)
        self.start.interestDeclared.connect(self.declare)
        self.start.startWanted.connect(lambda: self.go_to(self.index))
        self.case.answerAgreed.connect(self.agree_answer)
        self.case.verdictAgreed.connect(self.agree_verdict)
        self.case.dissentAdded.connect(self.add_dissent)
        self.case.carryWanted.connect(self.carry)
        self.case.revealWanted.connect(self.toggle_personal)
        self.case.jumpWanted.connect(self.go_to)
        self.case.backWanted.connect(lambda: self.pages.setCurrentIndex(0))
        self.case.nextWanted.connect(lambda: self.step(1))
        for box in (self.case.carried, self.carried.carried):
            box.settleWanted.connect(self.settle)
            box.carryAgainWanted.connect(self.carry_again)
        self.carried.revealWanted.connect(self.toggle_personal)
        self.carried.jumpWanted.connect(self.go_to)
        self.carried.backWanted.connect(lambda: self.pages.setCurrentIndex(0))
        self.carried.nextWanted.connect(lambda: self.step(1))
        moves: list[tuple[str, Callable[[], object], str]] = [
            ("PgDown", lambda: self.step(1), "Next case"),
            ("Alt+Right", lambda: self.step(1), "Next case"),
            ("PgUp", lambda: self.step(-1), "Previous case"),
            ("Alt+Left", lambda: self.step(-1), "Previous case")]
        moves += [(f"Ctrl+{n}", self._jump_to(n - 1), f"Go to case {n}") for n in range(1, 10)]
        self._shortcuts = []
        for keys, slot, does in moves:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setWhatsThis(f"Meeting mode: {does.lower()}")
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

    def _jump_to(self, index: int) -> Callable[[], None]:
        return lambda: self.go_to(index)

    # --- reading ---------------------------------------------------------------------

    def _read(self, work: Callable[[], Any], then: Callable[[Any], object]) -> None:
        QueryOp(self, lambda _task: work(), then).failure(self.refused).run()

    def _change(self, work: Callable[[], Any], changes: Changes, then: Callable[[Any], object],
                said: str = "") -> None:
        def done(result: Any) -> None:
            if said:
                self.say(said)
            then(result)

        ChangeOp(self, lambda _task: work(), changes).success(done).failure(self.refused).run()

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def refused(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            self.say(str(error))
        else:
            report_error(self, error)

    def reload_meetings(self, current: int | None = None) -> None:
        db, audit_id = self.db, self.audit_id

        def read() -> tuple[list[meetings.MeetingRow], list[ReviewerRow]]:
            return meetings.list_meetings(db, audit_id=audit_id), scoring.list_reviewers(db)

        def shown(result: tuple[list[meetings.MeetingRow], list[ReviewerRow]]) -> None:
            found, self.reviewers = result
            today = [row for row in found if row.held_on == dt.date.today()]
            chosen = current or (today[-1].meeting_id if today else
                                 found[-1].meeting_id if found else None)
            self.start.show_meetings(found, chosen)
            if chosen is not None:
                self.load_meeting(chosen)

        self._read(read, shown)

    def load_meeting(self, meeting_id: int, then: Callable[[], object] | None = None) -> None:
        db = self.db

        def shown(detail: MeetingDetail) -> None:
            self.detail = detail
            self.start.show_detail(detail, self.reviewers)
            labels = [page.label(number) for number, page in enumerate(detail.pages, 1)]
            self.index = min(self.index, max(len(labels) - 1, 0))
            self.case.set_agenda(labels, self.index)
            self.carried.set_agenda(labels, self.index)
            if then is not None:
                then()

        self._read(lambda: meetings.get_meeting(db, meeting_id=meeting_id), shown)

    @property
    def chair(self) -> str:
        if self.detail is not None and self.detail.meeting.chair:
            return self.detail.meeting.chair
        chairs = [r.name for r in self.reviewers if r.is_chair]
        return self.acting if self.acting in chairs or not chairs else chairs[0]

    # --- the start page --------------------------------------------------------------

    def new_meeting(self) -> None:
        db, audit_id, chair = self.db, self.audit_id, self.chair
        self._change(lambda: meetings.create_meeting(db, audit_id=audit_id, chair=chair),
                     Changes(audit_id=audit_id),
                     lambda row: self.reload_meetings(row.meeting_id), "Today's meeting is set up.")

    def set_attendance(self, name: str, present: bool, role: str, agency: str,
                       guest: bool) -> None:
        if self.detail is None:
            return
        db, meeting_id = self.db, self.detail.meeting.meeting_id
        self._change(lambda: meetings.record_attendance(
            db, meeting_id=meeting_id, member=name, present=present, role=role, agency=agency,
            guest=guest), Changes(audit_id=self.audit_id),
            lambda row: self.load_meeting(meeting_id), f"{name}: "
            f"{'present' if present else 'apologies'}.")

    def declare(self, case_id: int, member: str, reason: str) -> None:
        if self.detail is None:
            return
        db, audit_id, meeting_id = self.db, self.audit_id, self.detail.meeting.meeting_id
        self._change(lambda: meetings.declare_interest(
            db, audit_id=audit_id, case_id=case_id, member=member, reason=reason,
            meeting_id=meeting_id), Changes(audit_id=audit_id, answers=True),
            lambda row: self.load_meeting(meeting_id),
            f"{member} declared an interest and will not score that case.")

    # --- the agenda ------------------------------------------------------------------

    def step(self, by: int) -> None:
        """Page Down / Page Up; from the start page, Page Down opens the agenda."""
        if self.pages.currentIndex() != 0:
            self.go_to(self.index + by)
        elif by > 0:
            self.go_to(self.index)

    @property
    def page(self) -> AgendaPage | None:
        if self.detail is None or not 0 <= self.index < len(self.detail.pages):
            return None
        return self.detail.pages[self.index]

    def go_to(self, index: int) -> None:
        if self.detail is None or not self.detail.pages:
            return
        index = max(0, min(index, len(self.detail.pages) - 1))
        self._settle_current(index)
        self.index = index
        self.show_page(new_page=True)

    def show_page(self, *, new_page: bool = False, refocus: bool = False) -> None:
        """The current agenda page: this audit's case to score, or a carried one;
        `refocus` after a settle hid the field the chair was typing in."""
        page = self.page
        if page is None or self.detail is None:
            return
        if page.scored_here:
            self.pages.setCurrentIndex(1)
            self.case.agenda.setCurrentIndex(self.index)
            self.load_case(new_case=new_page, refocus=refocus)
            return
        self.view = None
        self.pages.setCurrentIndex(2)
        self.carried.agenda.setCurrentIndex(self.index)
        self.carried.show_page(page, self.index + 1, len(self.detail.pages), new_page=new_page)
        if refocus:
            self.carried.focus_first()
        if new_page and page.case_id is not None:
            db, audit_id, case_id = self.db, page.audit_id, page.case_id
            self._read(lambda: meeting_board.case_facts(db, audit_id=audit_id, case_id=case_id),
                       lambda facts: self.carried.show_facts(facts)
                       if self.page == page else None)

    def _settle_current(self, next_index: int) -> None:
        """Leaving a case with an agreed verdict marks it discussed (unless carried)."""
        view = self.view
        if (view is None or next_index == self.index or view.agreed_verdict is None
                or view.status is not AgendaStatus.TO_DISCUSS):
            return
        db = self.db
        self._change(lambda: meetings.set_agenda_status(
            db, meeting_id=view.meeting_id, case_id=view.case_id, status=AgendaStatus.DISCUSSED),
            Changes(audit_id=self.audit_id), lambda _row: self.load_meeting(view.meeting_id))

    def load_case(self, *, new_case: bool = False, refocus: bool = False) -> None:
        if self.detail is None:
            return
        page, total = self.page, len(self.detail.pages)
        if page is None or page.case_id is None:
            return
        db, meeting_id, case_id = self.db, self.detail.meeting.meeting_id, page.case_id

        def shown(view: MeetingCaseView) -> None:
            now = self.page
            if now is None or now.case_id != view.case_id or not now.scored_here:
                return  # the chair moved on meanwhile
            self.view = view
            # Only members who took part may dissent: not guests, not those who declared.
            self.case.show_case(view, list(view.scorers), new_case=new_case,
                                number=self.index + 1, total=total, carried=now.carried)
            if refocus:
                self.case.focus_first()

        self._read(lambda: meeting_board.case_view(db, meeting_id=meeting_id, case_id=case_id),
                   shown)

    # --- the chair records ------------------------------------------------------------

    def agree_answer(self, code: str, answer: Answer | None, rationale: str) -> None:
        if self.view is None:
            return
        if not self.view.answers_shown:
            self.say("Answers are hidden until every member present has scored this case.")
            return
        db, audit_id, case_id, chair = self.db, self.audit_id, self.view.case_id, self.chair
        self._change(lambda: moderation.record_consensus(
            db, audit_id=audit_id, case_id=case_id, chair=chair, criterion_code=code,
            value=answer, rationale=rationale), Changes(audit_id=audit_id, answers=True),
            lambda _entry: self.load_case(),
            f"Criterion {code}: agreed {answer.label if answer else 'answer cleared'}.")

    def agree_verdict(self, verdict: Verdict, rationale: str) -> None:
        if self.view is None:
            return
        db, audit_id, case_id, chair = self.db, self.audit_id, self.view.case_id, self.chair
        self._change(lambda: moderation.record_consensus_verdict(
            db, audit_id=audit_id, case_id=case_id, chair=chair, verdict=verdict,
            rationale=rationale), Changes(audit_id=audit_id, verdicts=True),
            lambda _view: self.load_case(), f"Agreed verdict: {verdict.label}.")

    def add_dissent(self, member: str, reason: str) -> None:
        if self.view is None:
            return
        db, audit_id, case_id = self.db, self.audit_id, self.view.case_id
        self._change(lambda: meetings.record_dissent(
            db, audit_id=audit_id, case_id=case_id, member=member, reason=reason),
            Changes(audit_id=audit_id, verdicts=True), lambda _row: self.load_case(),
            f"{member}'s dissent is recorded.")

    def carry(self, question: str, role: str, agency: str) -> None:
        if self.view is None:
            return
        db, meeting_id, case_id = self.db, self.view.meeting_id, self.view.case_id
        self._change(lambda: meeting_carried.carry_case(
            db, meeting_id=meeting_id, case_id=case_id, question=question,
            answerer_role=role, answerer_agency=agency), Changes(audit_id=self.audit_id),
            lambda _row: self.load_meeting(meeting_id, self.show_page),
            "Carried to the next meeting, with the question asked.")

    def settle(self, request_id: int, answer: str) -> None:
        """A carried case's question answered: its page stays, showing the answer."""
        if self.detail is None:
            return
        db, meeting_id = self.db, self.detail.meeting.meeting_id
        # Settling may move another audit's record too (an earlier audit's case): any audit.
        self._change(lambda: information_requests.settle_request(
            db, request_id=request_id, answer=answer), Changes(),
            lambda _none: self.load_meeting(meeting_id, lambda: self.show_page(refocus=True)),
            "The question is settled with the answer recorded.")

    def carry_again(self, request_id: int, note: str) -> None:
        if self.detail is None:
            return
        db, meeting_id = self.db, self.detail.meeting.meeting_id
        self._change(lambda: meeting_carried.carry_again(
            db, meeting_id=meeting_id, request_id=request_id, note=note), Changes(),
            lambda _none: self.load_meeting(meeting_id, self.show_page),
            "Carried again to the next meeting.")

    def toggle_personal(self) -> None:
        page = self.page
        if page is None or page.case_id is None:
            return
        shown_on = self.case if page.scored_here else self.carried
        if shown_on.personal_shown:
            shown_on.hide_personal()
            return
        db, audit_id, case_id = self.db, page.audit_id, page.case_id

        def shown(details: tuple[tuple[str, str], ...]) -> None:
            if self.page == page:
                shown_on.show_personal(details)

        self._read(lambda: meeting_board.personal_details(db, audit_id=audit_id,
                                                          case_id=case_id), shown)
