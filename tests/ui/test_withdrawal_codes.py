"""A member codes when and why the victim withdrew, from the keyboard, and can undo it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from audit_app.core.withdrawal import WithdrawalReason, WithdrawalStage
from audit_app.services import scoring
from audit_app.services.database import Database, open_database
from audit_app.ui.review.review_page import ReviewPage
from tests.helpers.review_audits import ReviewAudit, build_review_audit
from tests.helpers.review_page import wait_for_case, wait_for_saves

REVIEWER = "Alex Morgan"


@pytest.fixture
def built(db: Database) -> ReviewAudit:
    return build_review_audit(db)


@pytest.fixture
def page(qtbot: QtBot, db: Database, built: ReviewAudit) -> Iterator[ReviewPage]:
    widget = ReviewPage(db)
    qtbot.addWidget(widget)
    widget.set_reviewer(REVIEWER)
    widget.set_audit(built.audit_id)
    wait_for_case(qtbot, widget)
    widget.resize(1280, 720)
    widget.show()
    yield widget


def _stored(db: Database, audit_id: int, case_id: int) -> scoring.ReviewView:
    other = open_database(db.url, install_frameworks=False)  # proves it was committed
    try:
        return scoring.get_review(other, audit_id=audit_id, case_id=case_id, reviewer=REVIEWER)
    finally:
        other.close()


def test_codes_are_saved_as_chosen_and_undone(qtbot: QtBot, db: Database, built: ReviewAudit,
                                              page: ReviewPage) -> None:
    case_id = page.case_id
    assert case_id is not None
    stage, reason = page.conclusion.withdrawal.stage, page.conclusion.withdrawal.reason
    assert stage.currentText() == "Not coded"
    stage.setFocus()
    qtbot.keyClick(stage, Qt.Key.Key_Down)
    qtbot.keyClick(stage, Qt.Key.Key_Down)
    assert stage.currentText() == "S2 · Before giving a statement"
    reason.setCurrentIndex(reason.findData(WithdrawalReason.FEAR.value))
    wait_for_saves(qtbot, page)  # saved in order, off the GUI thread
    saved = _stored(db, built.audit_id, case_id)
    assert (saved.withdrawal_stage, saved.withdrawal_reason) == (WithdrawalStage.BEFORE_STATEMENT,
                                                                 WithdrawalReason.FEAR)
    page.session.undo_stack.undo()
    wait_for_saves(qtbot, page)
    assert _stored(db, built.audit_id, case_id).withdrawal_reason is None
    assert reason.currentText() == "Not coded"
    assert stage.currentData() == WithdrawalStage.BEFORE_STATEMENT.value


def test_the_findings_page_counts_the_coded_withdrawals(qtbot: QtBot, db: Database,
                                                       built: ReviewAudit) -> None:
    from tests.helpers.findings_page import shown_page

    for reviewer in (REVIEWER, "Another Member"):
        scoring.set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                                 reviewer=reviewer, withdrawal=("S1", "R3"))
    page = shown_page(qtbot, db, built.audit_id)
    page.sections.setCurrentIndex(2)  # Cases
    assert page.withdrawal_label.isVisible()
    assert page.withdrawal_label.text().splitlines() == [
        "When and why the victim withdrew, coded on 1 case:",
        "At the scene or first contact; Wants the relationship to continue: 1"]
