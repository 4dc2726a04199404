"""The import wizard's working pages: the validation report and the import itself.

An import that would remove cases the audit relies on is refused by the service; the
import page then asks, showing the counts, and runs it again only if the user agrees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.errors import Cancelled, UserError
from audit_app.core.import_validation import ImportProblem
from audit_app.core.wording import plural
from audit_app.services.population_import import (
    ImportResult,
    RemovalsNeedConsent,
    import_population,
)
from audit_app.services.population_import_checks import (
    EmptyField,
    ExtractCheck,
    check_extract,
    fields_in_use,
)
from audit_app.ui.errors import report_error
from audit_app.ui.models.row_table import Column
from audit_app.ui.pages.tables import sortable_table
from audit_app.ui.tasks import BackgroundTask, Work, start_task

if TYPE_CHECKING:
    from audit_app.ui.import_wizard import ImportWizard

STEP_COUNT = 5
# (field label, as written in the file, as the app reads it)
Reading = tuple[str, str, str]
READING_COLUMNS: list[Column[Reading]] = [
    Column("Field", lambda r: r[0]),
    Column("In the file", lambda r: r[1]),
    Column("Read as", lambda r: r[2]),
]
PROBLEM_COLUMNS: list[Column[ImportProblem]] = [
    # The row as Excel numbers it: the header is row 1 (or lower under title rows).
    Column("Row", lambda p: str(p.row), lambda p: p.row, True),
    Column("Column", lambda p: p.column),
    Column("Value", lambda p: p.value if p.quotable else HIDDEN_VALUE),
    Column("Severity", lambda p: p.severity.capitalize()),
    Column("Problem", lambda p: p.message),
]
SEVERITY_COLUMN = 3
HIDDEN_VALUE = "(a name: not shown)"
NO_PROBLEMS = "No problems were found: every row can be imported as it is."


def step_title(number: int, title: str) -> str:
    """'Step 3 of 5: Match the columns': every page titled the same way."""
    return f"Step {number} of {STEP_COUNT}: {title}"


def readings(check: ExtractCheck) -> list[Reading]:
    """Each mapped field's spellings and what they were read as, in the form's order."""
    rows = []
    for key, field in FIELDS_BY_KEY.items():
        for text, read in check.interpretations.get(key, []):
            rows.append((field.label, text, read))
    return rows


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def empty_field_warning(empty: list[EmptyField]) -> str:
    """Plain words for fields the audit uses that the import would leave blank, grouped:
    'Evidence-led prosecution and Referred to CPS would be blank on all 3,000 rows, and
    the framework's rules use them.'"""
    groups: dict[tuple[str, str], list[str]] = {}
    for field in empty:
        where = f"all {field.rows:,} rows" if field.blank_rows >= field.rows else \
            f"{field.blank_rows:,} of {field.rows:,} rows"
        groups.setdefault((where, field.used_by), []).append(field.label)
    sentences = [f"{_listed(labels)} would be blank on {where}, and {used_by} use "
                 f"{'it' if len(labels) == 1 else 'them'}."
                 for (where, used_by), labels in groups.items()]
    return ("Before you import: " + " ".join(sentences) + " Go Back to match a column to "
            + ("it" if len(empty) == 1 else "them") + ", or press Import to continue without.")


class _TaskPage(QWizardPage):
    """A page that runs one service call in the background with progress and Cancel."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.task: BackgroundTask | None = None
        self.done = False
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel this step")
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        self.page_layout = QVBoxLayout(self)
        self.page_layout.addLayout(bar)
        self.page_layout.addWidget(self.status)

    def run(self, work: Work, label: str) -> None:
        self.done = False
        self.completeChanged.emit()
        self.status.setText(label)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.task = start_task(work, on_progress=self._progress, on_finished=self._finish,
                               on_failed=self._fail)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText("Stopping… nothing will be changed.")

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _stopped(self) -> None:
        self.task = None
        self.done = True
        self.progress.hide()
        self.cancel_button.hide()
        self.completeChanged.emit()

    def _finish(self, result: object) -> None:
        self._stopped()
        self.show_result(result)

    def _fail(self, error: object) -> None:
        self._stopped()
        assert isinstance(error, BaseException)
        self.show_error(error)

    def show_result(self, result: Any) -> None:
        raise NotImplementedError

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            self.status.setText(error.message)
        else:
            self.status.setText("Something went wrong; nothing was imported.")
            report_error(self, error)

    def cleanupPage(self) -> None:
        self.cancel()  # going Back stops the work

    def isComplete(self) -> bool:
        return self.done


