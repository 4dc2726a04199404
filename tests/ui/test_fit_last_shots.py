"""The last screenshot findings at 1280x720 and 150%: an empty Problems table says so, a
case opens with its score list at the top and long notes from their start, the sample
record and case details are not cut off in high contrast, and the change log's From and To
keep a readable share of the width."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer
from audit_app.services import cases
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.records import AuditSummary
from audit_app.ui.import_wizard import ImportWizard
from audit_app.ui.import_wizard_pages import NO_PROBLEMS
from audit_app.ui.pages.sample_page import SamplePage
from audit_app.ui.review.case_details_panel import CaseDetailsPanel
from audit_app.ui.review.change_log_view import COLUMNS, ChangeLogView
from audit_app.ui.review.review_page import ReviewPage
from tests.helpers.extract_wizard import choose_extract
from tests.helpers.extract_workbook import write_extract
from tests.helpers.review_audits import build_review_audit
from tests.helpers.review_page import REVIEWER, wait_for_case
from tests.helpers.sample_page import wait_for_sample

LONG_NOTE = ("The officer's statement sets out the history in full, but the file holds no "
             "record of the checks made before attendance, so this is only partly met.")


def test_a_clean_extract_says_no_problems_in_place_of_an_empty_grid(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> None:
    wizard = ImportWizard(sqlite_db, empty_audit.id)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_extract(qtbot, wizard, write_extract(tmp_path / "extract.xlsx", 10))
    wizard.next()
    wizard.next()
    wizard.next()
    validation = wizard.validation_page
    qtbot.waitUntil(lambda: validation.done, timeout=20_000)
    assert validation.problems == []
    assert validation.no_problems.isVisible() and validation.no_problems.text() == NO_PROBLEMS
    assert not validation.table.isVisible() and not validation.filter_combo.isVisible()


def test_a_case_opens_at_the_top_with_long_notes_shown_from_their_start(
        qtbot: QtBot, db: Database) -> None:
    built = build_review_audit(db)
    page = ReviewPage(db)
    qtbot.addWidget(page)
    page.set_reviewer(REVIEWER)
    page.resize(853, 480)
    # At 150% on a 1280x720 laptop the score list is shorter than one question.
    criteria = page.criteria
    criteria.setMaximumHeight(130)
    page.set_audit(built.audit_id)
    page.show()
    qtbot.waitExposed(page)
    wait_for_case(qtbot, page)
    first = criteria.rows["A1"]
    assert criteria.current_code == "A1"
    assert first.height() > criteria.viewport().height()
    assert criteria.verticalScrollBar().value() == 0  # the section title and question show
    later = criteria.applicable_codes()[2]
    criteria.focus_row(later)
    top = criteria.rows[later].mapTo(criteria.widget(), QPoint(0, 0)).y()
    assert 0 < criteria.verticalScrollBar().value() <= top  # its question shows, not its end

    first.show_answer(Answer.PARTLY_MET, LONG_NOTE)
    assert first.note.cursorPosition() == 0  # the note's start is what shows


def test_the_change_log_keeps_a_readable_share_for_from_and_to(qtbot: QtBot) -> None:
    view = ChangeLogView()
    qtbot.addWidget(view)
    view.resize(630, 300)  # the tab at 150% on a 1280x720 laptop
    view.show()
    qtbot.waitExposed(view)
    view.setRowCount(1)
    from PySide6.QtWidgets import QTableWidgetItem
    for column, text in enumerate(("30/11/2026 15:58:15", "Rowan Pennick", "Answer", "7.4",
                                   "Partly met", "Does not meet the standard",
                                   "Member's score")):
        view.setItem(0, column, QTableWidgetItem(text))
    view.fit_columns()
    width = view.viewport().width()
    for name in ("From", "To"):
        assert view.columnWidth(COLUMNS.index(name)) >= width * 0.2 - 3  # rounding
    assert sum(view.columnWidth(c) for c in range(len(COLUMNS))) <= width
    assert view.rowHeight(0) > view.fontMetrics().lineSpacing() * 1.5  # "To" wraps, not "…"
    detail = COLUMNS.index("Detail")  # narrowed, but never below its longest word
    assert view.columnWidth(detail) >= view.fontMetrics().horizontalAdvance("Member's")
    for name in ("What", "Field"):  # one word each: never cut to "An…"
        column = COLUMNS.index(name)
        assert view.columnWidth(column) >= view.sizeHintForColumn(column)


def _wrapped_height(label: QLabel) -> int:
    """The height the label's text needs, wrapped at the label's width."""
    return label.fontMetrics().boundingRect(
        QRect(0, 0, label.contentsRect().width(), 100_000), int(Qt.TextFlag.TextWordWrap),
        label.text()).height()


def test_no_line_of_the_sample_record_is_cut_off(qtbot: QtBot, sqlite_db: Database) -> None:
    audit = create_demo(sqlite_db, seed=11, population=300, sample_size=20)  # a long filter
    page = SamplePage(sqlite_db)
    qtbot.addWidget(page)
    page.resize(560, 420)  # the page at 150% on a 1280x720 laptop
    page.show()
    qtbot.waitExposed(page)
    page.set_audit(audit.id)
    wait_for_sample(qtbot, page)
    qtbot.waitUntil(lambda: all(label.height() >= _wrapped_height(label)
                                for label in page.record_labels.values()))
    method = page.record_labels["method"]
    assert method.height() >= 2 * method.fontMetrics().lineSpacing()  # it wraps, whole


def test_narrow_case_details_put_each_label_above_its_whole_value(
        qtbot: QtBot, db: Database) -> None:
    built = build_review_audit(db)
    panel = CaseDetailsPanel()
    qtbot.addWidget(panel)
    panel.resize(170, 500)  # the side panel in high contrast at 1280x720
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_case(cases.get_case(db, audit_id=built.audit_id, case_id=built.case_ids[0]))
    assert panel.narrow
    body = panel.widget()
    qtbot.waitUntil(lambda: body.width() <= panel.viewport().width())
    values = [label for label in body.findChildren(QLabel) if label.objectName() != "muted"]
    assert len(values) > 5
    for label in values:
        assert label.geometry().right() <= panel.viewport().width()
        assert label.height() >= _wrapped_height(label)
        longest = max(label.fontMetrics().horizontalAdvance(word) for word in label.text().split())
        assert label.contentsRect().width() >= min(longest, panel.viewport().width() - 40)
    panel.resize(400, 500)
    assert not panel.narrow  # wide again: labels beside values
