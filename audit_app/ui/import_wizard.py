"""The Import extract wizard: file and sheet, preview, mapping, validation, import.

It calls the population import service only; every check and every write happens
there. The two slow steps (validation and the import itself) run in the background
helper with a progress bar and a Cancel button on the page.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from audit_app.core.errors import UserError
from audit_app.services.database import Database
from audit_app.services.population_import import ExtractPreview, ImportResult, preview_extract
from audit_app.ui import settings
from audit_app.ui.import_mapping_page import MappingPage
from audit_app.ui.import_wizard_pages import ImportPage, ValidationPage

EXTRACT_FILTER = "Extracts (*.xlsx *.xlsm *.xls *.ods *.csv);;All files (*)"


class ImportWizard(QWizard):
    """Holds what the pages agree on: the file, the sheet, the preview and the mapping."""

    def __init__(self, db: Database, audit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id = audit_id
        self.preview: ExtractPreview | None = None
        self.imported: ImportResult | None = None
        self.setObjectName("importWizard")
        self.setWindowTitle("Import extract")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.resize(920, 620)
        self.file_page = FilePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.validation_page = ValidationPage(self)
        self.import_page = ImportPage(self)
        for page in (self.file_page, self.preview_page, self.mapping_page, self.validation_page,
                     self.import_page):
            self.addPage(page)

    @property
    def path(self) -> Path:
        return Path(self.file_page.path_edit.text().strip())

    @property
    def sheet(self) -> str | None:
        return self.preview.sheet if self.preview is not None else None


class FilePage(QWizardPage):
    """Choose the file and (for a workbook) the sheet; reading the preview checks both."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Choose the extract")
        self.setSubTitle("An Excel workbook or CSV file of closed cases, one row per crime.")
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Extract file")
        self.path_edit.setPlaceholderText("Choose a file…")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.setAccessibleName("Browse for the extract file")
        self.browse_button.clicked.connect(self.browse)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet")
        self.sheet_combo.setEnabled(False)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_chosen)
        self.problem = QLabel("")
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout(self)
        form.addRow("&File:", row)
        form.labelForField(row).setBuddy(self.path_edit)  # type: ignore[attr-defined]
        form.addRow("&Sheet:", self.sheet_combo)
        form.addRow(self.problem)
        self.path_edit.editingFinished.connect(self.load)
        self.path_edit.textChanged.connect(self.completeChanged)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the extract",
                                              settings.LAST_FOLDER.read() or str(Path.home()),
                                              EXTRACT_FILTER)
        if path:
            self.choose(path)

    def choose(self, path: str) -> None:
        """Use `path` (as Browse does) and read its preview."""
        self.path_edit.setText(path)
        settings.LAST_FOLDER.write(str(Path(path).parent))
        if self.load():
            settings.remember_file(str(Path(path).resolve()))

    def load(self, sheet: str | None = None) -> bool:
        self.problem.setText("")
        self._wizard.preview = None
        if not self.path_edit.text().strip():
            return False
        try:
            preview = preview_extract(self._wizard.path, sheet=sheet)
        except UserError as error:
            self.problem.setText(error.message)
            self.completeChanged.emit()
            return False
        if not preview.sample:
            # A header alone would empty the audit: stop here rather than at the last step.
            self.problem.setText("This file has a header but no case rows, so there is nothing "
                                 "to import. Check you chose the right file or sheet.")
        else:
            self._wizard.preview = preview
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(preview.sheets)
        self.sheet_combo.setEnabled(len(preview.sheets) > 1)
        if preview.sheet:
            self.sheet_combo.setCurrentText(preview.sheet)
        self.sheet_combo.blockSignals(False)
        self.completeChanged.emit()
        return self._wizard.preview is not None

    def _sheet_chosen(self) -> None:
        if self.sheet_combo.currentText():
            self.load(self.sheet_combo.currentText())

    def isComplete(self) -> bool:
        return self._wizard.preview is not None

    def validatePage(self) -> bool:
        return self._wizard.preview is not None or self.load()


class PreviewPage(QWizardPage):
    """The first rows as the app read them, so the user sees the right header was found."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Check the preview")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move in the table
        self.table.setAccessibleName("Preview of the first rows")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        preview = self._wizard.preview
        assert preview is not None
        rows = f"{preview.total_rows:,} rows below it" if preview.total_rows is not None else "rows below it"
        sheet = f"sheet '{preview.sheet}', " if preview.sheet else ""
        self.setSubTitle(f"{preview.path.name}: {sheet}header on row {preview.header_row}, {rows}.")
        self.summary.setText(f"The first {len(preview.rows)} rows. If the column names are not in the "
                             "header, go Back and check the file or sheet.")
        self.table.clear()
        self.table.setColumnCount(len(preview.headers))
        self.table.setRowCount(len(preview.rows))
        self.table.setHorizontalHeaderLabels(preview.headers)
        for row_index, row in enumerate(preview.rows):
            for column, text in enumerate(row[:len(preview.headers)]):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row_index, column, item)
        self.table.resizeColumnsToContents()

