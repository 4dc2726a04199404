"""File actions: the import wizard, the workbook export and the scoring sheets.

Each gathers a path and options, runs one service as an operation (`ui/operations.py`)
and says plainly what happened. The heavier services (export, scoresheet, import) are
imported inside the functions that use them, so the window opens fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.errors import UserError
from audit_app.services.audits import get_audit
from audit_app.services.database import Database
from audit_app.ui import settings
from audit_app.ui.errors import show_user_error
from audit_app.ui.operations import ChangeOp, Changes, QueryOp, TaskControl, announce

if TYPE_CHECKING:
    from audit_app.services.export import ExportResult, ReleaseCheck
    from audit_app.services.scoresheet import ScoresheetImportResult

WORKBOOK_FILTER = "Excel workbook (*.xlsx)"


def start_folder() -> str:
    return settings.LAST_FOLDER.read() or str(Path.home())


def remember_folder(path: str) -> None:
    settings.LAST_FOLDER.write(str(Path(path).parent))


def _inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def _safe_file_name(text: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in text)
    return "-".join(keep.split()) or "audit"


def open_import_wizard(parent: QWidget, db: Database, audit_id: int, *,
                       path: str | None = None) -> QDialog | None:
    """The wizard, opened on `path` when given (a recent extract); an import announces
    `Changes(cases=True)` when the wizard closes."""
    from audit_app.ui.import_wizard import ImportWizard

    wizard = ImportWizard(db, audit_id, parent)

    def closed(_result: int) -> None:
        if wizard.imported is not None:
            announce(Changes(audit_id=audit_id, audits=True, cases=True), wizard)

    wizard.finished.connect(closed)
    wizard.open()
    if path:
        wizard.file_page.choose(path)
    return wizard


class ExportOptionsDialog(QDialog):
    """Where to save the workbook, and whether it is for a partner (no personal data)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export workbook")
        self.setMinimumWidth(440)
        intro = QLabel("The workbook holds the findings, every case and answer, learning and "
                       "actions, and how the sample was drawn.")
        intro.setWordWrap(True)
        self.for_partner = QCheckBox("For a partner (remove personal data)")
        self.for_partner.setAccessibleName("For a partner, remove personal data")
        partner_note = QLabel("A partner copy holds only fields known safe and columns "
                              "marked shareable at import; free text is scrubbed and you "
                              "read the release check before anything is written.")
        partner_note.setWordWrap(True)
        partner_note.setContentsMargins(20, 0, 0, 0)
        self.pseudonymise = QCheckBox("Replace crime references with pseudonyms")
        self.pseudonymise.setChecked(True)  # what a data protection officer expects
        self.keep_officers = QCheckBox("Keep officer and supervisor names")
        self.keep_members = QCheckBox("Name panel members (otherwise Member 1, Member 2…)")
        self.partner_boxes = (self.pseudonymise, self.keep_officers, self.keep_members)
        for box in self.partner_boxes:
            box.setEnabled(False)
            box.setContentsMargins(20, 0, 0, 0)
            self.for_partner.toggled.connect(box.setEnabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file and export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.for_partner)
        layout.addWidget(partner_note)
        for box in self.partner_boxes:
            layout.addWidget(box)
        layout.addWidget(buttons)

    def options(self) -> dict[str, bool]:
        partner = self.for_partner.isChecked()
        return {"for_partner": partner, "pseudonymise": partner and self.pseudonymise.isChecked(),
                "keep_officer_names": partner and self.keep_officers.isChecked(),
                "keep_member_names": partner and self.keep_members.isChecked()}


def describe_export(result: ExportResult) -> str:
    lines = [f"Saved {Path(result.path).name} ({result.case_rows} case rows; sheets: "
             f"{', '.join(result.sheets)})."]
    if result.dropped_columns:
        lines.append("Left out of the partner copy: " + ", ".join(result.dropped_columns) + ".")
    if result.replacements:
        lines.append(f"{result.replacements} pieces of personal text were replaced, as the "
                     "release check showed.")
    return "\n\n".join(lines)


def describe_scoresheet_import(result: ScoresheetImportResult) -> str:
    text = (f"Scores from {result.reviewer} in {Path(result.path).name}: "
            f"{result.answers_changed} answers and {result.details_changed} case details changed "
            f"across {result.cases_changed} cases.")
    if result.missing_warning:  # rows deleted from the sheet
        text += f"\n\nWarning: {result.missing_warning}."
    if result.problems:
        text += "\n\nNot imported:\n" + "\n".join(result.problems[:10])
    return text


