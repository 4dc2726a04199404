"""A panel on many laptops, in the desktop app: review packages, conflicts, backups, presence.

Each action gathers a file name or a choice, calls one service and says plainly what
happened; the rules (merging, checksums, rotation) live in the services.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.errors import UserError
from audit_app.services import backups, package_keys, packages, presence
from audit_app.services.audits import audit_standing
from audit_app.services.database import UNNAMED_MEMBER, Database
from audit_app.ui import settings
from audit_app.ui.errors import log_unexpected, show_user_error
from audit_app.ui.exports import remember_folder, start_folder
from audit_app.ui.operations import ChangeOp, Changes, QueryOp, TaskControl
from audit_app.ui.passphrase_dialog import ask_passphrase
from audit_app.ui.tasks import BackgroundTask

PACKAGE_FILTER = "Review package (*.cfapkg)"
HEARTBEAT_MS = 60_000


def export_package(parent: QWidget, db: Database, audit_id: int, reviewer: str) -> None:
    """Ask which member, where and the passphrase, then seal their package off the GUI
    thread (deriving the key takes a moment on purpose)."""
    name, ok = QInputDialog.getText(parent, "Review package",
                                    "Which panel member is the package for?", text=reviewer)
    if not ok or not name.strip():
        return
    suggested = str(Path(start_folder()) / f"{'-'.join(name.split())}.cfapkg")
    path, _ = QFileDialog.getSaveFileName(parent, "Save review package", suggested,
                                          PACKAGE_FILTER)
    if not path:
        return
    remember_folder(path)
    try:
        first = not package_keys.has_package_passphrase(db, audit_id=audit_id)
    except UserError as error:
        show_user_error(parent, error)
        return
    purpose = (f"Set this audit's package passphrase. It seals the package for {name}."
               if first else f"The audit's package passphrase, to seal the package for {name}.")
    passphrase = ask_passphrase(parent, new=first, purpose=purpose)
    if passphrase is None:
        return

    def saved(made: packages.PackageSummary) -> None:
        route = (f"\n\nThe passphrase you set is now this audit's package passphrase. Give "
                 f"it to {made.reviewer} by another route, such as a phone call, never with "
                 "the package." if first else "")
        QMessageBox.information(
            parent, "Review package saved",
            f"Saved {made.path.name}: {made.cases} cases and {made.answers} existing answers "
            f"for {made.reviewer}, sealed with the passphrase. Personal names are not "
            "included.\n\nThe member opens it with File > Open review package, scores, and "
            f"sends back the package they export.{route}")

    # Writes a file, not the audit's records: a query with progress, as Anki's QueryOp allows.
    QueryOp(parent, lambda _control: packages.export_package(
        db, audit_id=audit_id, reviewer=name, path=Path(path), passphrase=passphrase),
        saved).with_progress("Review package", "Sealing the package…").run()


def open_package(parent: QWidget, db: Database, *, on_done: Callable[[int], None]) -> None:
    """On a member's laptop: open the chair's package as a working copy of the audit;
    `on_done(audit_id)` goes to it (navigation: the pages redraw from `changed`)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Open review package", start_folder(),
                                          PACKAGE_FILTER)
    if not path:
        return
    remember_folder(path)
    passphrase = ask_passphrase(parent, new=False, purpose=f"Type the passphrase the chair "
                                f"gave you to open {Path(path).name}.")
    if passphrase is None:
        return
    ChangeOp(parent, lambda _control: packages.open_package(db, path=Path(path),
                                                           passphrase=passphrase),
             lambda audit: Changes(audit_id=audit.id, audits=True, cases=True)).success(
        lambda audit: on_done(audit.id)).with_progress(
        "Open review package", "Opening the package…").run()


