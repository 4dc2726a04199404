"""Moderation inside the review screen: blind until complete, then agree without overwriting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer, Verdict
from audit_app.services import moderation, scoring
from audit_app.services.database import Database, open_database
from audit_app.ui.review.moderation_panel import DISAGREE_BACKGROUND, ModerationPanel
from audit_app.ui.review.review_page import ReviewPage
from tests.helpers.review_audits import ReviewAudit, build_review_audit
from tests.helpers.review_page import wait_for_case, wait_for_moderation

FIRST, SECOND, CHAIR = "Alex Morgan", "Sam Patel", "Chris Chair"


def score(db: Database, built: ReviewAudit, case_id: int, reviewer: str,
          answers: dict[str, Answer], *, complete: bool) -> None:
    for code, value in answers.items():
        scoring.record_answer(db, audit_id=built.audit_id, case_id=case_id, reviewer=reviewer,
                              criterion_code=code, value=value, note="on file")
    if complete:
        scoring.set_case_details(db, audit_id=built.audit_id, case_id=case_id, reviewer=reviewer,
                                 verdict=Verdict.APPROPRIATE)
        scoring.complete_review(db, audit_id=built.audit_id, case_id=case_id, reviewer=reviewer)


@pytest.fixture
def scored(db: Database) -> tuple[ReviewAudit, int]:
    """A case fully scored and completed by FIRST; the chair exists."""
    built = build_review_audit(db)
    case_id = built.case_ids[0]
    everything = {"A1": Answer.MET, "A2": Answer.MET, "A3": Answer.MET, "B1": Answer.MET,
                  "B2": Answer.MET}
    score(db, built, case_id, FIRST, everything, complete=True)
    scoring.add_reviewer(db, name=CHAIR, is_chair=True)
    return built, case_id


def open_page(qtbot: QtBot, db: Database, built: ReviewAudit, reviewer: str) -> ReviewPage:
    page = ReviewPage(db)
    qtbot.addWidget(page)
    page.set_reviewer(reviewer)
    page.set_audit(built.audit_id)
    wait_for_case(qtbot, page)
    page.resize(1366, 768)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.tabs.setCurrentWidget(page.moderation)
    wait_for_moderation(qtbot, page.moderation)
    return page


def answers_of(db: Database, built: ReviewAudit, case_id: int, reviewer: str) -> dict[str, str]:
    other = open_database(db.url, install_frameworks=False)
    try:
        view = scoring.get_review(other, audit_id=built.audit_id, case_id=case_id,
                                  reviewer=reviewer)
    finally:
        other.close()
    return {code: a.value.value for code, a in view.answers.items()}


def test_second_member_is_blind_until_their_review_is_complete(
        qtbot: QtBot, db: Database, scored: tuple[ReviewAudit, int]) -> None:
    built, case_id = scored
    page = open_page(qtbot, db, built, SECOND)
    page.tabs.setCurrentWidget(page.criteria)
    page.criteria.rows["A1"].choose(Answer.NOT_MET)  # second member scores on their own
    assert page.criteria.rows["B1"].answer is None   # the first member's answers never show
    page.tabs.setCurrentWidget(page.moderation)
    panel = page.moderation
    wait_for_moderation(qtbot, panel)
    assert panel.table.rowCount() == 0 and "blind" in panel.state.text()
    assert "1 other member" in panel.state.text()

    score(db, built, case_id, SECOND, {"A1": Answer.NOT_MET, "A2": Answer.MET, "A3": Answer.MET,
                                       "B1": Answer.MET, "B2": Answer.MET}, complete=True)
    panel.refresh()
    wait_for_moderation(qtbot, panel)
    assert panel.table.rowCount() == 5
    assert [panel.table.horizontalHeaderItem(c).text() for c in range(2, 4)] == [FIRST, SECOND]
    a1 = next(r for r in range(5) if panel.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "A1")
    assert panel.table.item(a1, 0).text().startswith("≠")
    assert panel.table.item(a1, 0).background().color().name() == DISAGREE_BACKGROUND
    assert {panel.table.item(a1, 2).text(), panel.table.item(a1, 3).text()} == {"Met", "Not met"}
    assert not panel.editor.isEnabled()  # only the chair records agreed answers


def test_chair_reveals_and_records_consensus_without_touching_members(
        qtbot: QtBot, db: Database, scored: tuple[ReviewAudit, int]) -> None:
    built, case_id = scored
    score(db, built, case_id, SECOND, {"A1": Answer.NOT_MET}, complete=False)
    before = (answers_of(db, built, case_id, FIRST), answers_of(db, built, case_id, SECOND))
    page = open_page(qtbot, db, built, CHAIR)
    panel = page.moderation
    assert panel.table.rowCount() == 0 and panel.reveal.isVisibleTo(panel)
    panel.reveal.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 5)  # saved in the background
    assert moderation.is_revealed(db, audit_id=built.audit_id, case_id=case_id)
    assert panel.editor.isEnabled()

    a1 = next(r for r in range(5) if panel.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "A1")
    panel.table.setCurrentCell(a1, 0)
    assert f"{SECOND}: Not met – on file" in panel.member_notes.text()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, "2")  # a key picks the agreed answer and moves to the rationale
    assert panel.agreed.currentData() == Answer.PARTLY_MET
    assert QApplication.focusWidget() is panel.agreed_rationale
    qtbot.keyClick(panel.agreed_rationale, Qt.Key.Key_Return)  # disagreement needs a rationale
    qtbot.waitUntil(lambda: "rationale" in panel.message.text())
    qtbot.keyClicks(panel.agreed_rationale, "Arrest was delayed but justified")
    qtbot.keyClick(panel.agreed_rationale, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.message.text() == "Agreed answer for A1 recorded.")
    wait_for_moderation(qtbot, panel)

    comparison = moderation.comparison(db, audit_id=built.audit_id, case_id=case_id)
    agreed = next(c for c in comparison.criteria if c.code == "A1")
    assert agreed.consensus is Answer.PARTLY_MET
    assert agreed.consensus_rationale == "Arrest was delayed but justified"
    assert panel.table.item(a1, panel.table.columnCount() - 1).text() == "Partly met"
    assert (answers_of(db, built, case_id, FIRST), answers_of(db, built, case_id, SECOND)) == before

    panel.verdict.setCurrentIndex(panel.verdict.findData(Verdict.APPROPRIATE_WITH_OBSERVATIONS))
    qtbot.keyClicks(panel.verdict_rationale, "Delay noted for learning")
    qtbot.keyClick(panel.verdict_rationale, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.message.text() == "Agreed verdict recorded.")
    consensus = scoring.get_review(db, audit_id=built.audit_id, case_id=case_id, reviewer=CHAIR,
                                   kind=scoring.CONSENSUS)
    assert consensus.verdict is Verdict.APPROPRIATE_WITH_OBSERVATIONS
    assert scoring.get_review(db, audit_id=built.audit_id, case_id=case_id,
                              reviewer=FIRST).verdict is Verdict.APPROPRIATE


def test_a_member_cannot_reveal(qtbot: QtBot, db: Database,
                                scored: tuple[ReviewAudit, int]) -> None:
    built, case_id = scored
    panel = ModerationPanel(db)
    qtbot.addWidget(panel)
    panel.set_viewer(SECOND)
    panel.show_case(built.audit_id, case_id)
    panel.show()
    wait_for_moderation(qtbot, panel)
    assert not panel.reveal.isVisible()
    assert panel.table.rowCount() == 0 and "chair reveals" in panel.state.text()


def test_f5_brings_in_other_members_progress(qtbot: QtBot, db: Database,
                                             scored: tuple[ReviewAudit, int]) -> None:
    built, case_id = scored
    page = open_page(qtbot, db, built, SECOND)
    row = page.case_model.row_of(case_id)
    assert page.case_model.entries[row].members_complete == 1
    score(db, built, case_id, SECOND, {"A1": Answer.MET, "A2": Answer.MET, "A3": Answer.MET,
                                       "B1": Answer.MET, "B2": Answer.MET}, complete=True)
    page.refresh()
    wait_for_case(qtbot, page)
    assert page.case_model.entries[row].members_complete == 2
    assert page.case_id == case_id and page.moderation.table.rowCount() == 5


def test_the_panel_reads_in_the_background_and_shows_the_newest_read(
        qtbot: QtBot, db: Database, scored: tuple[ReviewAudit, int]) -> None:
    built, case_id = scored
    panel = ModerationPanel(db)
    qtbot.addWidget(panel)
    panel.set_viewer(FIRST)  # complete already: sees the comparison
    panel.show_case(built.audit_id, case_id)
    assert panel.loading and panel.table.rowCount() == 0  # nothing read on the GUI thread
    panel.refresh()  # a second read started before the first arrived: only it is shown
    wait_for_moderation(qtbot, panel)
    assert panel.table.rowCount() == 5 and panel.current is not None
