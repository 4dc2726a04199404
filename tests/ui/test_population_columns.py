"""The Population page at size: scrolling to the end of 10,000 cases, the column chooser,
the full text of cut-off cells and the message when nothing matches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QModelIndex
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from audit_app.core.case_fields import FIELD_KEYS
from audit_app.services.audits import list_audits
from audit_app.services.cases import list_cases
from audit_app.services.database import Database, open_database
from audit_app.services.demo import create_demo
from audit_app.services.records import AuditSummary
from audit_app.ui.models.case_table import PAGES_KEPT
from audit_app.ui.pages.population_columns import DEFAULT_COLUMNS, SHOWN_COLUMNS, cell_tooltip
from audit_app.ui.pages.population_page import NO_MATCH, PopulationPage

AREA = FIELD_KEYS.index("area")
OUTCOME = FIELD_KEYS.index("outcome_code")
RISK = FIELD_KEYS.index("risk_level")
OFFICER = FIELD_KEYS.index("officer")


@pytest.fixture(scope="module")
def large_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A real SQLite audit of 10,000 cases, built once: these tests only read it."""
    database = open_database(tmp_path_factory.mktemp("population") / "large.sqlite3")
    create_demo(database, population=10_000, sample_size=10)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def large_audit(large_db: Database) -> AuditSummary:
    return list_audits(large_db)[0]


def shown_page(qtbot: QtBot, db: Database, audit: AuditSummary) -> PopulationPage:
    page = PopulationPage(db)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.set_audit(audit.id)
    return page


def test_scrolling_to_the_end_of_ten_thousand_cases_keeps_a_few_pages(
        qtbot: QtBot, large_db: Database, large_audit: AuditSummary) -> None:
    page = PopulationPage(large_db)
    page.model._page_size = 100  # 100 pages, far more than the window keeps
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.set_audit(large_audit.id)
    model = page.model
    assert model.total == 10_000
    for _ in range(200):  # far more than the fetches 10,000 rows need
        if not model.canFetchMore(QModelIndex()):
            break
        page.table.scrollToBottom()
        QApplication.processEvents()
    assert model.rowCount() == 10_000
    last = list_cases(large_db, audit_id=large_audit.id, offset=9_999, limit=1)[0]
    assert model.index(9_999, 0).data() == last.reference
    assert model.case_at(9_999).id == last.id
    assert model.pages_held <= PAGES_KEPT, "only a window of pages stays in memory"

    page.table.scrollToTop()
    QApplication.processEvents()
    first = list_cases(large_db, audit_id=large_audit.id, limit=1)[0]
    assert model.index(0, 0).data() == first.reference, "a page let go comes back"
    assert model.pages_held <= PAGES_KEPT


def test_outcome_risk_and_area_show_without_scrolling_sideways(
        qtbot: QtBot, large_db: Database, large_audit: AuditSummary) -> None:
    page = shown_page(qtbot, large_db, large_audit)
    page.resize(960, 600)  # the page's share of a 1280-pixel window
    QApplication.processEvents()
    width = page.table.viewport().width()
    for column in (OUTCOME, RISK, AREA):
        rect = page.table.visualRect(page.model.index(0, column))
        assert rect.left() >= 0 and rect.right() <= width, page.model.headerData(column, 1)
    hidden = [key for i, key in enumerate(FIELD_KEYS) if page.table.isColumnHidden(i)]
    assert set(hidden) == set(FIELD_KEYS) - set(DEFAULT_COLUMNS)


def test_the_column_chooser_hides_and_shows_and_is_remembered(
        qtbot: QtBot, large_db: Database, large_audit: AuditSummary) -> None:
    page = shown_page(qtbot, large_db, large_audit)
    header = page.table.horizontalHeader()
    actions = {action.text(): action for action in page.column_menu().actions()}
    assert actions["Area"].isChecked() and not actions["Officer in case"].isChecked()
    assert not actions["Crime reference"].isEnabled(), "the reference always shows"

    actions["Area"].trigger()
    assert header.isSectionHidden(AREA)
    assert "area" not in page.model.case_at(0).fields, "a hidden column is not loaded"
    page.column_menu().actions()[OFFICER].trigger()
    assert not header.isSectionHidden(OFFICER)
    assert page.model.index(0, OFFICER).data() == list_cases(
        large_db, audit_id=large_audit.id, limit=1)[0].fields["officer"]

    again = shown_page(qtbot, large_db, large_audit)
    again_header = again.table.horizontalHeader()
    assert again_header.isSectionHidden(AREA)
    assert not again_header.isSectionHidden(OFFICER)
    assert again_header.visualIndex(OFFICER) == len(DEFAULT_COLUMNS) - 1, "added at the end"
    again.column_menu().actions()[AREA].trigger()
    assert not again_header.isSectionHidden(AREA)
    assert again.model.index(0, AREA).data()


def test_a_cut_off_cell_shows_its_whole_text_and_a_whole_one_shows_none(
        qtbot: QtBot, large_db: Database, large_audit: AuditSummary) -> None:
    page = shown_page(qtbot, large_db, large_audit)
    page.table.setColumnWidth(OUTCOME, 60)
    text = page.model.index(0, OUTCOME).data()
    assert cell_tooltip(page.table, page.model, 0, OUTCOME) == text
    assert cell_tooltip(page.table, page.model, 0, RISK) == ""

    rect = page.table.visualRect(page.model.index(0, OUTCOME))
    viewport = page.table.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, rect.center(),
                                                viewport.mapToGlobal(rect.center())))
    assert QToolTip.text() == text
    QToolTip.hideText()


def test_no_match_says_so_instead_of_an_empty_grid(
        qtbot: QtBot, large_db: Database, large_audit: AuditSummary) -> None:
    page = shown_page(qtbot, large_db, large_audit)
    page.search_edit.setText("no case has this")
    page.flush_search()
    assert page.count_label.text() == "0 matching cases"
    assert page.no_match.isVisible() and page.no_match.text() == NO_MATCH
    assert not page.table.isVisible() and not page.empty_hint.isVisible()
    page.search_edit.clear()
    page.flush_search()
    assert page.table.isVisible() and not page.no_match.isVisible()


def test_the_page_opens_with_the_default_columns_when_the_setting_is_nonsense(
        qtbot: QtBot, large_db: Database, large_audit: AuditSummary) -> None:
    SHOWN_COLUMNS.write(["nonsense", "area"])
    page = shown_page(qtbot, large_db, large_audit)
    assert page.shown == ["reference", "area"]
    assert page.model.index(0, 0).data() and page.model.index(0, AREA).data()
