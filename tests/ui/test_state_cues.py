"""State cues: Undo and Redo follow the undo stack, Mark complete steps back on a complete
case, and replacing a scored case asks first (Cancel changes nothing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.services import sampling, scoring
from audit_app.services.database import Database
from audit_app.services.demo import REVIEWERS
from audit_app.services.records import AuditSummary
from audit_app.ui.review.completion import COMPLETED, MARK_COMPLETE
from audit_app.ui.review.review_page import ReviewPage
from tests.helpers.review_audits import ReviewAudit, build_review_audit
from tests.helpers.review_page import wait_for_case

REVIEWER = "Alex Morgan"


@pytest.fixture
def built(sqlite_db: Database) -> ReviewAudit:
    return build_review_audit(sqlite_db)


@pytest.fixture
def page(qtbot: QtBot, sqlite_db: Database, built: ReviewAudit) -> Iterator[ReviewPage]:
    widget = ReviewPage(sqlite_db)
    qtbot.addWidget(widget)
    widget.set_reviewer(REVIEWER)
    widget.set_audit(built.audit_id)
    wait_for_case(qtbot, widget)
    widget.resize(1280, 720)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    yield widget


def press(qtbot: QtBot, key: str) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key)


def test_undo_and_redo_are_enabled_only_when_the_stack_has_something(
        qtbot: QtBot, page: ReviewPage) -> None:
    undo, redo = page.header.undo_button, page.header.redo_button
    stack = page.session.undo_stack
    assert (undo.isEnabled(), redo.isEnabled()) == (False, False)
    assert undo.toolTip() == "Nothing to undo" and redo.toolTip() == "Nothing to redo"
    press(qtbot, "1")
    assert stack.canUndo() and not stack.canRedo()
    assert (undo.isEnabled(), redo.isEnabled()) == (True, False)
    assert undo.toolTip().startswith("Undo ") and "A1" in undo.toolTip()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert not stack.canUndo() and stack.canRedo()
    assert (undo.isEnabled(), redo.isEnabled()) == (False, True)
    assert redo.toolTip().startswith("Redo ") and "A1" in redo.toolTip()
    qtbot.mouseClick(redo, Qt.MouseButton.LeftButton)
    assert (undo.isEnabled(), redo.isEnabled()) == (True, False)
    assert page.criteria.rows["A1"].answer is Answer.MET


def test_mark_complete_is_primary_only_until_the_case_is_complete(
        qtbot: QtBot, sqlite_db: Database, built: ReviewAudit, page: ReviewPage) -> None:
    button = page.header.complete
    assert button.text() == MARK_COMPLETE and button.objectName() == "primary"
    for code in page.criteria.applicable_codes():
        row = page.criteria.rows[code]
        row.note.setText("Seen on file")
        row.choose(Answer.NOT_MET)
        row.commit_note()
    page.conclusion.verdict.setCurrentIndex(page.conclusion.verdict.findData(Verdict.APPROPRIATE))
    page.mark_complete()
    wait_for_case(qtbot, page)
    assert page.case_id is not None
    assert scoring.get_review(sqlite_db, audit_id=built.audit_id, case_id=page.case_id,
                              reviewer=REVIEWER).status is ReviewStatus.COMPLETE
    assert button.text() == COMPLETED and button.objectName() != "primary"
    assert "complete" in button.toolTip()
    page.criteria.focus_row("A1")
    page.criteria.rows["A1"].choose(Answer.MET)  # a change reopens the case
    assert button.text() == MARK_COMPLETE and button.objectName() == "primary"


def test_a_complete_case_opens_with_the_completed_button(qtbot: QtBot, scored_db: Database,
                                                         scored_audit: AuditSummary) -> None:
    reviewer = REVIEWERS[0][0]
    done = [row.case_id for row in scoring.review_progress(scored_db, audit_id=scored_audit.id)
            if row.reviewer == reviewer and row.status is ReviewStatus.COMPLETE]
    assert done, "the demo has complete reviews"
    widget = ReviewPage(scored_db)
    qtbot.addWidget(widget)
    widget.set_reviewer(reviewer)
    widget.set_audit(scored_audit.id)
    wait_for_case(qtbot, widget)
    widget.select_case(done[0])
    wait_for_case(qtbot, widget)
    assert widget.header.complete.text() == COMPLETED
    assert widget.header.complete.objectName() != "primary"


def test_replacing_a_scored_case_asks_and_cancel_changes_nothing(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers.sample_page import sample_page

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a, **_k:
                        asked.append(text) or QMessageBox.StandardButton.Cancel)
    page = sample_page(qtbot, scored_db, scored_audit.id)
    progress = scoring.review_progress(scored_db, audit_id=scored_audit.id)
    scored = {row.case_id for row in progress if row.answered}
    rows = page.sample_model.rows
    index = next(i for i, row in enumerate(rows) if row.case.id in scored)
    page.sample_table.selectRow(index)
    before = [(r.case.reference, r.status)
              for r in sampling.get_sample(scored_db, audit_id=scored_audit.id)]
    assert page.replace_selected(reason="File sealed by the court") is None
    answers = sum(row.answered for row in progress if row.case_id == rows[index].case.id)
    assert len(asked) == 1
    assert f"{answers:,} answers" in asked[0] and "kept in the record" in asked[0]
    after = [(r.case.reference, r.status)
             for r in sampling.get_sample(scored_db, audit_id=scored_audit.id)]
    assert after == before


def _darkest(widget: QWidget) -> int:
    """The darkest grey level drawn on the widget: its text."""
    image = widget.grab().toImage()
    return min(QColor(image.pixel(x, y)).lightness()
               for x in range(image.width()) for y in range(image.height()))


@pytest.fixture
def app_stylesheet(qapp: QApplication) -> Iterator[None]:
    """The app's own stylesheet, as the app runs with it (it colours all text)."""
    from audit_app.ui.app import load_stylesheet

    before = qapp.styleSheet()
    qapp.setStyleSheet(load_stylesheet())
    yield
    qapp.setStyleSheet(before)


@pytest.mark.usefixtures("app_stylesheet")
def test_a_disabled_undo_button_looks_disabled(qtbot: QtBot, page: ReviewPage) -> None:
    undo = page.header.undo_button
    assert not undo.isEnabled()
    greyed = _darkest(undo)
    press(qtbot, "1")
    assert undo.isEnabled()
    assert _darkest(undo) < greyed - 40, "the enabled button's text is clearly darker"
