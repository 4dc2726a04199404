"""The import wizard's privacy side: classification shown, shareable ticks stored, and
removals asked about (Yes imports, No changes nothing), with real workbooks and databases."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from audit_app.db.models import CaseRecord, PopulationImportRecord
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.services.sampling import draw_sample, get_sample
from audit_app.ui.import_mapping_page import NAME_COLUMN, REASON_COLUMN, SHARE_COLUMN
from audit_app.ui.import_wizard import ImportWizard
from audit_app.ui.import_wizard_pages import HIDDEN_VALUE
from tests.helpers.extract_wizard import choose_extract
from tests.helpers.extract_workbook import HEADERS, write_extract


def _wizard_at_mapping(qtbot: QtBot, db: Database, audit_id: int, path: Path) -> ImportWizard:
    wizard = ImportWizard(db, audit_id)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_extract(qtbot, wizard, path)
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    return wizard


def _to_import_page(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next()
    qtbot.waitUntil(lambda: wizard.validation_page.done, timeout=20_000)
    wizard.next()
    assert wizard.currentPage() is wizard.import_page


def _live_and_removed(db: Database, audit_id: int) -> tuple[int, int]:
    with db.reading() as session:
        def count(removed: bool) -> int:
            return int(session.scalar(select(func.count()).select_from(CaseRecord).where(
                CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(removed))) or 0)
        return count(False), count(True)


def test_classification_is_shown_and_the_shareable_tick_is_stored(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> None:
    path = write_extract(tmp_path / "extract.xlsx", 30)
    wizard = _wizard_at_mapping(qtbot, sqlite_db, empty_audit.id, path)
    page = wizard.mapping_page
    table = page.columns_table
    shown = {table.item(row, NAME_COLUMN).text(): table.item(row, REASON_COLUMN).text()
             for row in range(table.rowCount())}
    assert shown == {"Informant": "Looks personal: the heading suggests names of people",
                     "Notes": "Free text: the heading suggests notes or comments"}
    assert table.horizontalHeaderItem(REASON_COLUMN).text() == "What it looks like"
    informant = page.share_item("Informant")
    assert not informant.flags() & Qt.ItemFlag.ItemIsUserCheckable, "personal cannot be shared"
    assert page.shareable_columns() == [], "nothing is shared unless ticked"
    assert page.personal_item("Notes").checkState() == Qt.CheckState.Checked, \
        "free text is suggested as personal"
    page.personal_item("Notes").setCheckState(Qt.CheckState.Unchecked)
    page.share_item("Notes").setCheckState(Qt.CheckState.Checked)
    # Changing the mapping re-classifies and keeps the ticks.
    page.combos["area"].setCurrentIndex(0)
    assert page.other_columns() == ["Area", "Informant", "Notes"]
    assert page.shareable_columns() == ["Notes"]
    assert page.columns_table.item(0, SHARE_COLUMN).checkState() == Qt.CheckState.Unchecked

    _to_import_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.import_page.done, timeout=20_000)
    assert wizard.imported is not None and wizard.imported.shareable_columns == ["Notes"]
    with sqlite_db.reading() as session:
        record = session.scalars(select(PopulationImportRecord)).one()
        assert record.shareable_columns == ["Notes"]
        assert record.column_classes == {"Crime Ref": "other", "Offence": "other",
                                         "Outcome": "other", "DASH Risk": "other",
                                         "Area": "other", "Victim Name": "personal",
                                         "Informant": "personal", "Notes": "free text"}
        assert record.personal_columns == ["Informant"]


def _sampled_audit(db: Database, audit: AuditSummary, tmp_path: Path) -> set[str]:
    """80 cases imported through the wizard's service, 10 drawn; returns the sampled references."""
    from audit_app.services.population_import import import_population

    import_population(db, audit_id=audit.id, path=write_extract(tmp_path / "all.xlsx", 80))
    draw_sample(db, audit_id=audit.id, size=10, seed=11)
    return {row.case.reference for row in get_sample(db, audit_id=audit.id)}


def _answer(qtbot: QtBot, wizard: ImportWizard, button: QMessageBox.StandardButton) -> str:
    page = wizard.import_page
    qtbot.waitUntil(lambda: page.removal_question is not None, timeout=20_000)
    question = page.removal_question
    assert question is not None and question.isVisible()
    text = question.text()
    question.button(button).click()
    qtbot.waitUntil(lambda: page.removal_question is None, timeout=5_000)
    return text


def test_a_removal_is_asked_about_no_changes_nothing_yes_imports(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> None:
    sampled = _sampled_audit(sqlite_db, empty_audit, tmp_path)
    removed_sampled = sum(1 for reference in sampled if int(reference[3:8]) > 40)
    shrunk = write_extract(tmp_path / "first-half.xlsx", 40)
    expected = (f"This extract would remove 40 of 80 cases, {removed_sampled} of them sampled "
                "and 0 scored.")

    wizard = _wizard_at_mapping(qtbot, sqlite_db, empty_audit.id, shrunk)
    _to_import_page(qtbot, wizard)
    assert _answer(qtbot, wizard, QMessageBox.StandardButton.No) == expected
    assert "Nothing was imported" in wizard.import_page.status.text()
    assert wizard.imported is None
    assert _live_and_removed(sqlite_db, empty_audit.id) == (80, 0)

    again = _wizard_at_mapping(qtbot, sqlite_db, empty_audit.id, shrunk)
    _to_import_page(qtbot, again)
    assert _answer(qtbot, again, QMessageBox.StandardButton.Yes) == expected
    qtbot.waitUntil(lambda: again.import_page.done, timeout=20_000)
    assert again.imported is not None and again.imported.removed == 40
    assert "40 removed" in again.import_page.status.text()
    assert _live_and_removed(sqlite_db, empty_audit.id) == (40, 40)


def test_a_header_only_file_stops_on_the_first_page(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> None:
    path = write_extract(tmp_path / "header-only.xlsx", 0)
    wizard = ImportWizard(sqlite_db, empty_audit.id)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_extract(qtbot, wizard, path)
    assert not wizard.file_page.isComplete()
    assert "no case rows" in wizard.file_page.problem.text()
    wizard.next()
    assert wizard.currentPage() is wizard.file_page


def test_problems_with_names_do_not_show_the_name(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(["CR/1", "Common assault", 16, "medium", "North", "Ann Example", "", ""])
    sheet.append(["CR/2", "Common assault", 99, "medium", "North", "Zebedee Quixote " * 25, "", ""])
    path = tmp_path / "names.xlsx"
    workbook.save(path)
    wizard = _wizard_at_mapping(qtbot, sqlite_db, empty_audit.id, path)
    wizard.next()
    validation = wizard.validation_page
    qtbot.waitUntil(lambda: validation.done, timeout=20_000)
    by_column = {problem.column: problem for problem in validation.problems}
    assert set(by_column) == {"Outcome", "Victim Name"}
    model = validation.model
    values = {model.index(row, 1).data(): model.index(row, 2).data()
              for row in range(model.rowCount())}
    assert values == {"Outcome": "99", "Victim Name": HIDDEN_VALUE}
    assert "Zebedee" not in validation.status.text()