def import_package(parent: QWidget, db: Database) -> None:
    """On the chair's database: merge a member's package, then show any conflicts."""
    path, _ = QFileDialog.getOpenFileName(parent, "Import a member's review package", start_folder(),
                                          PACKAGE_FILTER)
    if not path:
        return
    remember_folder(path)
    passphrase = ask_passphrase(parent, new=False, purpose=f"Type the audit's package "
                                f"passphrase to import {Path(path).name}.")
    if passphrase is None:
        return

    def merged_in(merged: packages.MergeResult) -> None:
        if merged.already_imported:
            QMessageBox.information(parent, "Already imported",
                                    f"{Path(path).name} was imported before; nothing changed.")
            return
        QMessageBox.information(
            parent, "Package merged",
            f"{merged.reviewer}: {merged.applied} changes applied, {merged.unchanged} unchanged, "
            f"{merged.conflicts} conflicts to decide.")
        if merged.conflicts:
            ConflictsDialog(db, merged.audit_id, parent).open()

    ChangeOp(parent, lambda _control: packages.import_package(db, path=Path(path),
                                                             passphrase=passphrase),
             lambda merged: Changes(audit_id=merged.audit_id, answers=True, verdicts=True)
             ).success(merged_in).with_progress(
        "Import review package", "Checking and merging the package…").run()


def change_package_passphrase(parent: QWidget, db: Database, audit_id: int, actor: str) -> None:
    """Set or change the audit's package passphrase (the chair's choice, logged, never kept)."""
    try:
        already_set = package_keys.has_package_passphrase(db, audit_id=audit_id)
    except UserError as error:
        show_user_error(parent, error)
        return
    purpose = ("Choose a new package passphrase for this audit. Packages already sent out "
               "still open with the old one." if already_set else
               "Set this audit's package passphrase. It seals every review package you make.")
    passphrase = ask_passphrase(parent, new=True, purpose=purpose)
    if passphrase is None:
        return

    def stored(_changed: bool) -> None:
        QMessageBox.information(
            parent, "Package passphrase",
            ("The package passphrase was changed." if already_set else
             "The package passphrase is set.") + " Give it to panel members by another "
            "route, such as a phone call, never with a package. The app keeps only a check "
            "of it, so it cannot show it to you again.")

    # No screen shows the passphrase: Changes names the audit and no kind of record.
    ChangeOp(parent, lambda _control: package_keys.set_package_passphrase(
        db, audit_id=audit_id, passphrase=passphrase, actor=actor or None),
        Changes(audit_id=audit_id)).success(stored).with_progress(
        "Package passphrase", "Storing a check of the passphrase…").run()


NO_CONFLICTS = ("There are no conflicts to settle: every member's package merged without "
                "overwriting anything.")
CONFLICTS_INTRO = ("Both this database and a member's package changed these answers. "
                   "Nothing was overwritten: choose which to keep for each.")


