"""File > Panel documents: the minutes, feedback letters, summary sheet and yearly report.

Each asks a question or two (the internal copy with real references, letters by supervisor
or team, the year), then where to save, then writes in the background with a progress
dialog (`ui/operations.py`), as the workbook export does. Reading only: a first
pseudonymised document stores the audit's pseudonym secret, as a pseudonymised workbook
does, and nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from audit_app.ui.operations import QueryOp, TaskControl

# The menu is built with the window, before the database code loads (the start-up peek):
# services, and ui.exports which imports them, are imported where a document is made.
if TYPE_CHECKING:
    from audit_app.services.database import Database
    from audit_app.services.meetings import MeetingRow
    from audit_app.services.panel_documents import DocumentResult

WORD_FILTER = "Word document (*.docx)"
# (menu text, shortcut, object name, which document)
MENU = (("&Minutes…", "Ctrl+Alt+M", "minutesAction", "minutes"),
        ("&Feedback letters…", "Ctrl+Alt+Shift+F", "feedbackLettersAction", "feedback"),
        ("&Summary sheet…", "Ctrl+Alt+S", "summarySheetAction", "summary"),
        ("&Yearly report…", "Ctrl+Alt+Y", "yearlyReportAction", "report"))
TITLES = {"minutes": "Minutes", "feedback": "Feedback letters", "summary": "Summary sheet",
          "report": "Yearly report"}
INTROS = {
    "minutes": "The minutes of the meeting: attendance, the population picture, the headline "
               "with its interval, each case's verdict and rationale, escalations, themes, "
               "actions and good practice.",
    "feedback": "One letter for each supervisor (or team), with their cases' verdicts, "
                "learning and good practice. You choose a folder; the letters are numbered.",
    "summary": "One page for the panel pack: the headline, the criteria met least often, "
               "themes and open items.",
    "report": "The audits of a year side by side: each criterion's rate with its interval, "
              "themes over time, and actions with their responses.",
}


class DocumentOptionsDialog(QDialog):
    """The few choices a document needs before it is saved."""

    def __init__(self, document: str, parent: QWidget | None = None,
                 meetings: Sequence[MeetingRow] = (), *, reading: bool = False) -> None:
        """`reading`: the audit (and its meetings) are being read; `show_read` brings them."""
        super().__init__(parent)
        self._document = document
        self.audit_name = ""
        self.setWindowTitle(TITLES[document])
        self.setMinimumWidth(420)
        intro = QLabel(INTROS[document])
        intro.setWordWrap(True)
        self.real_references = QCheckBox("Panel's internal copy: real crime references and "
                                         "text as written")
        self.real_references.setAccessibleName("Internal copy with real crime references")
        note = QLabel("Left unticked, cases are named by pseudonym and personal details are "
                      "removed from the text, so the document can be circulated.")
        note.setWordWrap(True)
        self.form = form = QFormLayout()
        self.grouping = QComboBox()
        self.grouping.addItem("Supervisor", "supervisor")
        self.grouping.addItem("Team", "team")
        self.grouping.setAccessibleName("One letter per")
        self.year = QSpinBox()
        self.year.setRange(2000, dt.date.today().year + 1)
        self.year.setValue(dt.date.today().year)
        self.year.setAccessibleName("Year")
        if document == "feedback":
            form.addRow("One letter per:", self.grouping)
        if document == "report":
            form.addRow("Year:", self.year)
        # Minutes are of one meeting: the latest unless the chair picks an earlier one.
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting")
        self.meeting.hide()  # until the audit is known to have more than one
        self.reading_label = QLabel("Reading…")
        self.reading_label.setObjectName("muted")
        self.reading_label.setVisible(reading)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Choose folder…" if document == "feedback" else "Choose file…")
        self.ok_button.setEnabled(not reading)  # the file's name needs the audit's
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.real_references)
        layout.addWidget(note)
        layout.addWidget(self.reading_label)
        layout.addWidget(buttons)
        if not reading:
            self.show_read(meetings, "")

    @property
    def ready(self) -> bool:
        """True once what the dialog reads has arrived (at once if it reads nothing)."""
        return self.ok_button.isEnabled()

    def show_read(self, meetings: Sequence[MeetingRow], audit_name: str) -> None:
        """The audit's meetings and name, read in the background, arrived: ready to go on."""
        self.audit_name = audit_name
        for row in reversed(meetings):
            self.meeting.addItem(f"{row.title} ({row.held_on.day} {row.held_on:%B %Y})",
                                 row.meeting_id)
        if self._document == "minutes" and len(meetings) > 1:
            self.form.addRow("Meeting:", self.meeting)
            self.meeting.show()
        self.reading_label.hide()
        self.ok_button.setEnabled(True)

    def pseudonymise(self) -> bool:
        return not self.real_references.isChecked()

    def meeting_id(self) -> int | None:
        """The chosen meeting (None: the audit has none recorded in the app)."""
        data = self.meeting.currentData()
        return int(data) if data is not None else None


