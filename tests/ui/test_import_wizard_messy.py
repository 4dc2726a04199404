"""The import wizard on a messy force extract: every step as a panel member sees it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QLabel, QWizard
from pytestqt.qtbot import QtBot

from audit_app.services.cases import count_cases
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.import_mapping_page import PERSONAL_SAMPLE
from audit_app.ui.import_wizard import ImportWizard
from tests.helpers.extract_messy import EXPECTED_MAPPING, TITLE_ROWS, write_messy_extract
from tests.helpers.extract_wizard import choose_extract


def _wizard(qtbot: QtBot, db: Database, audit: AuditSummary, path: Path) -> ImportWizard:
    wizard = ImportWizard(db, audit.id)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_extract(qtbot, wizard, path)
    return wizard


def test_every_page_is_a_numbered_step_with_one_title_style(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary) -> None:
    wizard = ImportWizard(sqlite_db, empty_audit.id)
    qtbot.addWidget(wizard)
    titles = [wizard.page(page_id).title() for page_id in wizard.pageIds()]
    assert titles == ["Step 1 of 5: Choose the extract", "Step 2 of 5: Check the preview",
                      "Step 3 of 5: Match the columns", "Step 4 of 5: Check the rows",
                      "Step 5 of 5: Import"]
    assert all(wizard.page(page_id).subTitle() for page_id in wizard.pageIds())


def test_the_file_label_is_a_mnemonic_not_an_ampersand(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary) -> None:
    wizard = ImportWizard(sqlite_db, empty_audit.id)
    qtbot.addWidget(wizard)
    page = wizard.file_page
    form = page.layout()
    assert isinstance(form, QFormLayout)
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(2)]
    widgets = [item.widget() for item in labels if item is not None]
    assert all(isinstance(label, QLabel) and label.buddy() is not None for label in widgets)
    assert widgets[0].buddy() is page.path_edit  # Alt+F reaches the file box, "&" is not shown


def test_a_messy_extract_maps_shows_samples_and_numbers_rows_as_excel(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, sqlite_db, empty_audit, write_messy_extract(tmp_path / "niche.xlsx", 30))
    assert "header on row 3" in wizard.file_page.reading.text(), "what was found, on page one"
    wizard.next()
    preview = wizard.preview_page
    assert "header on row 3, 30 cases below it (4 blank rows skipped)" in preview.subTitle()
    numbers = [preview.table.verticalHeaderItem(row).text() for row in range(9)]
    first = TITLE_ROWS + 2
    assert numbers == [str(first + n) for n in range(7)] + [str(first + 8), str(first + 9)]

    wizard.next()
    page = wizard.mapping_page
    assert {key: header for key, header in page.mapping().items() if header} == EXPECTED_MAPPING
    assert page.samples["offence_description"].text() == "Assault occasioning ABH"
    assert page.samples["da_flag"].text() == "Y"
    assert page.samples["victim_name"].text() == PERSONAL_SAMPLE, "a name is not shown"
    assert page.samples["court_outcome"].text() == ""
    assert {"Supervisor Comments", "MO Text"} <= set(page.personal_columns())
    page.combos["date_finalised"].setCurrentIndex(page.combos["date_finalised"].findData("MO Text"))
    assert page.samples["date_finalised"].text() == PERSONAL_SAMPLE, "free text kept personal"


def test_values_read_and_empty_fields_are_shown_before_the_import(
        qtbot: QtBot, sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, sqlite_db, empty_audit, write_messy_extract(tmp_path / "niche.xlsx", 30))
    wizard.next()
    wizard.next()
    wizard.next()
    validation = wizard.validation_page
    qtbot.waitUntil(lambda: validation.done, timeout=20_000)
    assert validation.status.text().startswith("30 case rows read (4 blank rows skipped).")
    model = validation.reading_model
    shown = {tuple(model.index(row, column).data() for column in range(3))
             for row in range(model.rowCount())}
    assert {("Victim supports action", "N", "Never"), ("Risk level", "STANDARD", "Standard"),
            ("Domestic abuse flag", "Y", "Yes")} <= shown
    # The framework's rules read the evidence-led flag, which this extract does not have.
    assert validation.warning.isVisibleTo(wizard)
    text = validation.warning.text()
    assert "Evidence-led prosecution" in text and "would be blank on all 30 rows" in text
    assert "the framework's rules use them" in text
    assert "Go Back" in text and "press Import to continue" in text
    assert validation.isComplete(), "a warning, not a stop: the choice is the user's"

    wizard.next()
    qtbot.waitUntil(lambda: wizard.import_page.done, timeout=20_000)
    assert count_cases(sqlite_db, audit_id=empty_audit.id) == 30
    assert "Imported 30 case rows" in wizard.import_page.status.text()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible(), "no Cancel after"
    assert wizard.button(QWizard.WizardButton.FinishButton).text() == "Close"
