"""The review page reads a case, and marks it complete, off the GUI thread.

A key pressed while the next case is still being read must reach that case once it is
shown: never the case being left, and never a third case chosen meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.ui.operations import Changes, operation_signals
from audit_app.ui.review.review_page import ReviewPage
from tests.helpers.review_audits import ReviewAudit, build_review_audit
from tests.helpers.review_page import (
    REVIEWER,
    focused,
    shown_review_page,
    wait_for_case,
    wait_for_saves,
)


@pytest.fixture
def built(sqlite_db: Database) -> ReviewAudit:
    return build_review_audit(sqlite_db)


@pytest.fixture
def page(qtbot: QtBot, sqlite_db: Database, built: ReviewAudit) -> Iterator[ReviewPage]:
    yield shown_review_page(qtbot, sqlite_db, built.audit_id)


def answers(db: Database, audit_id: int, case_id: int) -> dict[str, Answer]:
    view = scoring.get_review(db, audit_id=audit_id, case_id=case_id, reviewer=REVIEWER)
    return {code: entry.value for code, entry in view.answers.items()}


def test_a_case_is_read_in_the_background_and_then_shown(
        qtbot: QtBot, built: ReviewAudit, page: ReviewPage) -> None:
    target = built.case_ids[2]
    with qtbot.waitSignal(page.case_shown) as shown:
        page.select_case(target)
        assert page.loading == target  # not yet on screen: the read is still running
    assert shown.args == [target]
    assert page.loading is None and page.case_id == target
    assert page.header.complete.isEnabled()
    assert page.case_model.row_of(target) == page.case_list.currentIndex().row()


def test_a_key_pressed_while_the_case_loads_scores_that_case(
        qtbot: QtBot, sqlite_db: Database, built: ReviewAudit, page: ReviewPage) -> None:
    left, target = built.case_ids[0], built.case_ids[1]
    page.select_case(target)
    assert page.loading == target
    qtbot.keyClick(focused(), "1")  # aimed at the criterion still showing the case being left
    wait_for_case(qtbot, page)
    first = page.criteria.applicable_codes()[0]
    assert answers(sqlite_db, built.audit_id, target) == {first: Answer.MET}
    assert answers(sqlite_db, built.audit_id, left) == {}
    assert page.criteria.rows[first].answer is Answer.MET


def test_keys_held_for_a_case_never_shown_go_nowhere(
        qtbot: QtBot, sqlite_db: Database, built: ReviewAudit, page: ReviewPage) -> None:
    page.select_case(built.case_ids[1])
    qtbot.keyClick(focused(), "2")
    page.select_case(built.case_ids[2])  # moved on before the first case arrived
    wait_for_case(qtbot, page)
    assert page.case_id == built.case_ids[2]
    for case_id in built.case_ids[:3]:
        assert answers(sqlite_db, built.audit_id, case_id) == {}


def test_mark_complete_saves_in_the_background_and_announces_once(
        qtbot: QtBot, sqlite_db: Database, built: ReviewAudit, page: ReviewPage) -> None:
    case_id = page.case_id
    assert case_id is not None
    seen: list[tuple[Changes, object]] = []
    operation_signals().changed.connect(lambda changes, initiator: seen.append((changes, initiator)))
    for code in page.criteria.applicable_codes():
        page.criteria.focus_row(code)
        qtbot.keyClick(focused(), "1")
    page.conclusion.verdict.setCurrentIndex(page.conclusion.verdict.findData(Verdict.APPROPRIATE))
    wait_for_saves(qtbot, page)  # the key presses' saves land (in order, off the GUI thread)
    seen.clear()  # the key-press saves announce themselves; only the completion counts here
    page.mark_complete()
    assert page.completion.running
    wait_for_case(qtbot, page)
    assert seen == [(Changes(audit_id=built.audit_id, answers=True, verdicts=True), page)]
    assert page.header.status.text() == ReviewStatus.COMPLETE.label
    assert scoring.get_review(sqlite_db, audit_id=built.audit_id, case_id=case_id,
                              reviewer=REVIEWER).status is ReviewStatus.COMPLETE


def test_ctrl_enter_while_the_case_loads_completes_it_once_shown(
        qtbot: QtBot, sqlite_db: Database, built: ReviewAudit, page: ReviewPage) -> None:
    target = built.case_ids[1]
    page.select_case(target)
    wait_for_case(qtbot, page)
    for code in page.criteria.applicable_codes():
        page.criteria.focus_row(code)
        qtbot.keyClick(focused(), "1")
    page.conclusion.verdict.setCurrentIndex(page.conclusion.verdict.findData(Verdict.APPROPRIATE))
    page.select_case(built.case_ids[0])
    page.select_case(target)  # back again: read afresh
    assert page.loading == target
    page.mark_complete()
    assert not page.completion.running  # waits for the case to be shown
    qtbot.waitUntil(lambda: page.header.status.text() == ReviewStatus.COMPLETE.label)
    wait_for_case(qtbot, page)
    assert scoring.get_review(sqlite_db, audit_id=built.audit_id, case_id=target,
                              reviewer=REVIEWER).status is ReviewStatus.COMPLETE
