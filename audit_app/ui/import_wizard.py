"""The Import extract wizard: file and sheet, preview, mapping, validation, import.

It calls the population import service only; every check and every write happens
there. Reading the file's preview runs in the background (a 3,000-row workbook takes
half a second); the two slow steps (validation and the import itself) run in the
background helper with a progress bar and a Cancel button on the page. Each page is
titled "Step n of 5: ..." and says what it is for.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontMetrics
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
from audit_app.core.wording import plural
from audit_app.services.database import Database
from audit_app.services.population_import import ExtractPreview, ImportResult, preview_extract
from audit_app.ui import settings
from audit_app.ui.errors import report_error
from audit_app.ui.import_mapping_page import MappingPage
from audit_app.ui.import_wizard_pages import ImportPage, ValidationPage, step_title
from audit_app.ui.operations import QueryOp

MAX_PREVIEW_COLUMN_WIDTH = 320  # a long note shows its start, not a screen-wide column
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
        self.resize(*fitted_size(self, 960, 640))
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

    def import_finished(self) -> None:
        """Once the import has run, Close is the only way on: no Cancel after the fact."""
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Close")


def fitted_size(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """`width` x `height`, or less where the screen is smaller (a 1280x720 laptop at 150%)."""
    screen = widget.screen()
    if screen is None:
        return width, height
    available = screen.availableGeometry()
    return min(width, available.width() - 40), min(height, available.height() - 40)


class FilePage(QWizardPage):
    """Choose the file and (for a workbook) the sheet; reading the preview checks both."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(step_title(1, "Choose the extract"))
        self.setSubTitle("An Excel workbook or CSV file of closed cases, one row per crime, "
                         "as your records system exports it.")
        self.loading = False  # a preview is being read in the background
        self._request = 0  # the latest read: an earlier one finishing late is ignored
        self._read_path: Path | None = None
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
        # A label with a buddy: "&File:" on a layout row would show its ampersand.
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)
        sheet_label = QLabel("&Sheet:")
        sheet_label.setBuddy(self.sheet_combo)
        form = QFormLayout(self)
        form.addRow(file_label, row)
        form.addRow(sheet_label, self.sheet_combo)
        form.addRow(self.problem)
        # "Reading the file…", then what was found: calm words, not the problem line's red.
        self.reading = QLabel("")
        self.reading.setWordWrap(True)
        self.reading.hide()
        form.addRow(self.reading)
        self.path_edit.editingFinished.connect(self._path_edited)
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
        self.load()

    def _path_edited(self) -> None:
        """A typed path is read when it changes (focus leaving the box is not a change)."""
        if self._wizard.path != self._read_path:
            self.load()

    def load(self, sheet: str | None = None) -> bool:
        """Read the preview in the background; True if there is a file to read."""
        self.problem.setText("")
        self._wizard.preview = None
        path = self._read_path = self._wizard.path
        if not self.path_edit.text().strip():
            self.completeChanged.emit()
            return False
        self.loading = True
        self._request += 1
        request = self._request
        self.reading.setText("Reading the file…")
        self.reading.show()
        self.completeChanged.emit()
        QueryOp(self, lambda _control: preview_extract(path, sheet=sheet),
                lambda preview: self._loaded(request, preview)
                ).failure(lambda error: self._failed(request, error)).run()
        return True

    def _failed(self, request: int, error: BaseException) -> None:
        if request != self._request:
            return  # a later choice of file or sheet has taken over
        self.loading = False
        self.reading.hide()
        if isinstance(error, UserError):
            self.problem.setText(error.message)
        else:
            self.problem.setText("This file could not be read.")
            report_error(self, error)
        self.completeChanged.emit()

    def _loaded(self, request: int, preview: ExtractPreview) -> None:
        if request != self._request:
            return
        self.loading = False
        self.reading.hide()
        settings.remember_file(str(preview.path.resolve()))
        if not preview.sample:
            # A header alone would empty the audit: stop here rather than at the last step.
            self.problem.setText("This file has a header but no case rows, so there is nothing "
                                 "to import. Check you chose the right file or sheet.")
        else:
            self._wizard.preview = preview
            self.reading.setText(preview_summary(preview))
            self.reading.show()
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(preview.sheets)
        self.sheet_combo.setEnabled(len(preview.sheets) > 1)
        if preview.sheet:
            self.sheet_combo.setCurrentText(preview.sheet)
        self.sheet_combo.blockSignals(False)
        self.completeChanged.emit()

    def _sheet_chosen(self) -> None:
        if self.sheet_combo.currentText():
            self.load(self.sheet_combo.currentText())

    def isComplete(self) -> bool:
        return self._wizard.preview is not None and not self.loading

    def validatePage(self) -> bool:
        return self._wizard.preview is not None and not self.loading


class PreviewPage(QWizardPage):
    """The first rows as the app read them, so the user sees the right header was found."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(step_title(2, "Check the preview"))
        self.setSubTitle("The first rows as the app read them.")  # the file's details once read
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
        self.setSubTitle(preview_summary(preview))
        self.summary.setText(f"The first {len(preview.rows)} cases, numbered as in the spreadsheet. "
                             "If the column names are not in the header, go Back and check the "
                             "file or sheet.")
        self.table.clear()
        self.table.setColumnCount(len(preview.headers))
        self.table.setRowCount(len(preview.rows))
        self.table.setHorizontalHeaderLabels(preview.headers)
        self.table.setVerticalHeaderLabels([str(number) for number in preview.row_numbers])
        for row_index, row in enumerate(preview.rows):
            for column, text in enumerate(row[:len(preview.headers)]):
                self.table.setItem(row_index, column, QTableWidgetItem(text))  # read-only view
        self._fit_columns(preview)

    def _fit_columns(self, preview: ExtractPreview) -> None:
        """Each column as wide as its header or longest shown value, up to a limit. Values are
        sized by their length (shaping every cell's text is what makes the view's own
        resizeColumnsToContents slow on a wide sheet)."""
        character = self.table.fontMetrics().averageCharWidth() + 1
        bold = QFontMetrics(self.table.horizontalHeader().font())
        for column, header in enumerate(preview.headers):
            longest = max((len(row[column]) for row in preview.rows if column < len(row)),
                          default=0)
            widest = max(longest * character, bold.horizontalAdvance(header) + 12)
            self.table.setColumnWidth(column, min(widest + 16, MAX_PREVIEW_COLUMN_WIDTH))



def preview_summary(preview: ExtractPreview) -> str:
    """'extract.xlsx, sheet 'Niche export': header on row 3, 3,000 cases below it (12 blank
    rows skipped).'"""
    sheet = f", sheet '{preview.sheet}'" if preview.sheet else ""
    if preview.case_rows is None:
        rows = "cases below it"
    else:
        rows = f"{plural(preview.case_rows, 'case')} below it"
        if preview.blank_rows:
            rows += f" ({plural(preview.blank_rows, 'blank row')} skipped)"
    return f"{preview.path.name}{sheet}: header on row {preview.header_row}, {rows}."