def run_workbook_export(parent: QWidget, db: Database, audit_id: int, path: str,
                        options: dict[str, Any]) -> None:
    """Write the workbook in the background; a partner copy's options carry its approval.
    A ChangeOp: storing the pseudonym secret on a first partner copy writes to the audit."""
    from audit_app.services import export

    remember_folder(path)
    ChangeOp(parent, lambda control: export.export_workbook(
        db, audit_id=audit_id, path=Path(path), progress=control.progress,
        cancelled=control.cancelled, **options), Changes(audit_id=audit_id)).success(
        lambda result: _inform(parent, "Workbook exported", describe_export(result))
    ).with_progress("Exporting workbook", "Writing the workbook…").run()


def check_partner_release(parent: QWidget, db: Database, audit_id: int, path: str,
                          options: dict[str, Any]) -> None:
    """Build the release check in the background, show it, and write only once approved."""
    from audit_app.services import export

    check_options = {key: value for key, value in options.items() if key != "for_partner"}

    def review(check: ReleaseCheck) -> None:
        from audit_app.services.release import ReleaseApproval
        from audit_app.ui.release_check_dialog import ReleaseCheckDialog

        dialog = ReleaseCheckDialog(check, approver=settings.REVIEWER_NAME.read(),
                                    names_kept=bool(options.get("keep_member_names")),
                                    parent=parent)
        dialog.setObjectName("releaseCheckDialog")

        def approved(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                approval = ReleaseApproval.of(check, dialog.approver())
                run_workbook_export(parent, db, audit_id, path,
                                    {**options, "approval": approval})
            dialog.deleteLater()

        dialog.finished.connect(approved)
        dialog.open()

    def read_check(control: TaskControl) -> ReleaseCheck:
        return export.check_partner_release(db, audit_id=audit_id, progress=control.progress,
                                            cancelled=control.cancelled, **check_options)

    QueryOp(parent, read_check, review).with_progress(
        "Checking the partner copy", "Reading every piece of text that would leave…").run()


def export_workbook(parent: QWidget, db: Database, audit_id: int) -> None:
    dialog = ExportOptionsDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    options = dialog.options()
    suffix = "-partner" if options["for_partner"] else ""
    suggested = Path(start_folder()) / f"{_safe_file_name(get_audit(db, audit_id).name)}{suffix}.xlsx"
    path, _ = QFileDialog.getSaveFileName(parent, "Export workbook", str(suggested), WORKBOOK_FILTER)
    if not path:
        return
    if options["for_partner"]:
        check_partner_release(parent, db, audit_id, path, dict(options))
    else:
        run_workbook_export(parent, db, audit_id, path, dict(options))


def export_scoresheet(parent: QWidget, db: Database, audit_id: int, reviewer: str) -> None:
    if not reviewer:
        show_user_error(parent, UserError("Choose who is reviewing first (Reviewing as… in the "
                                          "status bar): the sheet is for one reviewer."))
        return
    from audit_app.services import scoresheet

    suggested = Path(start_folder()) / f"scoring-{_safe_file_name(reviewer)}.xlsx"
    path, _ = QFileDialog.getSaveFileName(parent, "Export scoring sheet", str(suggested),
                                          WORKBOOK_FILTER)
    if not path:
        return
    remember_folder(path)
    QueryOp(parent, lambda _control: scoresheet.export_scoresheet(
        db, audit_id=audit_id, reviewer=reviewer, path=Path(path)),
        lambda _result: _inform(parent, "Scoring sheet exported",
                                f"Saved {Path(path).name} for {reviewer}.")).with_progress(
        "Exporting scoring sheet", "Writing the scoring sheet…").run()


def import_scoresheet(parent: QWidget, db: Database) -> None:
    """Scores from a sheet: answers and verdicts change in whichever audit the sheet is for."""
    from audit_app.services import scoresheet

    path, _ = QFileDialog.getOpenFileName(parent, "Import scoring sheet", start_folder(),
                                          WORKBOOK_FILTER)
    if not path:
        return
    remember_folder(path)
    ChangeOp(parent, lambda _control: scoresheet.import_scoresheet(db, path=Path(path)),
             lambda result: Changes(audit_id=result.audit_id, answers=True, verdicts=True)
             ).success(
        lambda result: _inform(parent, "Scoring sheet imported",
                               describe_scoresheet_import(result))).with_progress(
        "Importing scoring sheet", "Reading the scoring sheet…").run()
