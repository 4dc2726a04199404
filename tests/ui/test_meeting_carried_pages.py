"""Meeting mode's carried pages: an earlier audit's unanswered question and a case an
earlier meeting of this audit carried on are the agenda's first pages, headed with the
question and who was to answer it; the chair settles one, carries one again, and scores
this audit's carried case like any other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from audit_app.core.meeting import AgendaStatus
from audit_app.services import information_requests, meeting_carried, meetings
from audit_app.services.database import Database
from audit_app.ui.meeting.page_parts import HIDDEN_DETAILS
from audit_app.ui.meeting.window import MeetingWindow
from tests.helpers.accessibility import naming_problems
from tests.helpers.audits import VICTIMS, BuiltAudit, build_audit
from tests.helpers.background import settle
from tests.helpers.visible_text import internal_names, visible_texts

QUESTION = "Was the MARAC referral made?"


@pytest.fixture
def carried(db: Database) -> Iterator[tuple[BuiltAudit, BuiltAudit, int, int]]:
    """An earlier audit with an unanswered question; this audit, whose first meeting
    carried its third case on; and this audit's second meeting, today."""
    earlier = build_audit(db, cases=3)
    request = information_requests.add_request(
        db, audit_id=earlier.audit_id, case_reference=earlier.references[1],
        question=QUESTION, answerer_role="MARAC coordinator", answerer_agency="Police")
    later = build_audit(db, cases=3)
    first = meetings.create_meeting(db, audit_id=later.audit_id, chair="Chair",
                                    held_on=dt.date.today() - dt.timedelta(days=30))
    meeting_carried.carry_case(db, meeting_id=first.meeting_id, case_id=later.case_ids[2],
                               question="Send the body-worn video log",
                               answerer_role="Duty Inspector")
    second = meetings.create_meeting(db, audit_id=later.audit_id, chair="Chair")
    yield earlier, later, request, second.meeting_id
    QThreadPool.globalInstance().waitForDone(10_000)


def _window(qtbot: QtBot, db: Database, audit_id: int) -> MeetingWindow:
    window = MeetingWindow(db, audit_id=audit_id, acting="Chair")
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: window.detail is not None, timeout=10_000)
    settle()
    return window


def test_carried_cases_are_the_first_agenda_pages_in_order(
        qtbot: QtBot, db: Database, carried: tuple[BuiltAudit, BuiltAudit, int, int]) -> None:
    earlier, later, _request, _meeting = carried
    window = _window(qtbot, db, later.audit_id)
    assert window.start.carried_line.text() == (
        "2 cases are carried in from DA NFA review Q3, the meeting on "
        f"{dt.date.today() - dt.timedelta(days=30):%d %B %Y}: they follow as the first "
        "agenda pages, with the question asked and who was to answer it.")
    qtbot.mouseClick(window.start.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 2, timeout=10_000)
    page = window.carried
    assert page.heading.text() == (f"Case 1 of 4: {earlier.references[1]}, carried from "
                                   "DA NFA review Q3.")
    assert page.carried.heading.text() == (
        f"Carried from DA NFA review Q3: {QUESTION} To be answered by: MARAC coordinator, "
        "Police.")
    qtbot.waitUntil(lambda: "Outcome code" in page.facts.text(), timeout=10_000)
    shown = " ".join(text.text for text in visible_texts(window))
    assert VICTIMS[1] not in shown and page.personal.text() == HIDDEN_DETAILS
    assert naming_problems(window, "Meeting mode's carried page") == []
    assert internal_names(visible_texts(window)) == []
    qtbot.mouseClick(page.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: VICTIMS[1] in page.personal.text(), timeout=10_000)

    qtbot.keyClick(window, Qt.Key.Key_PageDown)  # this audit's carried case, scored here
    qtbot.waitUntil(lambda: window.view is not None
                    and window.view.case_id == later.case_ids[2], timeout=10_000)
    settle()
    assert window.pages.currentIndex() == 1
    assert window.case.heading.text().startswith(f"Case 2 of 4: {later.references[2]}.")
    assert window.case.carried.isVisibleTo(window)
    assert window.case.carried.heading.text().startswith(
        f"Carried from the meeting on {dt.date.today() - dt.timedelta(days=30):%d %B %Y}: "
        "Send the body-worn video log. To be answered by: Duty Inspector.")
    assert window.case.spread.isVisibleTo(window) or window.case.waiting.isVisibleTo(window)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)  # then this audit's own cases, in order
    qtbot.waitUntil(lambda: window.view is not None
                    and window.view.case_id == later.case_ids[0], timeout=10_000)
    assert not window.case.carried.isVisibleTo(window)
    assert window.case.agenda.count() == 4


def test_the_chair_settles_one_and_carries_the_other_again(
        qtbot: QtBot, db: Database, carried: tuple[BuiltAudit, BuiltAudit, int, int]) -> None:
    earlier, later, request, meeting_id = carried
    window = _window(qtbot, db, later.audit_id)
    window.go_to(0)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 2, timeout=10_000)
    settle()
    box = window.carried.carried
    qtbot.keyClicks(box.answer, "Yes, on 3 March")
    qtbot.keyClick(box.answer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.standing.text().startswith("Settled on"), timeout=10_000)
    assert box.standing.text().endswith("The answer: Yes, on 3 March")
    assert not box.answer.isVisibleTo(window), "nothing left to settle"
    assert window.detail is not None and window.detail.carried == ()
    assert len(window.detail.pages) == 4, "the settled page stays for the meeting"
    [settled] = information_requests.list_requests(db, audit_id=earlier.audit_id)
    assert (settled.request_id, settled.answer) == (request, "Yes, on 3 March")

    # This audit's carried case: its question answered, the panel carries it once more.
    window.go_to(1)
    qtbot.waitUntil(lambda: window.view is not None
                    and window.view.case_id == later.case_ids[2], timeout=10_000)
    settle()
    window.case.carry_agency.setText("Police")
    qtbot.mouseClick(window.case.carry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Carried to the next meeting" in window.notice.text(),
                    timeout=10_000)
    detail = meetings.get_meeting(db, meeting_id=meeting_id)
    item = next(row for row in detail.agenda if row.case_id == later.case_ids[2])
    assert item.status is AgendaStatus.CARRIED
    assert item.carried_reason == ("Send the body-worn video log (to be answered by Police)")
    [own] = information_requests.list_requests(db, audit_id=later.audit_id)
    assert own.question == "Send the body-worn video log", "asked once, not twice"


def test_an_earlier_audits_question_carried_again_says_so(
        qtbot: QtBot, db: Database, carried: tuple[BuiltAudit, BuiltAudit, int, int]) -> None:
    _earlier, later, _request, meeting_id = carried
    window = _window(qtbot, db, later.audit_id)
    window.go_to(0)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 2, timeout=10_000)
    box = window.carried.carried
    qtbot.keyClicks(box.note, "The coordinator is on leave until Monday")
    qtbot.mouseClick(box.carry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.standing.text().startswith("Carried again"), timeout=10_000)
    assert box.standing.text() == ("Carried again to the next meeting: The coordinator is "
                                   "on leave until Monday")
    assert meetings.get_meeting(db, meeting_id=meeting_id).carried != (), "still unanswered"
