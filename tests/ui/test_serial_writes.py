"""Key presses are saved off the GUI thread by one serial writer: in order, none lost.

Real SQLite files throughout; what landed is read back through a brand-new Database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer
from audit_app.core.framework import Framework
from audit_app.services import audits, backups, frameworks, retention, sampling, scoring
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.main_window import REVIEW, MainWindow
from audit_app.ui.operations import write_queue
from audit_app.ui.review.review_page import ReviewPage
from audit_app.ui.review.scoring_session import ScoringSession
from tests.helpers.review_audits import ReviewAudit, build_review_audit
from tests.helpers.review_page import REVIEWER, shown_review_page, wait_for_case

MEMBER = "Jordan Lee"  # scores nothing in the demo audit


class ThreadNoting(ScoringSession):
    """The real session, noting which thread each service call runs on."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.threads: list[threading.Thread] = []

    def record_answer(self, **arguments: Any) -> object:
        self.threads.append(threading.current_thread())
        return super().record_answer(**arguments)

    def set_case_details(self, **arguments: Any) -> object:
        self.threads.append(threading.current_thread())
        return super().set_case_details(**arguments)


def _framework(db: Database, audit_id: int) -> Framework:
    audit = audits.get_audit(db, audit_id)
    return frameworks.get_framework(db, audit.framework_key, version=audit.framework_version)


def _first_case(db: Database, audit_id: int) -> int:
    return next(row.case.id for row in sampling.get_sample(db, audit_id=audit_id)
                if row.status != "replaced")


def _stored(db: Database, audit_id: int, case_id: int, reviewer: str) -> scoring.ReviewView:
    other = open_database(db.url, install_frameworks=False)  # proves it was committed
    try:
        return scoring.get_review(other, audit_id=audit_id, case_id=case_id, reviewer=reviewer)
    finally:
        other.close()


@pytest.fixture
def session(scored_db: Database, scored_audit: AuditSummary) -> Iterator[ThreadNoting]:
    noting = ThreadNoting(scored_db)
    noting.start(audit_id=scored_audit.id, reviewer=MEMBER)
    yield noting
    noting.wait_for_saves()


def test_fifty_rapid_presses_on_different_criteria_land_in_order(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary,
        session: ThreadNoting) -> None:
    framework = _framework(scored_db, scored_audit.id)
    case_id = _first_case(scored_db, scored_audit.id)
    pressed: list[tuple[str, Answer]] = []
    for criterion in framework.criteria[:50]:
        answer = criterion.answers(framework.scale)[0]
        session.set_answer(case_id, criterion.code, (None, ""), (answer, ""))
        pressed.append((criterion.code, answer))
    assert len(pressed) == 50
    assert not session.saved, "the presses returned before their saves landed"
    qtbot.waitUntil(lambda: session.saved, timeout=60_000)

    stored = _stored(scored_db, scored_audit.id, case_id, MEMBER)
    assert {code: a.value for code, a in stored.answers.items()} == dict(pressed)
    logged = [(c.field, c.new_value) for c in reversed(list_changes(
        scored_db, audit_id=scored_audit.id, case_id=case_id)) if c.actor == MEMBER
        and c.entity == "answer"]
    assert logged == [(code, answer.value) for code, answer in pressed], "saved in press order"


def test_the_last_press_on_one_criterion_wins(qtbot: QtBot, scored_db: Database,
                                              scored_audit: AuditSummary,
                                              session: ThreadNoting) -> None:
    framework = _framework(scored_db, scored_audit.id)
    criterion = next(c for c in framework.criteria if len(c.answers(framework.scale)) >= 3)
    scale = criterion.answers(framework.scale)
    case_id = _first_case(scored_db, scored_audit.id)
    presses = [scale[i % len(scale)] for i in (0, 2, 1, 0, 2, 1, 1, 0, 2)]
    shown: tuple[Answer | None, str] = (None, "")
    for answer in presses:
        session.set_answer(case_id, criterion.code, shown, (answer, ""))
        shown = (answer, "")
    qtbot.waitUntil(lambda: session.saved, timeout=30_000)
    assert _stored(scored_db, scored_audit.id, case_id, MEMBER).answers[
        criterion.code].value is presses[-1]
    while session.undo_stack.canUndo():  # each undo lands in order too: back to nothing
        session.undo_stack.undo()
    qtbot.waitUntil(lambda: session.saved, timeout=30_000)
    assert criterion.code not in _stored(scored_db, scored_audit.id, case_id, MEMBER).answers


def test_the_gui_thread_never_calls_the_scoring_service(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary,
        session: ThreadNoting) -> None:
    framework = _framework(scored_db, scored_audit.id)
    case_id = _first_case(scored_db, scored_audit.id)
    code = framework.criteria[0].code
    session.set_answer(case_id, code, (None, ""), (Answer.MET, ""))
    session.set_note(case_id, code, Answer.MET, "", "On file")
    session.set_detail(case_id, "learning_points", "", "Record the decision")
    session.set_detail(case_id, "urgent_safeguarding", False, True)
    session.undo_stack.undo()
    qtbot.waitUntil(lambda: session.saved, timeout=30_000)
    assert len(session.threads) == 5
    assert threading.main_thread() not in session.threads
    assert len(set(session.threads)) == 1, "one writer thread, so one order"
    stored = _stored(scored_db, scored_audit.id, case_id, MEMBER)
    assert stored.answers[code].note == "On file" and not stored.urgent_safeguarding
    assert stored.learning_points == "Record the decision"


