"""File > Restore from backup: the backups listed with plain dates and sizes, and a real
restore of one made with services.backups."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from audit_app.services import backups
from audit_app.services.audits import create_audit, list_audits
from audit_app.services.database import Database, open_database
from audit_app.ui import restore_dialog
from audit_app.ui.main_window import MainWindow
from audit_app.ui.restore_dialog import WHAT_HAPPENS, plain_date, plain_size


def test_dates_and_sizes_read_plainly() -> None:
    assert plain_date(dt.datetime(2026, 11, 30, 14, 5).astimezone()) == "30 November 2026, 14:05"
    assert plain_date(dt.datetime(2026, 3, 2, 9, 7).astimezone()) == "2 March 2026, 09:07"
    assert plain_size(int(2.4 * 1024 * 1024)) == "2.4 MB"
    assert plain_size(880 * 1024) == "880 KB"
    assert plain_size(512) == "512 bytes"


def test_restore_lists_backups_and_brings_one_back(qtbot: QtBot, sqlite_db: Database,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Path] = []
    monkeypatch.setattr(restore_dialog, "start_again", started.append)  # no second app
    create_audit(sqlite_db, name="Before the mistake", framework="da-nfa-review")
    kept = backups.take_backup(sqlite_db)
    create_audit(sqlite_db, name="After the mistake", framework="da-nfa-review")
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    QThreadPool.globalInstance().waitForDone()  # the backup taken as an audit opens
    found = backups.list_backups()
    dialog = window.restore_backup()
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.rowCount() == len(found) >= 1
    for row, backup in enumerate(found):
        assert dialog.table.item(row, 0).text() == plain_date(backup.taken_at)
        assert re.fullmatch(r"\d+ [A-Z][a-z]+ \d{4}, \d\d:\d\d", dialog.table.item(row, 0).text())
        assert re.fullmatch(r"[\d,.]+ (KB|MB|bytes)", dialog.table.item(row, 1).text())
    assert WHAT_HAPPENS in " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert dialog.restore_button.isDefault()
    dialog.table.selectRow(next(i for i, b in enumerate(found) if b.path == kept.path))
    database = sqlite_db.file_path
    assert database is not None
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: not dialog.restoring, timeout=30_000)  # restored off the GUI thread
    assert not dialog.isVisible() and dialog.restored is not None
    assert started == [database] and not window.isVisible()
    reopened = open_database(database, install_frameworks=False)
    try:
        assert [a.name for a in list_audits(reopened)] == ["Before the mistake"]
    finally:
        reopened.close()
    safety = open_database(dialog.restored.path, install_frameworks=False)
    try:  # the database as it was is kept, so the restore can itself be undone
        assert {a.name for a in list_audits(safety)} == {"Before the mistake",
                                                         "After the mistake"}
    finally:
        safety.close()


def test_cancel_changes_nothing(qtbot: QtBot, sqlite_db: Database) -> None:
    create_audit(sqlite_db, name="Kept", framework="da-nfa-review")
    backups.take_backup(sqlite_db)
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    QThreadPool.globalInstance().waitForDone()
    count = len(backups.list_backups())
    dialog = window.restore_backup()
    assert dialog is not None
    dialog.reject()
    assert len(backups.list_backups()) == count and window.isVisible()
    assert [a.name for a in list_audits(sqlite_db)] == ["Kept"]


def test_restart_command_starts_the_app_on_the_same_file(tmp_path: Path) -> None:
    program, arguments = restore_dialog.restart_command(tmp_path / "audit.sqlite3")
    assert Path(program).exists()
    assert arguments[-3:] == ["gui", "--db", str(tmp_path / "audit.sqlite3")]
