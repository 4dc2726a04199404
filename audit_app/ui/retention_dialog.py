"""File > Retention: the open audit's retention date, closing and reopening it, and purging.

The dialog shows what `services.retention.retention_state` says and calls one service per
button; the rule for when purging is allowed lives in the service, so the reason shown
here is the one the purge itself would give. Each change is a `ChangeOp` (saved off the GUI
thread, after any scores still being saved; the buttons wait meanwhile), which tells every
page what changed. Reading the state stays on the GUI thread: about 1 ms median, 5 ms p95
(benchmarks/gui_thread_reads.py), inside the 16 ms rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.errors import UserError
from audit_app.core.statuses import AuditStatus
from audit_app.services import retention
from audit_app.services.database import Database
from audit_app.services.retention import PurgeResult, RetentionState
from audit_app.ui import settings
from audit_app.ui.errors import report_error, show_user_error
from audit_app.ui.operations import ChangeOp, Changes
from audit_app.ui.tasks import BackgroundTask

NO_DATE = QDate(2000, 1, 1)  # the date field's "blank": shown as a space
PURGED_TEXT = ("This audit's cases, reviews, answers and notes have been deleted. Its aggregate "
               "findings are kept and still reported.")


def describe_status(state: RetentionState) -> str:
    if state.status == AuditStatus.PURGED:
        when = state.purged_at
        if when is None:
            return "Case data purged"
        if when.tzinfo is None:  # SQLite hands back UTC without the zone
            when = when.replace(tzinfo=dt.UTC)
        return f"Case data purged on {when.astimezone():%d %B %Y}"
    if state.status == AuditStatus.CLOSED:
        return "Closed"
    return "Open"


def describe_purge(*, shared_server: bool) -> str:
    """What purging does, in plain words."""
    backup = ("This is a shared server database, which the app cannot back up: check with its "
              "administrator that a backup has been taken first."
              if shared_server else "A backup copy of the whole database is taken first.")
    return ("Purging deletes every case of this audit, with every review, answer and note made "
            "about them. The aggregate findings (compliance per criterion, breakdowns, verdicts, "
            "agreement and actions) are kept, so the audit still reports what it found. "
            f"It cannot be undone. {backup}")


class RetentionDialog(QDialog):
    """Retention for one audit; `changed` fires after anything is saved, closed or purged
    (every page has heard of it by then: the ChangeOp announces it first)."""

    changed = Signal()

    def __init__(self, db: Database, audit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id = audit_id
        self.state: RetentionState | None = None
        self.purge_task: BackgroundTask | None = None
        self.saving = False  # a date, close or reopen on its way to the database
        self.setObjectName("retentionDialog")
        self.setWindowTitle("Retention")
        self.setMinimumWidth(560)

        self.status_label = QLabel()
        self.status_label.setObjectName("retentionStatus")
        self.cases_label = QLabel()
        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName("Keep case data until")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMMM yyyy")
        # With "No date set" ticked the field is blank, not showing a date that means nothing.
        self.date_edit.setMinimumDate(NO_DATE)
        self.date_edit.setSpecialValueText(" ")
        self.last_date = dt.date.today()  # what unticking "No date set" brings back
        self.no_date = QCheckBox("&No date set")
        self.save_date_button = QPushButton("&Save date")
        self.date_edit.dateChanged.connect(self._update_buttons)
        self.no_date.toggled.connect(self._no_date_toggled)
        self.save_date_button.clicked.connect(self.save_date)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.no_date)
        date_row.addWidget(self.save_date_button)
        date_row.addStretch(1)
        keep_label = QLabel("&Keep case data until:")
        keep_label.setBuddy(self.date_edit)
        form = QFormLayout()
        form.addRow("Status:", self.status_label)
        form.addRow("Cases held:", self.cases_label)
        form.addRow(keep_label, date_row)

        self.purge_text = QLabel()
        self.purge_text.setWordWrap(True)
        self.refusal_label = QLabel()
        self.refusal_label.setObjectName("problem")
        self.refusal_label.setWordWrap(True)
        self.close_audit_button = QPushButton("C&lose the audit…")
        self.close_audit_button.clicked.connect(self.close_audit)
        self.reopen_button = QPushButton("&Reopen the audit…")
        self.reopen_button.clicked.connect(self.reopen_audit)
        self.purge_button = QPushButton("&Purge case data now…")
        self.purge_button.clicked.connect(self.purge)
        actions = QHBoxLayout()
        actions.addWidget(self.close_audit_button)
        actions.addWidget(self.reopen_button)
        actions.addWidget(self.purge_button)
        actions.addStretch(1)
        purge_box = QGroupBox("Closing and purging")
        purge_layout = QVBoxLayout(purge_box)
        purge_layout.addWidget(self.purge_text)
        purge_layout.addWidget(self.refusal_label)
        purge_layout.addLayout(actions)

        # "Done", not "Close": the dialog already has a button that closes the audit.
        buttons = QDialogButtonBox()
        buttons.addButton("Done", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(purge_box)
        layout.addWidget(buttons)
        self.reload()

    # --- showing the state ----------------------------------------------------------

    def reload(self) -> RetentionState | None:
        try:
            self.state = retention.retention_state(self.db, audit_id=self.audit_id)
        except UserError as error:
            show_user_error(self, error)
            return None
        state = self.state
        self.setWindowTitle(f"Retention – {state.audit_name}")
        self.status_label.setText(describe_status(state))
        self.cases_label.setText(f"{state.case_count:,} case{'' if state.case_count == 1 else 's'}")
        for widget in (self.date_edit, self.no_date):
            widget.blockSignals(True)
        self.no_date.setChecked(state.retain_until is None)
        self.last_date = state.retain_until or dt.date.today()
        self.date_edit.setDate(NO_DATE if state.retain_until is None else _qdate(self.last_date))
        for widget in (self.date_edit, self.no_date):
            widget.blockSignals(False)
        purged = state.status == AuditStatus.PURGED
        self.purge_text.setText(PURGED_TEXT if purged else
                                describe_purge(shared_server=not self.db.is_sqlite))
        # Once purged the status line says it all; before that, say what purging waits for.
        waiting = None if purged else state.purge_refusal
        self.refusal_label.setText(f"{waiting}." if waiting else "")
        self.refusal_label.setVisible(waiting is not None)
        self._update_buttons()
        return state

    def chosen_date(self) -> dt.date | None:
        if self.no_date.isChecked():
            return None
        chosen = self.date_edit.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def _no_date_toggled(self, no_date: bool) -> None:
        self.date_edit.blockSignals(True)
        if no_date:
            chosen = self.date_edit.date()
            if chosen != NO_DATE:
                self.last_date = dt.date(chosen.year(), chosen.month(), chosen.day())
            self.date_edit.setDate(NO_DATE)
        else:
            self.date_edit.setDate(_qdate(self.last_date))
        self.date_edit.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        state = self.state
        live = (state is not None and state.status != AuditStatus.PURGED
                and self.purge_task is None and not self.saving)
        self.date_edit.setEnabled(live and not self.no_date.isChecked())
        self.no_date.setEnabled(live)
        self.save_date_button.setEnabled(
            live and state is not None and self.chosen_date() != state.retain_until)
        self.close_audit_button.setEnabled(live and state is not None and state.status == AuditStatus.OPEN)
        self.reopen_button.setEnabled(live and state is not None and state.status == AuditStatus.CLOSED)
        self.purge_button.setEnabled(state is not None and state.can_purge
                                     and self.purge_task is None and not self.saving)

    # --- actions --------------------------------------------------------------------

    def save_date(self) -> None:
        db, audit_id, chosen = self.db, self.audit_id, self.chosen_date()
        self._apply(lambda: retention.set_retention(db, audit_id=audit_id, retain_until=chosen))

    def close_audit(self) -> None:
        state = self.state
        if state is None:
            return
        answer = QMessageBox.question(
            self, "Close the audit",
            f"Close “{state.audit_name}”?\n\nA closed audit is read-only: its cases, sample, "
            "scores and agreed answers can be read and exported but not changed, and no new "
            "extract can be imported. Actions can still be followed up.\n\nThe chair can reopen "
            "it here until its case data is purged after the retention date.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            db, audit_id = self.db, self.audit_id
            self._apply(lambda: retention.close_audit(db, audit_id=audit_id))

    def reopen_audit(self) -> None:
        state = self.state
        if state is None:
            return
        answer = QMessageBox.question(
            self, "Reopen the audit",
            f"Reopen “{state.audit_name}”?\n\nMembers can score again, the chair can moderate, "
            "and the sample and population can change. Close it again when the panel has "
            "finished.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            db, audit_id = self.db, self.audit_id
            self._apply(lambda: retention.reopen_audit(db, audit_id=audit_id))

    def _apply(self, change: Callable[[], object]) -> None:
        """Saved in the background; the buttons wait until it has landed."""
        self.saving = True
        self._update_buttons()
        ChangeOp(self, lambda _control: change(), self._changes()).success(
            lambda _result: self._applied()).failure(self._not_applied).run()

    def _changes(self) -> Changes:
        return Changes(audit_id=self.audit_id, audits=True, cases=True)

    def _applied(self) -> None:
        self.saving = False
        self.reload()
        self.changed.emit()

    def _not_applied(self, error: BaseException) -> None:
        self.saving = False
        report_error(self, error)  # plain words for a UserError
        self.reload()

    def purge(self) -> BackgroundTask | None:
        """Confirm, then back up and purge off the GUI thread."""
        state = self.reload()  # someone else may have changed it while the dialog was open
        if state is None or not state.can_purge:
            return None
        backup_line = ("A backup copy of the database is taken first." if self.db.is_sqlite else
                       "The app cannot back up a shared server database: make sure its "
                       "administrator has taken a backup.")
        answer = QMessageBox.question(
            self, "Purge case data",
            f"Delete all {state.case_count:,} cases of “{state.audit_name}”, with every review, "
            f"answer and note about them?\n\nThe aggregate findings are kept. This cannot be "
            f"undone. {backup_line}\n\nPurge the case data now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        db, audit_id = self.db, self.audit_id
        keep = max(1, settings.BACKUPS_KEPT.read())

        # The service backs up first and is the one place that rule lives.
        self.purge_task = ChangeOp(self, lambda control: retention.purge_audit(
            db, audit_id=audit_id, keep_backups=keep, cancelled=control.cancelled),
            self._changes()).success(self._purged).failure(self._purge_failed).with_progress(
            "Purge case data", "Backing up, then deleting the case data…").run()
        self._update_buttons()
        return self.purge_task

    def _purged(self, result: PurgeResult) -> None:
        self.purge_task = None
        self.reload()
        self.changed.emit()  # every page has heard already (the ChangeOp announced it)
        where = (f"\n\nThe backup taken just before is {result.backup}; File > Restore from "
                 "backup can bring it back." if result.backup is not None else "")
        QMessageBox.information(self, "Case data purged",
                                f"Deleted {result.cases_deleted:,} cases. The aggregate findings "
                                f"are kept.{where}")

    def _purge_failed(self, error: BaseException) -> None:
        self.purge_task = None  # the purge is one transaction: nothing was deleted
        self.reload()
        report_error(self, error)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)