@pytest.fixture
def built(sqlite_db: Database) -> ReviewAudit:
    return build_review_audit(sqlite_db)


def test_a_save_refused_underneath_shows_why_and_the_stored_answer(
        qtbot: QtBot, sqlite_db: Database, built: ReviewAudit) -> None:
    page = shown_review_page(qtbot, sqlite_db, built.audit_id)
    case_id = page.case_id
    assert case_id is not None
    other = open_database(sqlite_db.url, install_frameworks=False)  # another laptop
    try:
        retention.close_audit(other, audit_id=built.audit_id)
    finally:
        other.close()
    page.criteria.focus_row("A1")
    qtbot.keyClick(page.criteria.rows["A1"], "1")
    assert page.criteria.rows["A1"].answer is Answer.MET, "shown at once"
    qtbot.waitUntil(lambda: page.session.saved)
    wait_for_case(qtbot, page)  # the case is read back as stored
    assert page.header.message.isVisible()
    assert "closed" in page.header.message.text()
    assert page.criteria.rows["A1"].answer is None
    assert page.answers.get("A1", (None, ""))[0] is None
    assert not page.session.undo_stack.canUndo(), "no undo step for what was never saved"
    assert page.read_only
    assert "A1" not in _stored(sqlite_db, built.audit_id, case_id, REVIEWER).answers


def test_closing_the_window_waits_for_the_queued_saves(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    settings.BACKUP_ON_OPEN.write(False)
    settings.REVIEWER_NAME.write(MEMBER)
    window = MainWindow(scored_db)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(REVIEW)
    page = window.review_host.review_page
    assert isinstance(page, ReviewPage)
    wait_for_case(qtbot, page)
    case_id = page.case_id
    assert case_id is not None
    codes = [code for code in page.criteria.applicable_codes()
             if Answer.MET in page.criteria.rows[code].buttons][:20]
    for code in codes:
        page.criteria.focus_row(code)
        qtbot.keyClick(page.criteria.rows[code], "1")
    assert not page.session.saved and write_queue().pending, "still queued at the close"
    window.close()
    assert write_queue().pending == 0
    stored = _stored(scored_db, scored_audit.id, case_id, MEMBER)
    assert all(stored.answers[code].value is Answer.MET for code in codes)


def test_a_note_still_being_typed_is_saved_when_the_window_closes(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    settings.BACKUP_ON_OPEN.write(False)
    settings.REVIEWER_NAME.write(MEMBER)
    window = MainWindow(scored_db)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(REVIEW)
    page = window.review_host.review_page
    assert isinstance(page, ReviewPage)
    wait_for_case(qtbot, page)
    case_id = page.case_id
    assert case_id is not None
    code = next(code for code in page.criteria.applicable_codes()
                if Answer.NOT_MET in page.criteria.rows[code].buttons)
    page.criteria.focus_row(code)
    qtbot.keyClick(page.criteria.rows[code], "3")  # Not met: the note box takes focus
    qtbot.keyClicks(page.criteria.rows[code].note, "No statement on file")
    window.close()  # before the typing pause has passed
    assert write_queue().pending == 0, "nothing left to save after the close"
    stored = _stored(scored_db, scored_audit.id, case_id, MEMBER)
    assert (stored.answers[code].value, stored.answers[code].note) == (
        Answer.NOT_MET, "No statement on file")


def test_another_audit_opens_only_after_the_last_case_is_saved(
        qtbot: QtBot, sqlite_db: Database, built: ReviewAudit) -> None:
    page = shown_review_page(qtbot, sqlite_db, built.audit_id)
    case_id = page.case_id
    assert case_id is not None
    page.criteria.focus_row("A1")
    qtbot.keyClick(page.criteria.rows["A1"], "2")
    page.conclusion.urgent.setFocus()
    qtbot.keyClick(page.conclusion.urgent, Qt.Key.Key_Space)
    page.set_audit(built.audit_id)  # as opening an audit does: it drains first
    assert page.session.saved
    stored = _stored(sqlite_db, built.audit_id, case_id, REVIEWER)
    assert stored.answers["A1"].value is Answer.PARTLY_MET and stored.urgent_safeguarding


def test_a_backup_asked_for_after_key_presses_holds_them(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary,
        session: ThreadNoting) -> None:
    from audit_app.services.backups import BackupFile
    from audit_app.ui.operations import QueryOp

    framework = _framework(scored_db, scored_audit.id)
    case_id = _first_case(scored_db, scored_audit.id)
    pressed = {c.code: c.answers(framework.scale)[0] for c in framework.criteria[:20]}
    for code, answer in pressed.items():
        session.set_answer(case_id, code, (None, ""), (answer, ""))
    taken: list[BackupFile] = []
    # As the backup taken on opening an audit does, asked for while the saves are queued:
    QueryOp(None, lambda _control: backups.take_backup(scored_db), taken.append).run()
    qtbot.waitUntil(lambda: bool(taken), timeout=60_000)
    copy = open_database(taken[0].path, install_frameworks=False)
    try:
        view = scoring.get_review(copy, audit_id=scored_audit.id, case_id=case_id,
                                  reviewer=MEMBER)
    finally:
        copy.close()
    assert {code: a.value for code, a in view.answers.items()} == pressed, \
        "the backup waited for the saves queued before it"