class ValidationPage(_TaskPage):
    """Every error and warning in the file, filterable; the choice to import valid rows only."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(step_title(4, "Check the rows"))
        self.setSubTitle("Every row is read as it will be imported. Errors stop a row; warnings "
                         "do not. Rows are numbered as in the spreadsheet.")
        self.setCommitPage(True)
        self.setButtonText(wizard.WizardButton.CommitButton, "Import")
        self.problems: list[ImportProblem] = []
        self.check: ExtractCheck | None = None
        self.empty_fields: list[EmptyField] = []
        self.warning = QLabel("")
        self.warning.setObjectName("problem")  # the stylesheet colours it
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.filter_combo = QComboBox()
        self.filter_combo.setAccessibleName("Show problems")
        self.filter_combo.addItem("All problems", "")
        self.filter_combo.addItem("Errors only", "Error")
        self.filter_combo.addItem("Warnings only", "Warning")
        self.filter_combo.currentIndexChanged.connect(self._filter)
        self.model, self.proxy, self.table = sortable_table(PROBLEM_COLUMNS, "Problems found", self,
                                                            stretch_column=4)
        self.proxy.setFilterKeyColumn(SEVERITY_COLUMN)
        self.valid_only = QCheckBox("Import only the valid rows (rows with errors are skipped)")
        self.valid_only.setAccessibleName("Import only the valid rows")
        self.valid_only.toggled.connect(self.completeChanged)
        self.reading_model, _, self.readings_table = sortable_table(
            READING_COLUMNS, "How values were read", self, stretch_column=2)
        problems_tab = QWidget()
        problems_layout = QVBoxLayout(problems_tab)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        filter_row = QHBoxLayout()
        self.show_label = QLabel("S&how:")
        self.show_label.setBuddy(self.filter_combo)
        filter_row.addWidget(self.show_label)
        filter_row.addWidget(self.filter_combo)
        filter_row.addStretch(1)
        # An empty grid under "No problems found" reads as broken: say it in words instead.
        self.no_problems = QLabel(NO_PROBLEMS)
        self.no_problems.setObjectName("hint")
        self.no_problems.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_problems.setWordWrap(True)
        self.no_problems.hide()
        problems_layout.addLayout(filter_row)
        problems_layout.addWidget(self.table, 1)
        problems_layout.addWidget(self.no_problems, 1)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Check results")
        self.tabs.addTab(problems_tab, "Problems")
        self.tabs.addTab(self.readings_table, "How values were read")
        self.page_layout.addWidget(self.warning)
        self.page_layout.addWidget(self.tabs, 1)
        self.page_layout.addWidget(self.valid_only)

    def initializePage(self) -> None:
        self.problems, self.check, self.empty_fields = [], None, []
        self.model.set_rows([])
        self._show_problems_table(True)
        self.reading_model.set_rows([])
        self.warning.hide()
        self.valid_only.setChecked(False)
        self.valid_only.setEnabled(False)
        path, sheet = self._wizard.path, self._wizard.sheet
        db, audit_id = self._wizard.db, self._wizard.audit_id
        mapping = self._wizard.mapping_page.mapping()

        def work(progress: Any, cancelled: Any) -> tuple[ExtractCheck, list[EmptyField]]:
            check = check_extract(path, sheet=sheet, mapping=mapping, progress=progress,
                                  cancelled=cancelled)
            return check, check.empty_fields(fields_in_use(db, audit_id=audit_id))

        self.run(work, "Checking every row…")

    def _show_problems_table(self, shown: bool) -> None:
        self.table.setVisible(shown)
        self.show_label.setVisible(shown)
        self.filter_combo.setVisible(shown)
        self.no_problems.setVisible(not shown)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "error"]

    def show_result(self, result: Any) -> None:
        self.check, self.empty_fields = result
        assert self.check is not None
        self.problems = list(self.check.problems)
        self.model.set_rows(self.problems)
        self._show_problems_table(bool(self.problems))
        self.reading_model.set_rows(readings(self.check))
        self.tabs.setTabText(0, f"Problems ({len(self.problems):,})")
        self.warning.setText(empty_field_warning(self.empty_fields) if self.empty_fields else "")
        self.warning.setVisible(bool(self.empty_fields))
        self.status.setText(self._counts(self.check) + " " + self._verdict())
        self.valid_only.setEnabled(bool(self.errors))
        self.completeChanged.emit()

    @staticmethod
    def _counts(check: ExtractCheck) -> str:
        skipped = f" ({plural(check.blank_rows, 'blank row')} skipped)" if check.blank_rows else ""
        return f"{plural(check.rows_read, 'case row')} read{skipped}."

    def _verdict(self) -> str:
        errors, warnings = len(self.errors), len(self.problems) - len(self.errors)
        error_rows = len({p.row for p in self.errors})
        if not self.problems:
            return "No problems found. Press Import to bring the cases in."
        if errors:
            return (f"{plural(errors, 'error')} in {plural(error_rows, 'row')} and "
                    f"{plural(warnings, 'warning')}. Fix the extract and go Back, or import only "
                    "the valid rows.")
        return f"{plural(warnings, 'warning')}, no errors. Warnings do not stop the import."

    def show_error(self, error: BaseException) -> None:
        super().show_error(error)
        self.done = False  # nothing to import until the check has run
        self.completeChanged.emit()

    def _filter(self) -> None:
        self.proxy.setFilterFixedString(str(self.filter_combo.currentData()))

    def isComplete(self) -> bool:
        return self.done and (not self.errors or self.valid_only.isChecked())


class ImportPage(_TaskPage):
    """Runs the import and says what changed."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(step_title(5, "Import"))
        self.setSubTitle("The cases are written in one go: if anything stops the import, "
                         "nothing changes.")
        self.setFinalPage(True)
        self.page_layout.addStretch(1)
        self.removal_question: QMessageBox | None = None

    def initializePage(self) -> None:
        self.start(allow_removals=False)

    def start(self, *, allow_removals: bool) -> None:
        wizard = self._wizard
        path, sheet, db, audit_id = wizard.path, wizard.sheet, wizard.db, wizard.audit_id
        mapping = wizard.mapping_page.mapping()
        personal = wizard.mapping_page.personal_columns()
        shareable = wizard.mapping_page.shareable_columns()
        valid_only = wizard.validation_page.valid_only.isChecked()
        profile = wizard.mapping_page.profile_edit.text().strip() or None
        self.run(lambda progress, cancelled: import_population(
            db, audit_id=audit_id, path=path, sheet=sheet, mapping=mapping,
            personal_columns=personal, shareable_columns=shareable, valid_rows_only=valid_only,
            allow_removals=allow_removals, save_profile_as=profile,
            progress=progress, cancelled=cancelled), "Importing…")

    def _ask_about_removals(self, refused: RemovalsNeedConsent) -> None:
        """Window-modal, not a blocking exec(): the page stays responsive and testable."""
        self.status.setText("Nothing has been imported yet: waiting for your answer.")
        question = QMessageBox(
            QMessageBox.Icon.Question, "Remove cases?",
            f"This extract would remove {refused.removing:,} of {refused.population:,} cases, "
            f"{refused.sampled:,} of them sampled and {refused.scored:,} scored.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        question.setObjectName("removalQuestion")
        question.setInformativeText(
            "Removed cases are kept, with their reviews, but leave the population. Remove them "
            "and import this extract? If it may be the wrong file, choose No: nothing changes.")
        question.setDefaultButton(QMessageBox.StandardButton.No)
        question.finished.connect(lambda _: self._answered(question))
        self.removal_question = question
        question.open()

    def _answered(self, question: QMessageBox) -> None:
        self.removal_question = None
        if question.clickedButton() is question.button(QMessageBox.StandardButton.Yes):
            self.start(allow_removals=True)
        else:
            self.status.setText("Nothing was imported: the cases are as they were.")
            self._wizard.import_finished()

    def show_result(self, result: Any) -> None:
        assert isinstance(result, ImportResult)
        self._wizard.imported = result
        self._wizard.import_finished()
        lines = [f"Imported {plural(result.rows_read, 'case row')}: {result.added:,} added, "
                 f"{result.changed:,} changed, {result.unchanged:,} unchanged, "
                 f"{result.removed:,} removed."]
        if result.skipped:
            lines.append(f"{plural(result.skipped, 'row')} with errors skipped, as you chose.")
        if result.warnings:
            lines.append(f"{plural(len(result.warnings), 'warning')} noted.")
        self.status.setText("\n".join(lines))

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            self.status.setText("Import cancelled: nothing was changed.")
        elif isinstance(error, RemovalsNeedConsent):
            self._ask_about_removals(error)
            return
        else:
            super().show_error(error)
        self._wizard.import_finished()