class ConflictsDialog(QDialog):
    """Answers both the master and a member's package changed: the chair keeps one."""

    def __init__(self, db: Database, audit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id = audit_id
        self.setWindowTitle("Merge conflicts")
        self.resize(900, 420)
        self.intro = intro = QLabel(CONFLICTS_INTRO)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move in the table
        self.table.setHorizontalHeaderLabels(["Case", "Member", "Item", "In this database",
                                              "In the package"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Merge conflicts")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.keep_master = QPushButton("Keep &this database's value")
        self.keep_package = QPushButton("Take the &package's value")
        self.keep_master.clicked.connect(lambda: self.resolve("master"))
        self.keep_package.clicked.connect(lambda: self.resolve("package"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_master)
        buttons.addWidget(self.keep_package)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.reload()
        if not self.rows:  # a sentence and Close: a small dialog, not a wide empty one
            intro.setMinimumWidth(intro.fontMetrics().averageCharWidth() * 60)
            self.adjustSize()

    def reload(self) -> None:
        self.rows = packages.list_conflicts(self.db, audit_id=self.audit_id)
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            cells = [row.case_reference, row.reviewer, packages.item_label(row.item),
                     packages.describe_item(row.master), packages.describe_item(row.package)]
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        # A closed audit's answers are final: its conflicts can be read, not settled.
        refusal = audit_standing(self.db, audit_id=self.audit_id).refusal(packages.NO_RESOLVING)
        self.intro.setText(refusal or (CONFLICTS_INTRO if self.rows else NO_CONFLICTS))
        self.table.setVisible(bool(self.rows))
        has_rows = bool(self.rows) and refusal is None
        self.keep_master.setEnabled(has_rows)
        self.keep_package.setEnabled(has_rows)
        # Nothing to settle: no buttons that could do nothing.
        self.keep_master.setVisible(bool(self.rows))
        self.keep_package.setVisible(bool(self.rows))
        if has_rows:
            self.table.selectRow(0)

    def resolve(self, keep: str) -> None:
        index = self.table.currentRow()
        if not 0 <= index < len(self.rows):
            return
        chair = settings.REVIEWER_NAME.read() or "Chair"
        conflict_id = self.rows[index].id
        self.keep_master.setEnabled(False)  # one decision at a time
        self.keep_package.setEnabled(False)
        ChangeOp(self, lambda _control: packages.resolve_conflict(
            self.db, conflict_id=conflict_id, keep=keep, chair=chair),
            Changes(audit_id=self.audit_id, answers=True, verdicts=True)).success(
            lambda _result: self.reload()).failure(self._not_resolved).run()

    def _not_resolved(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            show_user_error(self, error)
        else:
            log_unexpected(type(error), error, error.__traceback__)
        self.reload()



# --- backups ----------------------------------------------------------------------------

def backup_on_open(db: Database) -> BackgroundTask | None:
    """The automatic backup when an audit is opened: SQLite only, off the GUI thread.

    A backup that cannot be written must not stop the panel working, so a failure is
    left in the error log rather than put in front of the user.
    """
    if not db.is_sqlite or not settings.BACKUP_ON_OPEN.read():
        return None
    keep = max(1, settings.BACKUPS_KEPT.read())

    def failed(error: BaseException) -> None:
        log_unexpected(type(error), error, error.__traceback__)

    return QueryOp(None, lambda _control: backups.take_backup(db, keep=keep),
                   lambda _path: None).failure(failed).run()


class BackupSettingsDialog(QDialog):
    """Whether to back up when an audit is opened, and how many copies to keep."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self.on_open = QCheckBox("Back up the database each time an audit is opened")
        self.on_open.setChecked(settings.BACKUP_ON_OPEN.read())
        self.kept = QSpinBox()
        self.kept.setAccessibleName("Backups to keep")
        self.kept.setRange(1, 100)
        self.kept.setValue(max(1, settings.BACKUPS_KEPT.read()))
        self.kept.setSuffix(" newest copies")
        where = QLabel(f"Backups are kept in {backups.backup_dir()}")
        where.setWordWrap(True)
        where.setObjectName("hint")
        form = QFormLayout()
        form.addRow(self.on_open)
        form.addRow("&Keep:", self.kept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(where)
        layout.addWidget(buttons)

    def accept(self) -> None:
        settings.BACKUP_ON_OPEN.write(self.on_open.isChecked())
        settings.BACKUPS_KEPT.write(self.kept.value())
        super().accept()


# --- presence ---------------------------------------------------------------------------

class PresenceLabel(QLabel):
    """Status-bar note of who else has the audit open (shared server databases only)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.user = ""
        self.setObjectName("presenceLabel")
        self.timer = QTimer(self)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self.beat)
        self.setVisible(False)

    def watch(self, audit_id: int | None, user: str) -> None:
        if self.audit_id is not None and self.user:
            self._leave()
        self.audit_id, self.user = audit_id, user or UNNAMED_MEMBER
        if self.db.is_sqlite or audit_id is None:
            self.timer.stop()
            self.setVisible(False)
            return
        self.timer.start()
        self.beat()

    def beat(self) -> None:
        """Off the GUI thread: a shared server may be slow or unreachable."""
        if self.audit_id is None:
            return
        db, audit_id, user = self.db, self.audit_id, self.user

        def beat_and_look(_control: TaskControl) -> list[str]:
            presence.heartbeat(db, audit_id=audit_id, user=user)
            return sorted({o.user for o in presence.others_working(db, audit_id=audit_id,
                                                                   user=user)})

        QueryOp(self, beat_and_look, self._show_others).failure(self._unreachable).run()

    def _show_others(self, others: list[str]) -> None:
        names = ", ".join(others)
        self.setText(f"Also working on this audit: {names}" if names else "")
        self.setVisible(bool(names))

    def _unreachable(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            log_unexpected(type(error), error, error.__traceback__)
        self.setText("Server not reachable")
        self.setVisible(True)

    def _leave(self) -> None:
        if self.db.is_sqlite or self.audit_id is None:
            return
        with contextlib.suppress(UserError):  # leaving is a courtesy; the entry fades anyway
            presence.leave(self.db, audit_id=self.audit_id, user=self.user)

    def stop(self) -> None:
        self.timer.stop()
        self._leave()
