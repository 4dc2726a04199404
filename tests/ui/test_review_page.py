"""The review screen, driven as a panel member would: keys, notes, undo, completion."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.services import cases, scoring
from audit_app.services.database import Database, open_database
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
def built(db: Database) -> ReviewAudit:
    return build_review_audit(db)


@pytest.fixture
def page(qtbot: QtBot, db: Database, built: ReviewAudit) -> Iterator[ReviewPage]:
    yield shown_review_page(qtbot, db, built.audit_id)


def fresh_review(db: Database, audit_id: int, case_id: int,
                 reviewer: str = REVIEWER) -> scoring.ReviewView:
    """Read through a brand-new engine: proves the answer was committed, not just shown."""
    other = open_database(db.url, install_frameworks=False)
    try:
        return scoring.get_review(other, audit_id=audit_id, case_id=case_id, reviewer=reviewer)
    finally:
        other.close()


def case_with_outcome(db: Database, built: ReviewAudit, outcome: int) -> int:
    for case_id in built.case_ids:
        if cases.get_case(db, audit_id=built.audit_id, case_id=case_id).fields["outcome_code"] == outcome:
            return case_id
    raise AssertionError(f"no case with outcome {outcome}")


def press(qtbot: QtBot, key: str | Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def test_score_a_whole_case_from_the_keyboard(qtbot: QtBot, db: Database, built: ReviewAudit,
                                              page: ReviewPage) -> None:
    case_id = case_with_outcome(db, built, 16)  # A2 applies to outcome 16
    page.select_case(case_id)
    wait_for_case(qtbot, page)
    assert page.criteria.current_code == "A1"

    def saved() -> dict[str, tuple[Answer, str]]:
        wait_for_saves(qtbot, page)  # each key's save lands off the GUI thread, in order
        view = fresh_review(db, built.audit_id, case_id)
        return {code: (a.value, a.note) for code, a in view.answers.items()}

    press(qtbot, "1")
    assert saved() == {"A1": (Answer.MET, "")}
    assert page.criteria.current_code == "A2"
    press(qtbot, "2")
    assert saved()["A2"] == (Answer.PARTLY_MET, "")
    assert page.criteria.current_code == "A3"
    press(qtbot, "3")  # Not met needs a note: the note box takes focus
    assert saved()["A3"] == (Answer.NOT_MET, "")
    assert focused() is page.criteria.rows["A3"].note
    qtbot.keyClicks(focused(), "No footage 12")  # digits in a note are text, not answers
    press(qtbot, Qt.Key.Key_Return)
    assert saved()["A3"] == (Answer.NOT_MET, "No footage 12")
    assert page.criteria.current_code == "B1"
    press(qtbot, "5")
    qtbot.keyClicks(focused(), "Nothing on file")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, "4")
    assert saved()["B2"] == (Answer.NOT_APPLICABLE, "")
    assert focused() is page.conclusion.verdict  # past the last criterion: the verdict
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "Record the BWV decision")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_for_case(qtbot, page)

    view = fresh_review(db, built.audit_id, case_id)
    assert view.status is ReviewStatus.COMPLETE
    assert view.verdict is Verdict.APPROPRIATE
    assert view.learning_points == "Record the BWV decision"
    assert view.answers["B1"].note == "Nothing on file"
    assert page.header.status.text() == ReviewStatus.COMPLETE.label


def test_undo_and_redo_change_the_database(qtbot: QtBot, db: Database, built: ReviewAudit,
                                           page: ReviewPage) -> None:
    case_id = page.case_id
    assert case_id is not None
    press(qtbot, "1")
    press(qtbot, "3")
    wait_for_saves(qtbot, page)
    assert set(fresh_review(db, built.audit_id, case_id).answers) == {"A1", page_code(page, 1)}
    page.criteria.focus_row("A1")
    press(qtbot, "z", Qt.KeyboardModifier.ControlModifier)
    wait_for_saves(qtbot, page)
    assert set(fresh_review(db, built.audit_id, case_id).answers) == {"A1"}
    press(qtbot, "z", Qt.KeyboardModifier.ControlModifier)
    wait_for_saves(qtbot, page)
    assert fresh_review(db, built.audit_id, case_id).answers == {}
    assert page.criteria.rows["A1"].answer is None
    press(qtbot, "z", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_for_saves(qtbot, page)
    assert fresh_review(db, built.audit_id, case_id).answers["A1"].value is Answer.MET
    assert page.criteria.rows["A1"].answer is Answer.MET


def page_code(page: ReviewPage, index: int) -> str:
    return page.criteria.applicable_codes()[index]


def test_completion_is_refused_and_the_gaps_are_shown(qtbot: QtBot, db: Database,
                                                      built: ReviewAudit, page: ReviewPage) -> None:
    case_id = page.case_id
    assert case_id is not None
    press(qtbot, "1")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_for_case(qtbot, page)
    message = page.header.message.text()
    assert page.header.message.isVisible()
    assert "not answered" in message and "no verdict recorded" in message
    assert page.criteria.current_code == page_code(page, 1)  # the first gap takes focus
    assert fresh_review(db, built.audit_id, case_id).status is ReviewStatus.IN_PROGRESS
    press(qtbot, "1")  # dealing with a gap strikes it off the list
    assert f"{page_code(page, 1)}: not answered" not in page.header.message.text()
    assert "no verdict recorded" in page.header.message.text()


def test_criteria_that_do_not_apply_are_na_automatically(qtbot: QtBot, db: Database,
                                                         built: ReviewAudit,
                                                         page: ReviewPage) -> None:
    case_id = case_with_outcome(db, built, 15)
    page.select_case(case_id)
    wait_for_case(qtbot, page)
    row = page.criteria.rows["A2"]
    assert not row.applicable
    assert row.answer is Answer.NOT_APPLICABLE
    assert not row.buttons[Answer.MET].isEnabled()
    assert "Outcome code in (16)" in row.reason.text()
    press(qtbot, "1")  # A1 answered: focus skips the greyed A2
    assert page.criteria.current_code == "A3"
    for code in ("A3", "B1", "B2"):
        page.criteria.rows[code].choose(Answer.MET)
    page.conclusion.verdict.setCurrentIndex(page.conclusion.verdict.findData(Verdict.INAPPROPRIATE))
    page.mark_complete()
    wait_for_case(qtbot, page)
    view = fresh_review(db, built.audit_id, case_id)
    assert view.status is ReviewStatus.COMPLETE
    assert view.answers["A2"].value is Answer.NOT_APPLICABLE and view.answers["A2"].automatic


def test_a_second_reviewer_scores_blind(qtbot: QtBot, db: Database, built: ReviewAudit,
                                        page: ReviewPage) -> None:
    case_id = page.case_id
    assert case_id is not None
    press(qtbot, "3")
    page.set_reviewer("Sam Patel")
    wait_for_case(qtbot, page)
    assert page.case_id == case_id
    assert all(row.answer is None for row in page.criteria.rows.values() if row.applicable)
    assert page.case_model.entries[0].status is ReviewStatus.NOT_STARTED
    press(qtbot, "1")
    wait_for_saves(qtbot, page)
    assert fresh_review(db, built.audit_id, case_id, "Sam Patel").answers["A1"].value is Answer.MET
    assert fresh_review(db, built.audit_id, case_id).answers["A1"].value is Answer.NOT_MET


def test_notes_are_saved_after_a_pause_and_on_leaving(qtbot: QtBot, db: Database,
                                                      built: ReviewAudit, page: ReviewPage) -> None:
    case_id = page.case_id
    assert case_id is not None
    press(qtbot, "3")
    wait_for_saves(qtbot, page)
    qtbot.keyClicks(focused(), "Arrest not considered")
    qtbot.waitUntil(lambda: fresh_review(db, built.audit_id, case_id).answers["A1"].note
                    == "Arrest not considered")
    qtbot.keyClicks(focused(), " at all")
    press(qtbot, Qt.Key.Key_PageDown)  # leaving the case saves what was typed
    wait_for_case(qtbot, page)
    assert page.case_id != case_id
    assert fresh_review(db, built.audit_id, case_id).answers["A1"].note == "Arrest not considered at all"


def test_case_navigation_and_progress_in_the_list(qtbot: QtBot, built: ReviewAudit,
                                                  page: ReviewPage) -> None:
    assert page.case_id == built.case_ids[0]
    press(qtbot, "1")
    assert page.case_model.entries[0].status is ReviewStatus.IN_PROGRESS
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert page.case_id == built.case_ids[1]
    press(qtbot, Qt.Key.Key_PageDown)
    wait_for_case(qtbot, page)
    assert page.case_id == built.case_ids[2]
    press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_PageUp)
    wait_for_case(qtbot, page)
    assert page.case_id == built.case_ids[0]
    assert page.criteria.rows["A1"].answer is Answer.MET


def test_conclusion_and_urgent_flag_are_saved(qtbot: QtBot, db: Database, built: ReviewAudit,
                                              page: ReviewPage) -> None:
    case_id = page.case_id
    assert case_id is not None
    page.conclusion.urgent.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    wait_for_saves(qtbot, page)
    assert fresh_review(db, built.audit_id, case_id).urgent_safeguarding
    assert page.header.urgent.isVisibleTo(page) and page.case_model.entries[0].urgent
    page.conclusion.texts["good_practice"].setFocus()
    qtbot.keyClicks(focused(), "Thorough DASH")
    page.conclusion.urgent.setFocus()  # leaving the box saves it
    wait_for_saves(qtbot, page)
    assert fresh_review(db, built.audit_id, case_id).good_practice == "Thorough DASH"


def test_change_log_shows_the_case_history(qtbot: QtBot, page: ReviewPage) -> None:
    press(qtbot, "2")
    page.tabs.setCurrentWidget(page.change_log)
    assert page.change_log.loading, "the history is read off the GUI thread"
    wait_for_case(qtbot, page)
    texts = [page.change_log.item(r, c).text() for r in range(page.change_log.rowCount())
             for c in range(page.change_log.columnCount())]
    assert "A1" in texts and Answer.PARTLY_MET.label in texts and REVIEWER in texts
    assert page.change_log.editTriggers() == page.change_log.EditTrigger.NoEditTriggers


def test_change_log_does_not_reveal_other_members_scores(qtbot: QtBot, db: Database,
                                                         built: ReviewAudit,
                                                         page: ReviewPage) -> None:
    case_id = page.case_id
    assert case_id is not None
    scoring.record_answer(db, audit_id=built.audit_id, case_id=case_id, reviewer="Sam Patel",
                          criterion_code="A1", value=Answer.NOT_MET, note="Hidden reasoning")
    press(qtbot, "1")
    page.tabs.setCurrentWidget(page.change_log)
    wait_for_case(qtbot, page)  # the history is read in the background
    actors = {page.change_log.item(r, 1).text() for r in range(page.change_log.rowCount())}
    assert actors == {REVIEWER}


def test_case_list_model_is_a_valid_model(qtmodeltester: object, page: ReviewPage) -> None:
    qtmodeltester.check(page.case_model)  # type: ignore[attr-defined]


def test_every_control_has_an_accessible_name_or_label(page: ReviewPage) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QCheckBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
    )

    unnamed = [w for kind in (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QCheckBox)
               for w in page.findChildren(kind)
               if w.isVisibleTo(page) and not w.accessibleName()
               and not (isinstance(w, QAbstractButton) and w.text())]
    assert unnamed == []


def test_undo_button_shows_what_it_would_undo(qtbot: QtBot, page: ReviewPage) -> None:
    from PySide6.QtWidgets import QToolButton

    undo = next(b for b in page.header.findChildren(QToolButton) if b.text() == "Undo")
    assert not undo.isEnabled()
    press(qtbot, "1")
    assert undo.isEnabled() and "A1" in undo.toolTip()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert page.criteria.rows["A1"].answer is None
