"""File > Restore from backup: the backups with their dates and sizes, and what will happen.

The restore itself is `services.backups.restore_backup`, which backs the current database
up first; the app then starts again on the restored copy.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.errors import UserError
from audit_app.services import backups
from audit_app.services.backups import BackupFile
from audit_app.services.database import Database
from audit_app.ui.errors import report_error, show_user_error
from audit_app.ui.operations import ChangeOp, Changes

WHAT_HAPPENS = ("The current database is kept as a backup first, so nothing is lost; the app "
                "then reopens on the restored copy. Anything done since the chosen backup was "
                "taken will not be in the restored copy.")
RESTORING = ("Restoring the backup… A large database can take a minute. The app reopens on "
             "the restored copy when it is done.")


def plain_date(when: dt.datetime) -> str:
    """"30 November 2026, 14:05" in local time."""
    local = when.astimezone()
    return f"{local.day} {local:%B %Y, %H:%M}"


def plain_size(size_bytes: int) -> str:
    """"2.4 MB", "880 KB", "512 bytes"."""
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:,.0f} KB"
    return f"{size_bytes / (1024 * 1024):,.1f} MB"


class RestoreDialog(QDialog):
    """Lists the backups (newest first); Restore replaces the database with the chosen one.

    `restored` holds the safety backup taken of the database as it was, once restored."""

    def __init__(self, db: Database, found: list[BackupFile],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.found = found
        self.restored: BackupFile | None = None
        self._restoring = False
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Restore from backup")
        self.setMinimumWidth(520)
        intro = QLabel("Choose the backup to go back to. Backups are taken each time an audit "
                       "is opened, and before a purge." if found else
                       "There are no backups yet. A backup is taken each time an audit is "
                       "opened.")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(found), 2)
        self.table.setObjectName("backupTable")
        self.table.setAccessibleName("Backups, newest first")
        self.table.setHorizontalHeaderLabels(["Taken", "Size"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, backup in enumerate(found):
            taken = QTableWidgetItem(plain_date(backup.taken_at))
            taken.setToolTip(str(backup.path))
            size = QTableWidgetItem(plain_size(backup.size_bytes))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, taken)
            self.table.setItem(row, 1, size)
        self.table.setVisible(bool(found))
        self.table.itemDoubleClicked.connect(lambda _item: self.accept())
        self.what_happens = QLabel(WHAT_HAPPENS)
        self.what_happens.setWordWrap(True)
        self.what_happens.setVisible(bool(found))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("&Restore",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setVisible(bool(found))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.what_happens)
        layout.addWidget(self.buttons)
        # Enter restores: set once the button is in the dialog, or the dialog picks Cancel.
        self.restore_button.setDefault(bool(found))
        if found:
            self.table.selectRow(0)
            self.table.setFocus()

    def chosen(self) -> BackupFile | None:
        row = self.table.currentRow()
        return self.found[row] if 0 <= row < len(self.found) else None

    @property
    def restoring(self) -> bool:
        """True while the chosen backup is being copied back, off the GUI thread."""
        return self._restoring

    def accept(self) -> None:
        """Restore the chosen backup in the background: the dialog stays open, saying so,
        until it is done; on a refusal it says why and stays open."""
        chosen = self.chosen()
        if chosen is None or self.restoring:
            return
        db = self.db
        self._set_restoring(True)
        # Nothing to announce: the window starts again on the restored copy once it lands.
        ChangeOp(self, lambda _: backups.restore_backup(db, backup=chosen.path), Changes()
                 ).success(self._restored).failure(self._refused).run()

    def reject(self) -> None:
        if not self.restoring:  # a restore half done cannot be walked away from
            super().reject()

    def _set_restoring(self, restoring: bool) -> None:
        self._restoring = restoring
        self.restore_button.setText("Restoring…" if restoring else "&Restore")
        for widget in (self.restore_button, self.table,
                       self.buttons.button(QDialogButtonBox.StandardButton.Cancel)):
            widget.setEnabled(not restoring)
        self.what_happens.setText(RESTORING if restoring else WHAT_HAPPENS)

    def _restored(self, safety: BackupFile) -> None:
        self.restored = safety
        self._set_restoring(False)
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self._set_restoring(False)
        report_error(self, error)  # plain words for a UserError


def open_restore_dialog(parent: QWidget, db: Database) -> RestoreDialog | None:
    """The dialog, opened window-modal; None for a shared server database."""
    if not db.is_sqlite:
        show_user_error(parent, UserError("A shared server database is restored by its "
                                          "administrator, not from the app."))
        return None
    try:
        found = backups.list_backups()
    except UserError as error:
        show_user_error(parent, error)
        return None
    dialog = RestoreDialog(db, found, parent)
    dialog.open()
    return dialog


def restart_command(database: Path) -> tuple[str, list[str]]:
    """The program and arguments that start the app again on `database`."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["gui", "--db", str(database)]
    return sys.executable, ["-m", "audit_app", "gui", "--db", str(database)]


def start_again(database: Path) -> bool:
    """Start a new copy of the app on `database` (this one then closes)."""
    program, arguments = restart_command(database)
    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)
