"""The population table pages through the database and searches it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from audit_app.services.cases import count_cases
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.models.case_table import CaseTableModel
from audit_app.ui.pages.population_page import PopulationPage


def test_rows_arrive_a_page_at_a_time(qtbot: QtBot, scored_db: Database,
                                      scored_audit: AuditSummary) -> None:
    model = CaseTableModel(scored_db, page_size=100)
    model.set_audit(scored_audit.id)
    assert model.total == 300
    assert model.rowCount() == 100
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 200
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 300
    assert not model.canFetchMore(QModelIndex())
    references = [model.case_at(row).reference for row in range(300)]
    assert references == sorted(references)
    assert len(set(references)) == 300


def test_headers_are_labels_and_outcomes_show_their_meaning(scored_db: Database,
                                                            scored_audit: AuditSummary) -> None:
    model = CaseTableModel(scored_db)
    model.set_audit(scored_audit.id)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[0] == "Crime reference"
    outcome = headers.index("Outcome code")
    texts = {model.data(model.index(row, outcome)) for row in range(model.rowCount())}
    assert any(text.startswith("16 – Evidential difficulties") for text in texts)


def test_sorting_goes_to_the_database(scored_db: Database, scored_audit: AuditSummary) -> None:
    model = CaseTableModel(scored_db, page_size=50)
    model.set_audit(scored_audit.id)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    first_page = [model.case_at(r).reference for r in range(model.rowCount())]
    assert first_page == sorted(first_page, reverse=True)
    assert first_page[0] == max(first_page)
    model.fetchMore(QModelIndex())
    assert model.case_at(50).reference < first_page[-1]


def test_model_passes_qtmodeltester(qtmodeltester: ModelTester, scored_db: Database,
                                    scored_audit: AuditSummary) -> None:
    model = CaseTableModel(scored_db, page_size=64)
    model.set_audit(scored_audit.id)
    qtmodeltester.check(model)


def test_page_search_is_debounced_and_filters(qtbot: QtBot, scored_db: Database,
                                              scored_audit: AuditSummary) -> None:
    page = PopulationPage(scored_db)
    qtbot.addWidget(page)
    page.show()
    page.set_audit(scored_audit.id)
    assert page.count_label.text() == "300 cases"
    assert page.table.isVisible()

    reference = page.model.case_at(5).reference
    qtbot.keyClicks(page.search_edit, reference)
    assert page.model.total == 300, "nothing happens until the typing pauses"
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.case_at(0).reference == reference
    assert page.count_label.text() == "1 matching case"

    page.search_edit.clear()
    page.flush_search()
    assert page.model.total == count_cases(scored_db, audit_id=scored_audit.id)


def test_scrolling_the_view_fetches_more(qtbot: QtBot, scored_db: Database,
                                         scored_audit: AuditSummary) -> None:
    page = PopulationPage(scored_db)
    page.model._page_size = 40  # small pages so a scroll needs another fetch
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.set_audit(scored_audit.id)
    assert page.model.loaded == 40
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.loaded > 40)
    assert page.model.loaded <= 300


def test_empty_audit_shows_the_import_hint(qtbot: QtBot, sqlite_db: Database,
                                           empty_audit: AuditSummary) -> None:
    page = PopulationPage(sqlite_db)
    qtbot.addWidget(page)
    page.show()
    page.set_audit(empty_audit.id)
    assert page.empty_hint.isVisible()
    assert not page.table.isVisible()
    with qtbot.waitSignal(page.import_requested):
        page.import_button.click()
