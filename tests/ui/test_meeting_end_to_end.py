"""A whole panel meeting, end to end, as a chair runs it: on the demo with last quarter's
history, Meeting mode opens from the main window (Ctrl+M); the chair records who came, an
apology, a guest and a declaration of interest, then pages through the agenda with the
keyboard: settles last quarter's carried question on its page, keys one case's agreed
answers, rationale, verdict and a dissent, and carries another case on. The minutes are
then written to a real .docx and read back: everything the chair entered is in them, and
nothing was typed twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QListWidget
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer, Verdict
from audit_app.core.errors import UserError
from audit_app.services import information_requests, meetings, moderation, scoring
from audit_app.services.database import Database, open_database
from audit_app.services.demo import create_demo
from audit_app.services.demo_audit import REVIEWERS
from audit_app.services.panel_documents import write_minutes_file
from audit_app.ui import settings
from audit_app.ui.main_window import MainWindow
from audit_app.ui.meeting.window import MeetingWindow
from tests.helpers.background import settle
from tests.helpers.docx_text import docx_text

CHAIR, MEMBER = REVIEWERS[0][0], REVIEWERS[1][0]
ANSWER = "Supervisor's notes received: the decision was reviewed by a Detective Sergeant"
RATIONALE = "The file shows the referral but no record of the risk being reviewed"
DISSENT = "The risk was reviewed by phone and that is enough for this case"
QUESTION = "Was the victim told of the right to review?"
DECLARED_BECAUSE = "Knows the suspect's family"
WAIT = 20_000


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Database, int]]:
    database = open_database(tmp_path / "meeting.sqlite3")
    audit = create_demo(database, seed=11, population=300, sample_size=12, with_history=True)
    try:
        yield database, audit.id
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        database.close()


def focused() -> object:
    return QApplication.focusWidget()


def _open_meeting_mode(qtbot: QtBot, db: Database, audit_id: int) -> MeetingWindow:
    settings.LAST_AUDIT_ID.write(audit_id)
    settings.REVIEWER_NAME.write(CHAIR)
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitActive(main):
        main.activateWindow()
    qtbot.waitUntil(lambda: main.audit_id == audit_id, timeout=WAIT)
    assert main.meeting_action.shortcut().toString() == "Ctrl+M"
    qtbot.keyClick(main, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: main.findChild(MeetingWindow) is not None, timeout=WAIT)
    window = main.findChild(MeetingWindow)
    assert window is not None
    qtbot.waitUntil(lambda: window.detail is not None, timeout=WAIT)
    return window


def _say(qtbot: QtBot, window: MeetingWindow, words: str) -> None:
    qtbot.waitUntil(lambda: words in window.notice.text(), timeout=WAIT)
    settle()


def _tick(qtbot: QtBot, window: MeetingWindow, name: str) -> None:
    attendance: QListWidget = window.start.attendance
    row = next(index for index in range(attendance.count())
               if attendance.item(index).text().startswith(name))
    attendance.setFocus()
    attendance.setCurrentRow(row)
    qtbot.keyClick(attendance, Qt.Key.Key_Space)
    _say(qtbot, window, f"{name}: present")


def _attendance_and_declaration(qtbot: QtBot, window: MeetingWindow, case_id: int) -> None:
    start = window.start
    for name in (CHAIR, MEMBER):
        _tick(qtbot, window, name)
    qtbot.keyClicks(start.guest_name, "Morwenna Tallis")
    qtbot.keyClicks(start.guest_role, "Member")
    qtbot.keyClicks(start.guest_agency, "Probation Service")
    qtbot.mouseClick(start.apologies_button, Qt.MouseButton.LeftButton)
    _say(qtbot, window, "Morwenna Tallis: apologies")
    qtbot.keyClicks(start.guest_name, "Idris Fenwick")
    qtbot.keyClicks(start.guest_role, "Observer")
    qtbot.keyClicks(start.guest_agency, "Crown Prosecution Service")
    qtbot.keyClick(start.guest_agency, Qt.Key.Key_Return)
    _say(qtbot, window, "Idris Fenwick: present")
    start.declare_member.setCurrentText(MEMBER)
    start.declare_case.setCurrentIndex(start.declare_case.findData(case_id))
    qtbot.keyClicks(start.declare_reason, DECLARED_BECAUSE)
    qtbot.keyClick(start.declare_reason, Qt.Key.Key_Return)
    _say(qtbot, window, f"{MEMBER} declared an interest")


def _next_page(qtbot: QtBot, window: MeetingWindow, number: int) -> None:
    """Page Down, wherever the focus is in meeting mode, reaches page `number`."""
    target = focused() or window
    qtbot.keyClick(target, Qt.Key.Key_PageDown)
    total = len(window.detail.pages) if window.detail else 0
    heading = f"Case {number} of {total}:"
    qtbot.waitUntil(lambda: (window.case.heading.text() if window.pages.currentIndex() == 1
                             else window.carried.heading.text()).startswith(heading)
                    and (window.pages.currentIndex() == 2 or (window.view is not None
                         and window.view.case_id == window.page.case_id)), timeout=WAIT)
    settle()


def _agree_first_case(qtbot: QtBot, window: MeetingWindow) -> list[str]:
    """Digit keys on the spread, then the rationale, Enter for the verdict, a dissent."""
    page = window.case
    assert focused() is page.spread, "answers show: the chair's keys go to the spread"
    codes = []
    for key, answer in ((Qt.Key.Key_1, Answer.MET), (Qt.Key.Key_3, Answer.NOT_MET)):
        code = page.spread.current_code()
        assert code is not None
        codes.append(code)
        qtbot.keyClick(page.spread, key)
        _say(qtbot, window, f"Criterion {code}: agreed {answer.label}")
        qtbot.keyClick(page.spread, Qt.Key.Key_Down)
    page.rationale.setFocus()
    page.rationale.selectAll()
    qtbot.keyClicks(page.rationale, RATIONALE)
    page.verdict.setCurrentIndex(page.verdict.findData(Verdict.INAPPROPRIATE))
    qtbot.keyClick(page.rationale, Qt.Key.Key_Return)
    _say(qtbot, window, "Agreed verdict: Inappropriate")
    page.dissent_member.setCurrentText(MEMBER)
    qtbot.keyClicks(page.dissent_reason, DISSENT)
    qtbot.keyClick(page.dissent_reason, Qt.Key.Key_Return)
    _say(qtbot, window, f"{MEMBER}'s dissent is recorded")
    return codes


def test_a_whole_meeting_from_the_projector_to_the_minutes(
        qtbot: QtBot, demo: tuple[Database, int], tmp_path: Path) -> None:
    db, audit_id = demo
    window = _open_meeting_mode(qtbot, db, audit_id)
    first_meeting = window.detail.meeting.meeting_id if window.detail else 0
    qtbot.mouseClick(window.start.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.detail is not None
                    and window.detail.meeting.meeting_id != first_meeting, timeout=WAIT)
    settle()
    detail = window.detail
    assert detail is not None and detail.attendance == ()
    meeting_id = detail.meeting.meeting_id
    pages = detail.pages
    assert pages[0].carried is not None and not pages[0].scored_here
    agreed_case, carried_case, declared_case = (pages[1].case_id, pages[6].case_id,
                                                pages[7].case_id)
    assert agreed_case and carried_case and declared_case
    _attendance_and_declaration(qtbot, window, declared_case)
    code = next(iter(scoring.get_review(db, audit_id=audit_id, case_id=declared_case,
                                        reviewer=CHAIR).answers))
    with pytest.raises(UserError, match=f"{MEMBER} declared an interest in this case"):
        scoring.record_answer(db, audit_id=audit_id, case_id=declared_case, reviewer=MEMBER,
                              criterion_code=code, value=Answer.MET)

    codes: list[str] = []
    for number in range(1, len(pages) + 1):
        _next_page(qtbot, window, number)
        if number == 1:  # last quarter's question: answered and settled on its page
            box = window.carried.carried
            assert focused() is box.answer
            qtbot.keyClicks(box.answer, ANSWER)
            qtbot.keyClick(box.answer, Qt.Key.Key_Return)
            _say(qtbot, window, "The question is settled")
            assert box.standing.text().endswith(f"The answer: {ANSWER}")
        elif number == 2:
            codes = _agree_first_case(qtbot, window)
        elif number == 7:  # the member has not scored it: answers hidden, carried on
            assert not window.case.spread.isVisibleTo(window)
            assert focused() is window.case.rationale
            window.case.carry_reason.setFocus()
            qtbot.keyClicks(window.case.carry_reason, QUESTION)
            qtbot.keyClicks(window.case.carry_role, "Victim Care Manager")
            qtbot.keyClick(window.case.carry_role, Qt.Key.Key_Return)
            _say(qtbot, window, "Carried to the next meeting")
        elif number == 8:
            assert window.case.declared.text() == (
                f"{MEMBER} declared an interest and does not score this case.")
    qtbot.keyClick(focused() or window, Qt.Key.Key_Escape)  # meeting mode closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    settle()

    compared = moderation.comparison(db, audit_id=audit_id, case_id=agreed_case)
    agreed = {c.code: c.consensus for c in compared.criteria}
    assert [agreed[code] for code in codes] == [Answer.MET, Answer.NOT_MET]
    assert compared.consensus_verdict is Verdict.INAPPROPRIATE
    assert compared.consensus_rationale == RATIONALE
    [carried_on] = [r for r in information_requests.list_requests(db, audit_id=audit_id)
                    if r.question == QUESTION]
    assert carried_on.answerer == "Victim Care Manager" and not carried_on.is_settled

    minutes = tmp_path / "minutes.docx"
    write_minutes_file(db, audit_id=audit_id, path=minutes, meeting_id=meeting_id,
                       pseudonymise=False)
    text = docx_text(minutes)
    detail = meetings.get_meeting(db, meeting_id=meeting_id)
    references = {row.case_id: row.reference for row in detail.agenda}
    for expected in ("Morwenna Tallis\nMember\nProbation Service\nApologies",
                     "Idris Fenwick\nObserver\nCrown Prosecution Service\nPresent (guest)",
                     f"{CHAIR}\n", f"{MEMBER}\n{references[declared_case]}\n{DECLARED_BECAUSE}",
                     f"Rationale: {RATIONALE}", f"Dissent: {MEMBER} did not agree: {DISSENT}",
                     f"{references[carried_case]}\n{QUESTION} (to be answered by Victim Care "
                     "Manager)", f": {ANSWER}"):
        assert expected in text, expected
    assert pages[0].reference in text, "last quarter's carried case, with its answer"
