"""The window on a closed or purged audit: a calm notice, and nothing that writes is enabled.

Closed, the Population, Sample and Review pages say so at the top and every control that
would change the audit is disabled (the scores stay readable); reopened from File >
Retention, they all come back. Purged, the pages say the case data went, and the Review
page no longer asks for a sample to be drawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer
from audit_app.services import retention, sampling
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.demo import REVIEWERS
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.main_window import POPULATION, REVIEW, SAMPLE, MainWindow
from audit_app.ui.panel_work import NO_CONFLICTS, ConflictsDialog
from audit_app.ui.retention_dialog import RetentionDialog
from audit_app.ui.review.review_page import ReviewPage
from tests.helpers.review_page import wait_for_case, wait_for_moderation, wait_for_saves
from tests.helpers.sample_page import wait_for_sample

CHAIR = REVIEWERS[0][0]  # the demo's chair, who has scored the first cases
Yes, Cancel = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """QMessageBox.question answers Yes and records the question."""
    questions: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        questions.append(text)
        return Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    return questions


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    settings.BACKUP_ON_OPEN.write(False)
    settings.REVIEWER_NAME.write(CHAIR)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def _review_page(qtbot: QtBot, window: MainWindow) -> ReviewPage:
    window.tabs.setCurrentIndex(REVIEW)
    page = window.review_host.review_page
    assert isinstance(page, ReviewPage)
    wait_for_case(qtbot, page)
    return page


def _writers(qtbot: QtBot, window: MainWindow) -> dict[str, bool]:
    """Whether each control that writes to the audit (or makes something to score) is enabled."""
    review = _review_page(qtbot, window)
    wait_for_sample(qtbot, window.sample_page)
    row = review.criteria.rows[review.criteria.first_open_code() or ""]
    return {
        "import extract": window.population_page.import_button.isEnabled(),
        "draw sample": window.sample_page.draw_button.isEnabled(),
        "replace case": window.sample_page.replace_button.isEnabled(),
        "answer buttons": any(b.isEnabled() for b in row.buttons.values()),
        "note": not row.note.isReadOnly(),
        "verdict": review.conclusion.verdict.isEnabled(),
        "learning points": not review.conclusion.texts["learning_points"].isReadOnly(),
        "urgent flag": review.conclusion.urgent.isEnabled(),
        "mark complete": review.header.complete.isEnabled(),
        "menu: import extract": window.import_action.isEnabled(),
        "menu: import scoring sheet": window.import_sheet_action.isEnabled(),
        "menu: export scoring sheet": window.export_sheet_action.isEnabled(),
        "menu: export review package": window.export_package_action.isEnabled(),
        "menu: import review package": window.import_package_action.isEnabled(),
    }


def _notices(qtbot: QtBot, window: MainWindow) -> list[str]:
    review = _review_page(qtbot, window)
    wait_for_sample(qtbot, window.sample_page)
    return [page.notice.text() if not page.notice.isHidden() else ""
            for page in (window.population_page, window.sample_page, review)]


def _moderation(qtbot: QtBot, window: MainWindow) -> tuple[bool, bool]:
    """On the first case, which the chair has completed: (the agreed-answer editor can be
    used, the Reveal button is shown)."""
    review = _review_page(qtbot, window)
    review.select_case(review.case_model.entries[0].case_id)
    wait_for_case(qtbot, review)
    review.tabs.setCurrentWidget(review.moderation)
    panel = review.moderation
    wait_for_moderation(qtbot, panel)
    result = (panel.editor.isVisibleTo(panel) and panel.editor.isEnabled(),
              panel.reveal.isVisibleTo(panel))
    review.tabs.setCurrentWidget(review.criteria)
    return result


def test_a_closed_audit_reads_but_does_not_write_until_the_chair_reopens_it(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary,
        asked: list[str]) -> None:
    window = _window(qtbot, scored_db)
    review = _review_page(qtbot, window)
    assert _notices(qtbot, window) == ["", "", ""]
    assert all(_writers(qtbot, window).values())
    assert _moderation(qtbot, window)[0], "the chair moderates an open audit"
    # An answer typed before the close can be undone while the audit is open...
    last = review.case_model.entries[-1].case_id  # a case the chair has not scored
    review.select_case(last)
    wait_for_case(qtbot, review)
    review.criteria.focus_row(review.criteria.first_open_code())
    qtbot.keyClick(review.criteria.rows[review.criteria.current_code or ""], "1")
    assert review.undo_action.isEnabled()
    wait_for_saves(qtbot, review)  # saved before the other laptop closes the audit

    retention.close_audit(scored_db, audit_id=scored_audit.id, actor=CHAIR)
    refresh = window.findChild(QAction, "refreshAction")
    assert refresh is not None
    refresh.trigger()  # F5, as after closing from another laptop
    review = _review_page(qtbot, window)

    notices = _notices(qtbot, window)
    today = f"{dt.date.today().day} {dt.date.today():%B %Y}"
    assert notices == [notices[0]] * 3
    assert notices[0] == (f"This audit was closed on {today}. Its cases, sample and scores can "
                          "be read and exported but no longer changed. The chair can reopen it "
                          "under Retention.")
    assert not any(_writers(qtbot, window).values()), _writers(qtbot, window)
    # ...but not once it is closed: nothing to undo, and keys change nothing.
    assert not review.undo_action.isEnabled() and not review.redo_action.isEnabled()
    assert not review.header.undo_button.isEnabled()
    assert _moderation(qtbot, window) == (False, False)
    assert window.sample_page.verify_button.isEnabled(), "verifying only reads"
    assert window.export_action.isEnabled() and window.retention_action.isEnabled()
    qtbot.waitUntil(lambda: not window.audit_list.refreshing)  # counts read in the background
    assert window.audit_list.list_widget.currentItem().text().splitlines()[1].startswith(
        "Closed · ")
    assert review.reviewer_label.text() == f"Reading as {CHAIR}"

    changes = len(list_changes(scored_db, audit_id=scored_audit.id))
    review.select_case(last)
    wait_for_case(qtbot, review)
    code = review.criteria.first_open_code() or ""
    shown = review.criteria.rows[code].answer
    review.criteria.focus_row(code)
    for key in ("2", Qt.Key.Key_Delete):
        qtbot.keyClick(review.criteria.rows[code], key)
    qtbot.keyClick(review, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    review.mark_complete()
    wait_for_case(qtbot, review)
    assert review.criteria.rows[code].answer is shown
    assert len(list_changes(scored_db, audit_id=scored_audit.id)) == changes
    assert window.sample_page.open_draw_dialog() is None

    # The chair reopens it in File > Retention: everything is writable again at once.
    window.retention_action.trigger()
    dialog = window.findChild(RetentionDialog)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.reopen_button.isEnabled() and not dialog.close_audit_button.isEnabled()
    with qtbot.waitSignal(dialog.changed):
        dialog.reopen_button.click()
    assert scored_audit.name in asked[-1] and "score again" in asked[-1]
    assert not dialog.reopen_button.isEnabled() and dialog.close_audit_button.isEnabled()
    assert _notices(qtbot, window) == ["", "", ""]
    assert all(_writers(qtbot, window).values())
    assert _moderation(qtbot, window)[0]
    qtbot.waitUntil(lambda: not window.audit_list.refreshing)
    assert len(window.audit_list.list_widget.currentItem().text().splitlines()[1].split(
        " · ")) == 1, "no status word on an open audit"
    review = _review_page(qtbot, window)
    review.select_case(last)
    wait_for_case(qtbot, review)
    review.criteria.focus_row(code)
    qtbot.keyClick(review.criteria.rows[code], "2")
    assert review.criteria.rows[code].answer is Answer.PARTLY_MET
    assert len(list_changes(scored_db, audit_id=scored_audit.id)) > changes


def test_closing_from_the_retention_dialog_says_it_can_be_reopened(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary,
        asked: list[str]) -> None:
    window = _window(qtbot, scored_db)
    window.tabs.setCurrentIndex(SAMPLE)
    dialog = window.show_retention()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not dialog.reopen_button.isEnabled()
    with qtbot.waitSignal(dialog.changed):
        dialog.close_audit_button.click()
    question = asked[-1]
    assert "read-only" in question and "can be read and exported" in question
    assert "reopen it here until its case data is purged" in question
    assert "cannot be reopened" not in question
    wait_for_sample(qtbot, window.sample_page)
    assert not window.sample_page.notice.isHidden()
    assert not window.sample_page.draw_button.isEnabled()


def test_a_purged_audit_says_its_cases_went_and_never_asks_for_a_sample(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    drawn = sampling.get_sample_summary(scored_db, audit_id=scored_audit.id)
    assert drawn is not None
    retention.close_audit(scored_db, audit_id=scored_audit.id)
    retention.set_retention(scored_db, audit_id=scored_audit.id, retain_until=dt.date(2020, 1, 31))
    retention.purge_audit(scored_db, audit_id=scored_audit.id)
    window = _window(qtbot, scored_db)
    review = _review_page(qtbot, window)

    notices = _notices(qtbot, window)
    assert notices == [notices[0]] * 3
    assert notices[0].startswith("This audit's case data was deleted on ")
    assert "the findings kept at that time are on the Findings page" in notices[0]
    assert "No sample has been drawn" not in review.header.message.text()
    assert review.header.message.text().startswith("The sampled cases were deleted")
    assert review.header.title.text() == "No case selected"
    assert not review.tabs.isVisibleTo(review), "no criteria or answers of a deleted case"
    assert not review.undo_action.isEnabled()

    sample = window.sample_page
    window.tabs.setCurrentIndex(SAMPLE)
    assert sample.subtitle.text() == (f"{drawn.size} cases were drawn from "
                                      f"{drawn.population_size:,}; they were deleted with the "
                                      "case data")
    assert not any(b.isEnabled() for b in (sample.draw_button, sample.replace_button,
                                           sample.verify_button))
    assert "cannot be re-checked" in sample.verify_button.toolTip()
    window.tabs.setCurrentIndex(POPULATION)
    population = window.population_page
    assert not population.import_button.isEnabled()
    assert population.empty_hint.text() == "The cases were deleted under the retention rule."
    assert window.audit_list.list_widget.currentItem().text().splitlines()[1].startswith(
        "Case data deleted · ")
    assert not window.import_action.isEnabled() and window.export_action.isEnabled()


def test_merge_conflicts_of_a_closed_audit_can_be_read_not_settled(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    retention.close_audit(scored_db, audit_id=scored_audit.id)
    dialog = ConflictsDialog(scored_db, scored_audit.id)
    qtbot.addWidget(dialog)
    assert dialog.intro.text().startswith("This audit was closed on ")
    assert "so its merge conflicts can no longer be settled" in dialog.intro.text()
    assert not dialog.keep_master.isEnabled() and not dialog.keep_package.isEnabled()
    retention.reopen_audit(scored_db, audit_id=scored_audit.id)
    dialog.reload()
    assert not dialog.rows and dialog.intro.text() == NO_CONFLICTS  # open again: nothing waits
