"""The import wizard end to end with real workbooks written by openpyxl."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from audit_app.services.cases import count_cases, list_cases
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.import_mapping_page import NOT_MAPPED
from audit_app.ui.import_wizard import ImportWizard
from tests.helpers.extract_wizard import choose_extract
from tests.helpers.extract_workbook import write_extract


def open_wizard(qtbot: QtBot, db: Database, audit: AuditSummary) -> ImportWizard:
    wizard = ImportWizard(db, audit.id)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_import_end_to_end(qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary,
                           tmp_path: Path) -> None:
    path = write_extract(tmp_path / "extract.xlsx", 30)
    wizard = open_wizard(qtbot, sqlite_db, empty_audit)
    choose_extract(qtbot, wizard, path)
    assert wizard.file_page.isComplete()
    assert wizard.preview is not None and wizard.preview.sheet == "Closed cases"
    assert wizard.file_page.sheet_combo.count() == 2

    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    assert wizard.preview_page.table.rowCount() == 20
    assert wizard.preview_page.table.horizontalHeaderItem(0).text() == "Crime Ref"
    assert "30 cases below it" in wizard.preview_page.subTitle()

    wizard.next()
    mapping_page = wizard.mapping_page
    assert mapping_page.combos["reference"].currentText() == "Crime Ref"
    assert mapping_page.combos["risk_level"].currentText() == "DASH Risk"
    assert mapping_page.combos["victim_name"].currentText() == "Victim Name"
    assert mapping_page.combos["officer"].currentText() == NOT_MAPPED
    assert mapping_page.other_columns() == ["Informant", "Notes"]
    # Informant's heading names a person; Notes is free text, kept personal until unticked.
    assert mapping_page.personal_columns() == ["Informant", "Notes"]
    assert not mapping_page.share_item("Notes").flags() & Qt.ItemFlag.ItemIsUserCheckable
    mapping_page.personal_item("Notes").setCheckState(Qt.CheckState.Unchecked)
    assert mapping_page.personal_columns() == ["Informant"]
    mapping_page.share_item("Notes").setCheckState(Qt.CheckState.Checked)
    assert mapping_page.shareable_columns() == ["Notes"]

    wizard.next()
    validation = wizard.validation_page
    qtbot.waitUntil(lambda: validation.done, timeout=20_000)
    assert validation.problems == []
    assert validation.isComplete()
    assert "No problems" in validation.status.text()

    wizard.next()
    qtbot.waitUntil(lambda: wizard.import_page.done, timeout=20_000)
    assert wizard.imported is not None
    assert wizard.imported.added == 30
    assert "30 added" in wizard.import_page.status.text()
    assert count_cases(sqlite_db, audit_id=empty_audit.id) == 30
    case = list_cases(sqlite_db, audit_id=empty_audit.id, limit=1)[0]
    assert case.reference == "CR/00001/26"
    assert case.fields["outcome_code"] == 16
    assert case.fields["risk_level"] == "medium"


def test_errors_block_the_import_until_valid_rows_only_is_chosen(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> None:
    path = write_extract(tmp_path / "extract.xlsx", 12, bad_outcome_rows=(3, 7))
    wizard = open_wizard(qtbot, sqlite_db, empty_audit)
    choose_extract(qtbot, wizard, path)
    wizard.next()
    wizard.next()
    wizard.next()
    validation = wizard.validation_page
    qtbot.waitUntil(lambda: validation.done, timeout=20_000)
    errors = validation.errors
    assert len(errors) == 2
    assert {e.column for e in errors} == {"Outcome"}
    assert not validation.isComplete(), "errors stop the import by default"
    assert "2 errors in 2 rows" in validation.status.text()

    validation.filter_combo.setCurrentIndex(2)  # warnings only
    assert validation.proxy.rowCount() == len(validation.problems) - 2
    validation.filter_combo.setCurrentIndex(1)  # errors only
    assert validation.proxy.rowCount() == 2

    validation.valid_only.setChecked(True)
    assert validation.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.import_page.done, timeout=20_000)
    assert wizard.imported is not None
    assert wizard.imported.added == 10 and wizard.imported.skipped == 2
    assert count_cases(sqlite_db, audit_id=empty_audit.id) == 10


def test_a_file_that_is_not_an_extract_is_explained(qtbot: QtBot, sqlite_db: Database,
                                                    empty_audit: AuditSummary, tmp_path: Path) -> None:
    path = tmp_path / "extract.xlsx"
    path.write_text("this is not a workbook", encoding="utf-8")
    wizard = open_wizard(qtbot, sqlite_db, empty_audit)
    choose_extract(qtbot, wizard, path)
    assert not wizard.file_page.isComplete()
    assert wizard.file_page.problem.text()
    assert "Traceback" not in wizard.file_page.problem.text()
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert count_cases(sqlite_db, audit_id=empty_audit.id) == 0


def test_mapping_without_a_reference_is_refused(qtbot: QtBot, sqlite_db: Database,
                                                empty_audit: AuditSummary, tmp_path: Path) -> None:
    path = write_extract(tmp_path / "extract.xlsx", 3)
    wizard = open_wizard(qtbot, sqlite_db, empty_audit)
    choose_extract(qtbot, wizard, path)
    wizard.next()
    wizard.next()
    wizard.mapping_page.combos["reference"].setCurrentIndex(0)
    assert "Notes" in wizard.mapping_page.other_columns()
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert "Crime reference" in wizard.mapping_page.problem.text()


def test_a_saved_mapping_is_offered_next_time(qtbot: QtBot, sqlite_db: Database,
                                              empty_audit: AuditSummary, tmp_path: Path) -> None:
    path = write_extract(tmp_path / "extract.xlsx", 4)
    wizard = open_wizard(qtbot, sqlite_db, empty_audit)
    choose_extract(qtbot, wizard, path)
    wizard.next()
    wizard.next()
    page = wizard.mapping_page
    assert not page.profile_combo.isEnabled(), "nothing saved yet"
    page.combos["court_outcome"].setCurrentText("Notes")
    page.combos["area"].setCurrentIndex(0)  # Area left over, and opened to partners
    page.share_item("Area").setCheckState(Qt.CheckState.Checked)
    page.profile_edit.setText("Northshire crime extract")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.validation_page.done, timeout=20_000)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.import_page.done, timeout=20_000)
    assert wizard.imported is not None

    again = open_wizard(qtbot, sqlite_db, empty_audit)
    choose_extract(qtbot, again, path)
    again.next()
    again.next()
    page = again.mapping_page
    qtbot.waitUntil(page.profile_combo.isEnabled, timeout=20_000)  # read in the background
    assert page.combos["court_outcome"].currentText() == NOT_MAPPED, "the suggestion comes first"
    page.profile_combo.setCurrentIndex(page.profile_combo.findData("Northshire crime extract"))
    page.profile_combo.activated.emit(page.profile_combo.currentIndex())
    assert page.combos["court_outcome"].currentText() == "Notes"
    assert page.combos["reference"].currentText() == "Crime Ref"
    assert page.personal_columns() == ["Informant"]
    assert page.shareable_columns() == ["Area"], "the saved mapping remembers what may be shared"
