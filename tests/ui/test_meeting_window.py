"""Meeting mode on a real SQLite demo audit: hidden answers, declarations, the chair's
keystrokes read back from a fresh Database, personal details, fit and plain words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer, Verdict
from audit_app.core.errors import UserError
from audit_app.db.migrate import backup_sqlite
from audit_app.services import meeting_board, meetings, moderation, scoring
from audit_app.services.database import Database, open_database
from audit_app.ui.meeting.page_parts import HIDDEN_DETAILS
from audit_app.ui.meeting.window import MeetingWindow
from tests.helpers.accessibility import naming_problems
from tests.helpers.background import settle
from tests.helpers.meetings import CHAIR, MEMBER, DemoMeeting, build_meeting
from tests.helpers.review_page import shown_review_page, wait_for_case
from tests.helpers.templates import own_data_dir
from tests.helpers.visible_text import internal_names, visible_texts


@pytest.fixture(scope="module")
def meeting_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoMeeting]:
    """The demo and its meeting, built once for the module; each test gets a copy."""
    folder = tmp_path_factory.mktemp("meeting")
    path = folder / "meeting.sqlite3"
    with own_data_dir(folder / "data"):
        database = open_database(path)
        built = build_meeting(database, population=200, sample_size=10)
        database.close()
    return path, built


@pytest.fixture
def demo(meeting_template: tuple[Path, DemoMeeting],
         tmp_path: Path) -> Iterator[tuple[Database, DemoMeeting]]:
    template, built = meeting_template
    copy = tmp_path / "meeting.sqlite3"
    backup_sqlite(template, copy)  # a real file of its own, as the test once built
    database = open_database(copy)
    try:
        yield database, built
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        database.close()


def _open(qtbot: QtBot, db: Database, position: int) -> MeetingWindow:
    window = MeetingWindow(db, audit_id=_audit(db), acting=CHAIR)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: window.detail is not None, timeout=10_000)
    window.go_to(position - 1)
    qtbot.waitUntil(lambda: window.view is not None
                    and window.view.position == position, timeout=10_000)
    settle()
    return window


def _audit(db: Database) -> int:
    return meetings.list_meetings(db)[0].audit_id


def test_answers_stay_hidden_until_every_member_present_has_scored(
        qtbot: QtBot, demo: tuple[Database, DemoMeeting]) -> None:
    db, _built = demo
    window = _open(qtbot, db, 7)  # the member has not completed case 7
    assert not window.case.spread.isVisibleTo(window)
    assert window.case.waiting.text() == (
        f"Answers stay hidden until {MEMBER} has scored this case.")
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: window.view is not None and window.view.position == 6,
                    timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.view is not None and window.view.position == 1,
                    timeout=10_000)
    settle()
    assert window.case.spread.isVisibleTo(window) and window.case.spread.rowCount() > 0
    assert not window.case.waiting.isVisibleTo(window)


def test_a_declared_members_scoring_is_refused_and_the_window_says_so(
        qtbot: QtBot, demo: tuple[Database, DemoMeeting]) -> None:
    db, built = demo
    case_id = built.case(7)
    window = _open(qtbot, db, 1)
    window.pages.setCurrentIndex(0)
    window.start.declare_member.setCurrentText(MEMBER)
    window.start.declare_case.setCurrentIndex(6)
    window.start.declare_reason.setText("Neighbour of the victim")
    qtbot.mouseClick(window.start.declare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "declared an interest" in window.notice.text(), timeout=10_000)
    code = next(iter(scoring.get_review(db, audit_id=built.audit_id, case_id=case_id,
                                        reviewer=CHAIR).answers))
    with pytest.raises(UserError, match=f"{MEMBER} declared an interest in this case"):
        scoring.record_answer(db, audit_id=built.audit_id, case_id=case_id, reviewer=MEMBER,
                              criterion_code=code, value=Answer.MET)
    window.go_to(6)
    qtbot.waitUntil(lambda: window.view is not None and window.view.position == 7,
                    timeout=10_000)
    settle()
    assert window.case.declared.text() == (
        f"{MEMBER} declared an interest and does not score this case.")
    assert window.case.spread.isVisibleTo(window)  # the chair alone may score it now


def test_the_chair_records_with_keystrokes_and_it_reads_back(
        qtbot: QtBot, demo: tuple[Database, DemoMeeting]) -> None:
    db, built = demo
    case_id = built.case(1)
    window = _open(qtbot, db, 1)
    table = window.case.spread
    table.setFocus()
    table.setCurrentCell(0, 0)
    code = table.current_code()
    assert code is not None
    qtbot.keyClicks(window.case.rationale, "The file shows the referral")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: "agreed Partly met" in window.notice.text(), timeout=10_000)
    window.case.verdict.setCurrentIndex(window.case.verdict.findData(Verdict.INAPPROPRIATE))
    window.case.rationale.setFocus()
    qtbot.keyClick(window.case.rationale, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Agreed verdict" in window.notice.text(), timeout=10_000)
    qtbot.waitUntil(lambda: window.view is not None
                    and window.view.agreed_verdict is Verdict.INAPPROPRIATE, timeout=10_000)
    window.case.dissent_member.setCurrentText(MEMBER)
    qtbot.keyClicks(window.case.dissent_reason, "Supervision was adequate")
    qtbot.keyClick(window.case.dissent_reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "dissent is recorded" in window.notice.text(), timeout=10_000)
    qtbot.mouseClick(window.case.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.view is not None and window.view.position == 2,
                    timeout=10_000)
    settle()
    fresh = open_database(db.url)
    try:
        compared = moderation.comparison(fresh, audit_id=built.audit_id, case_id=case_id)
        agreed = {c.code: c.consensus for c in compared.criteria}
        assert agreed[code] is Answer.PARTLY_MET
        assert compared.consensus_verdict is Verdict.INAPPROPRIATE
        assert compared.consensus_rationale == "The file shows the referral"
        dissents = meetings.list_dissents(fresh, audit_id=built.audit_id, case_id=case_id)
        assert [(d.member, d.reason) for d in dissents] == [(MEMBER, "Supervision was adequate")]
        detail = meetings.get_meeting(fresh, meeting_id=built.meeting_id)
        assert detail.agenda[0].status.label == "Discussed"
    finally:
        fresh.close()


def test_personal_details_stay_hidden_until_revealed_and_hide_on_the_next_case(
        qtbot: QtBot, demo: tuple[Database, DemoMeeting]) -> None:
    db, built = demo
    window = _open(qtbot, db, 1)
    victim = dict(meeting_board.personal_details(db, audit_id=built.audit_id,
                                                 case_id=built.case(1)))["Victim name"]
    shown = " ".join(text.text for text in visible_texts(window))
    assert victim not in shown and window.case.personal.text() == HIDDEN_DETAILS
    qtbot.mouseClick(window.case.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: victim in window.case.personal.text(), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: window.view is not None and window.view.position == 2,
                    timeout=10_000)
    assert window.case.personal.text() == HIDDEN_DETAILS


def _too_wide(root: QWidget, width: int) -> list[str]:
    return [f"{type(w).__name__} {w.accessibleName()!r} {w.width()}px"
            for w in root.findChildren(QWidget) if w.isVisibleTo(root) and w.width() > width]


def test_the_window_fits_1280_by_720_in_large_type_and_reads_plainly(
        qtbot: QtBot, demo: tuple[Database, DemoMeeting]) -> None:
    db, _built = demo
    window = _open(qtbot, db, 1)
    assert window.case.heading.font().pointSizeF() >= QApplication.font().pointSizeF() * 1.5
    assert window.width() <= 1280 and window.height() <= 720
    for page in (1, 0):
        window.pages.setCurrentIndex(page)
        settle()
        assert _too_wide(window, 1280) == []
        assert naming_problems(window, "meeting mode") == []
        assert sorted(set(internal_names(visible_texts(window)))) == []


def test_the_review_screen_says_why_a_declared_member_cannot_score(
        qtbot: QtBot, demo: tuple[Database, DemoMeeting]) -> None:
    db, built = demo
    case_id = built.case(9)  # nobody has scored it yet
    meetings.declare_interest(db, audit_id=built.audit_id, case_id=case_id, member=MEMBER,
                              reason="Related to the officer")
    page = shown_review_page(qtbot, db, built.audit_id, reviewer=MEMBER)
    page.select_case(case_id)
    wait_for_case(qtbot, page)
    code = meeting_board.case_view(db, meeting_id=built.meeting_id,
                                   case_id=built.case(1)).spreads[0].code
    page.session.apply_answer(case_id, code, Answer.MET, "")  # queued for the serial writer
    qtbot.waitUntil(lambda: page.header.message.isVisibleTo(page))  # which refuses it
    assert f"{MEMBER} declared an interest in this case" in page.header.message.text()
    review = scoring.get_review(db, audit_id=built.audit_id, case_id=case_id, reviewer=MEMBER)
    assert review.answers == {}



def test_the_review_screen_stands_a_calm_notice_over_a_declared_case(
        qtbot: QtBot, demo: tuple[Database, DemoMeeting]) -> None:
    db, built = demo
    declared, other = built.case(9), built.case(8)
    meetings.declare_interest(db, audit_id=built.audit_id, case_id=declared, member=MEMBER,
                              reason="Related to the officer", meeting_id=built.meeting_id)
    page = shown_review_page(qtbot, db, built.audit_id, reviewer=MEMBER)
    page.select_case(declared)
    wait_for_case(qtbot, page)
    assert page.declared.isVisibleTo(page)
    assert page.declared.text() == ("You declared an interest in this case at the meeting on "
                                    "30 November 2026: you cannot score it.")
    assert not page.criteria.isEnabled() and not page.conclusion.isEnabled()
    assert not page.header.complete.isEnabled()
    page.select_case(other)  # another case: the notice goes, scoring comes back
    wait_for_case(qtbot, page)
    assert not page.declared.isVisibleTo(page) and page.criteria.isEnabled()
    page.select_case(declared)
    wait_for_case(qtbot, page)
    assert page.declared.isVisibleTo(page)
    page.set_reviewer(CHAIR)  # another reviewer: the case is theirs to score
    wait_for_case(qtbot, page)
    qtbot.waitUntil(lambda: page.case_id == declared and page.loading is None)
    assert not page.declared.isVisibleTo(page) and page.criteria.isEnabled()
