"""The Findings page's Population tab: read in the background when shown, figures with n,
exception cases listed, and a purged audit's plain notice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from audit_app.services import retention
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.population_import import import_population
from audit_app.ui.pages.findings_page import FindingsPage
from audit_app.ui.pages.population_section import TAB_TITLE
from tests.helpers.findings_page import wait_for_findings
from tests.helpers.population_extract import EXCEPTION_REFERENCES, write_population_extract


def shown_population(qtbot: QtBot, db: Database, audit_id: int) -> FindingsPage:
    page = FindingsPage(db)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.set_audit(audit_id)
    wait_for_findings(qtbot, page)
    tabs = page.sections
    titles = [tabs.tabText(index) for index in range(tabs.count())]
    assert titles[-1] == TAB_TITLE
    with qtbot.waitSignal(page.population.shown_picture, timeout=20_000):
        tabs.setCurrentIndex(titles.index(TAB_TITLE))
    return page


def _cells(model: object, row: int) -> list[str]:
    from PySide6.QtCore import QAbstractItemModel

    assert isinstance(model, QAbstractItemModel)
    return [str(model.index(row, column).data()) for column in range(model.columnCount())]


def test_population_tab_shows_figures_with_n_and_exceptions(
        qtbot: QtBot, qtmodeltester: ModelTester, sqlite_db: Database, tmp_path: Path) -> None:
    audit = create_audit(sqlite_db, name="Spring DA review", framework="da-nfa-review")
    import_population(sqlite_db, audit_id=audit.id,
                      path=write_population_extract(tmp_path / "extract.csv"))
    page = shown_population(qtbot, sqlite_db, audit.id)
    section = page.population
    assert section.picture is not None and section.picture.cases == 10
    assert "All 10 imported cases" in section.summary.text()
    model = section.figure_model
    qtmodeltester.check(model)
    rows = [_cells(model, row) for row in range(model.rowCount())]
    first = rows[0]
    assert first[0].startswith("Outcome 16: 16 –") and first[1:4] == ["5", "10", "50%"]
    arrested = next(row for row in rows if row[0].startswith("Suspect arrested"))
    assert arrested[1:4] == ["5", "8", "62%"] and arrested[4] != "—"
    body_worn = next(row for row in rows if row[0] == "Body-worn video")
    assert body_worn[1:3] == ["—", "—"] and body_worn[5] == "not in the extract"
    median = next(row for row in rows if row[0] == "Days to tell the victim: Median days")
    assert median[1:3] == ["8.5", "6"]
    listed = [_cells(section.exception_model, row)
              for row in range(section.exception_model.rowCount())]
    assert sorted(reference for _, reference in listed) == sorted(EXCEPTION_REFERENCES)
    assert all("_" not in cell for row in rows for cell in row)  # no internal names on screen


def test_a_purged_audit_reads_that_its_case_data_was_deleted(qtbot: QtBot,
                                                             sqlite_db: Database) -> None:
    audit = create_demo(sqlite_db, seed=3, population=60, sample_size=8)
    retention.close_audit(sqlite_db, audit_id=audit.id)
    retention.set_retention(sqlite_db, audit_id=audit.id, retain_until=dt.date(2027, 1, 1))
    retention.purge_audit(sqlite_db, audit_id=audit.id, today=dt.date(2027, 1, 2))
    page = shown_population(qtbot, sqlite_db, audit.id)
    section = page.population
    assert section.summary.text().startswith(
        "The case data was deleted under the retention rule.")
    assert section.figure_model.rowCount() == 0
    assert section.exception_model.rowCount() == 0


def test_a_long_exception_list_shows_its_first_references_and_how_many_more() -> None:
    from audit_app.core.population_picture import PopulationRow, population_picture
    from audit_app.ui.pages.population_section import REFERENCES_SHOWN, exception_rows

    untold = [PopulationRow(f"N{number:04d}", 16, None, None, None, None, None, None, None,
                            None, None, None) for number in range(REFERENCES_SHOWN + 3)]
    rows = exception_rows(population_picture(untold, mapped_fields={"nfa_notification_date"}))
    assert len(rows) == REFERENCES_SHOWN + 1
    assert rows[0].reference == "N0000"
    assert rows[-1].reference == "and 3 more: see the workbook's Population sheet"