def _safe_name(text: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in text)
    return "-".join(keep.split()) or "audit"


def _run(parent: QWidget, title: str, work: Callable[[TaskControl], DocumentResult]) -> None:
    QueryOp(parent, work, lambda result: QMessageBox.information(
        parent, f"{title} saved", result.summary)).with_progress(
        title, f"Writing the {title.lower()}…").run()


def _read_audit(db: Database, document: str, audit_id: int
                ) -> tuple[Sequence[MeetingRow], str]:
    """The audit's meetings (for the minutes) and its name (for the file's), off the GUI
    thread."""
    from audit_app.services.audits import get_audit
    from audit_app.services.meetings import list_meetings

    held = list_meetings(db, audit_id=audit_id) if document == "minutes" else []
    return held, get_audit(db, audit_id).name


def _ask(parent: QWidget, db: Database, document: str,
         audit_id: int | None) -> DocumentOptionsDialog | None:
    """The options dialog, "Reading…" until the audit's details arrive; None if cancelled."""
    from audit_app.ui.errors import report_error

    dialog = DocumentOptionsDialog(document, parent, reading=audit_id is not None)

    def failed(error: BaseException) -> None:
        dialog.reject()
        report_error(parent, error)

    if audit_id is not None:
        QueryOp(dialog, lambda _control: _read_audit(db, document, audit_id),
                lambda read: dialog.show_read(*read)).failure(failed).run()
    return dialog if dialog.exec() == QDialog.DialogCode.Accepted and dialog.ready else None


def make_document(parent: QWidget, db: Database, document: str,
                  audit_id: int | None) -> None:
    """Ask, choose where, then write one of the panel's documents in the background."""
    from audit_app.services import panel_documents, panel_year_report
    from audit_app.ui.exports import remember_folder, start_folder

    if document != "report" and audit_id is None:
        return
    dialog = _ask(parent, db, document, None if document == "report" else audit_id)
    if dialog is None:
        return
    pseudonymise, title = dialog.pseudonymise(), TITLES[document]
    if document == "feedback":
        assert audit_id is not None
        folder = QFileDialog.getExistingDirectory(parent, "Folder for the feedback letters",
                                                  start_folder())
        if not folder:
            return
        remember_folder(str(Path(folder) / "letters"))
        by = str(dialog.grouping.currentData())
        _run(parent, title, lambda control: panel_documents.write_feedback_files(
            db, audit_id=audit_id, folder=Path(folder), by=by, pseudonymise=pseudonymise,
            progress=control.progress, cancelled=control.cancelled))
        return
    year = dialog.year.value()
    stem = (f"yearly-report-{year}" if document == "report" else
            f"{_safe_name(dialog.audit_name)}-{document}" if audit_id else document)
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(start_folder()) /
                                                             f"{stem}.docx"), WORD_FILTER)
    if not path:
        return
    remember_folder(path)
    target = Path(path) if path.lower().endswith(".docx") else Path(f"{path}.docx")
    if document == "report":
        _run(parent, title, lambda control: panel_year_report.write_year_report_file(
            db, year=year, path=target, pseudonymise=pseudonymise,
            progress=control.progress, cancelled=control.cancelled))
        return
    assert audit_id is not None
    if document == "minutes":
        meeting_id = dialog.meeting_id()
        _run(parent, title, lambda control: panel_documents.write_minutes_file(
            db, audit_id=audit_id, path=target, pseudonymise=pseudonymise,
            meeting_id=meeting_id, progress=control.progress, cancelled=control.cancelled))
        return
    _run(parent, title, lambda control: panel_documents.write_summary_file(
        db, audit_id=audit_id, path=target, pseudonymise=pseudonymise,
        progress=control.progress, cancelled=control.cancelled))


class PanelDocumentsMenu:
    """The File menu's "Panel documents" submenu; the window says when an audit is open."""

    def __init__(self, window: QWidget, file_menu: QMenu, db: Callable[[], Database],
                 audit_id: Callable[[], int | None]) -> None:
        self.menu = file_menu.addMenu("Panel &documents")
        self.actions: dict[str, QAction] = {}
        for text, keys, name, document in MENU:
            action = QAction(text, window)
            action.setShortcut(QKeySequence(keys))
            action.setObjectName(name)
            action.triggered.connect(lambda _=False, d=document: make_document(
                window, db(), d, audit_id()))
            window.addAction(action)  # the shortcut works wherever the focus is
            self.menu.addAction(action)
            self.actions[document] = action

    def update(self, has_audit: bool) -> None:
        """The audit's documents need an audit; the yearly report does not."""
        for document, action in self.actions.items():
            action.setEnabled(has_audit or document == "report")
