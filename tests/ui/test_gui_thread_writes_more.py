"""New audit, the framework editor's save, import and export, a restore from backup, the
review page's case list and the audits list run their service off the GUI thread; the
screen shows the result or the plain refusal.

Each service is wrapped by a hook that notes the thread it runs on and then calls the
real service on the real SQLite file.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from audit_app.services import audits, backups, sampling, scoring
from audit_app.services.audits import list_audits
from audit_app.services.backups import BackupFile
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.records import AuditSummary
from audit_app.ui import framework_editor, settings
from audit_app.ui.audit_list import NewAuditDialog
from audit_app.ui.framework_editor import FrameworkEditorDialog
from audit_app.ui.main_window import MainWindow
from audit_app.ui.restore_dialog import RESTORING, WHAT_HAPPENS, RestoreDialog
from audit_app.ui.review.review_page import ReviewPage
from tests.helpers.review_page import REVIEWER, wait_for_case


class ThreadNotes:
    """Wraps a service: each call notes its thread, then the real service runs."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def hook(self, service: Callable[..., Any]) -> Callable[..., Any]:
        def noted(*args: Any, **kwargs: Any) -> Any:
            self.threads.append(threading.current_thread())
            return service(*args, **kwargs)
        return noted

    def all_off_the_gui_thread(self, calls: int) -> bool:
        return (len(self.threads) == calls
                and threading.main_thread() not in self.threads)


@pytest.fixture
def notes() -> ThreadNotes:
    return ThreadNotes()


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each warning box said (the box itself would wait for a click)."""
    texts: list[str] = []

    def shown(box: QMessageBox) -> int:
        texts.append(box.text())
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", shown)
    return texts


def _new_audit(qtbot: QtBot, db: Database) -> tuple[NewAuditDialog, Any]:
    dialog = NewAuditDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_new_audit_is_created_off_the_gui_thread_with_the_dialog_waiting(
        qtbot: QtBot, sqlite_db: Database, notes: ThreadNotes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audits, "create_audit", notes.hook(audits.create_audit))
    dialog, ok = _new_audit(qtbot, sqlite_db)
    qtbot.keyClicks(dialog.name_edit, "DA NFA review Q4 2026")
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dialog.creating and dialog.isVisible(), "the click returned before the audit"
        assert ok.text() == "Creating…" and not ok.isEnabled()
        assert not dialog.name_edit.isEnabled()
    assert notes.all_off_the_gui_thread(1)
    assert dialog.created is not None and not dialog.isVisible()
    assert [a.name for a in list_audits(sqlite_db)] == ["DA NFA review Q4 2026"]


def test_a_refused_new_audit_is_said_in_the_dialog_which_stays_open(
        qtbot: QtBot, sqlite_db: Database, notes: ThreadNotes, said: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audits, "create_audit", notes.hook(audits.create_audit))
    dialog, ok = _new_audit(qtbot, sqlite_db)
    qtbot.keyClicks(dialog.name_edit, "Q4")
    dialog.framework_combo.setItemData(0, "no-such-framework@1")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.creating, timeout=30_000)
    assert notes.all_off_the_gui_thread(1)
    assert len(said) == 1 and "_" not in said[0].replace("no-such-framework", "")
    assert dialog.isVisible() and dialog.created is None
    assert ok.isEnabled() and ok.text() == "Create audit"
    assert list_audits(sqlite_db) == []


def _editor(qtbot: QtBot, db: Database) -> FrameworkEditorDialog:
    dialog = FrameworkEditorDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_framework_save_runs_off_the_gui_thread(
        qtbot: QtBot, sqlite_db: Database, notes: ThreadNotes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(framework_editor, "save_framework",
                        notes.hook(framework_editor.save_framework))
    dialog = _editor(qtbot, sqlite_db)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("da-nfa-review@3"))
    qtbot.mouseClick(dialog.version_button, Qt.MouseButton.LeftButton)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(dialog.saved, timeout=30_000):
        dialog.save()
        assert dialog.busy and dialog.status.text() == "Saving…" and not save.isEnabled()
        assert not dialog.import_button.isEnabled() and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert notes.all_off_the_gui_thread(1)
    assert dialog.status.text().startswith("Saved ")
    assert dialog.chooser.currentData() == "da-nfa-review@4"
    assert get_framework(sqlite_db, "da-nfa-review@4").version == 4


def test_framework_export_and_import_run_off_the_gui_thread(
        qtbot: QtBot, sqlite_db: Database, notes: ThreadNotes, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("export_framework", "import_framework"):
        monkeypatch.setattr(framework_editor, name, notes.hook(getattr(framework_editor, name)))
    dialog = _editor(qtbot, sqlite_db)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("evidence-led-review@1"))
    target = tmp_path / "elp.yaml"
    dialog.export_to(target)
    assert dialog.busy and dialog.status.text() == "Exporting…"
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.status.text() == f"Exported to {target}." and target.is_file()
    target.write_text(target.read_text(encoding="utf-8").replace("version: 1", "version: 5", 1),
                      encoding="utf-8")
    dialog.import_from(target)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.status.text().startswith("Imported ")
    assert dialog.chooser.currentData() == "evidence-led-review@5"
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed", encoding="utf-8")
    dialog.import_from(broken)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.status.text().startswith("Not imported: ")
    assert dialog.import_button.isEnabled() and dialog.export_button.isEnabled()
    assert notes.all_off_the_gui_thread(3)


def test_restore_runs_off_the_gui_thread_and_cannot_be_walked_away_from(
        qtbot: QtBot, sqlite_db: Database, notes: ThreadNotes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "restore_backup", notes.hook(backups.restore_backup))
    audits.create_audit(sqlite_db, name="Before", framework="da-nfa-review")
    kept = backups.take_backup(sqlite_db)
    audits.create_audit(sqlite_db, name="After", framework="da-nfa-review")
    database = sqlite_db.file_path
    assert database is not None
    dialog = RestoreDialog(sqlite_db, [kept])
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.restore_button.click()
        assert dialog.restoring and dialog.what_happens.text() == RESTORING
        assert not dialog.restore_button.isEnabled() and dialog.restore_button.text() == "Restoring…"
        dialog.reject()  # Escape while it runs: the dialog stays
        assert dialog.isVisible()
    assert notes.all_off_the_gui_thread(1)
    assert dialog.restored is not None and not dialog.isVisible()
    reopened = open_database(database, install_frameworks=False)
    try:
        assert [a.name for a in list_audits(reopened)] == ["Before"]
    finally:
        reopened.close()


def test_a_refused_restore_says_why_and_changes_nothing(
        qtbot: QtBot, sqlite_db: Database, notes: ThreadNotes, said: list[str],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "restore_backup", notes.hook(backups.restore_backup))
    audits.create_audit(sqlite_db, name="Still here", framework="da-nfa-review")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    dialog = RestoreDialog(sqlite_db, [BackupFile(damaged, dt.datetime.now(dt.UTC), 2100)])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: not dialog.restoring, timeout=30_000)
    assert notes.all_off_the_gui_thread(1)
    assert said == ["damaged.sqlite3 is not a database backup, or it is damaged"]
    assert dialog.isVisible() and dialog.restored is None
    assert dialog.restore_button.isEnabled() and dialog.what_happens.text() == WHAT_HAPPENS
    assert [a.name for a in list_audits(sqlite_db)] == ["Still here"]


def test_the_review_page_reads_its_case_list_off_the_gui_thread(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, notes: ThreadNotes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample and everyone's progress: over 16 ms at p95 (docs/performance.md)."""
    monkeypatch.setattr(scoring, "review_progress", notes.hook(scoring.review_progress))
    page = ReviewPage(scored_db)
    qtbot.addWidget(page)
    page.set_reviewer(REVIEWER)
    page.set_audit(scored_audit.id)
    assert page.cases_loading and page.case_model.entries == []
    wait_for_case(qtbot, page)
    in_sample = [r.case.id for r in sampling.get_sample(scored_db, audit_id=scored_audit.id)
                 if r.status != "replaced"]
    assert [e.case_id for e in page.case_model.entries] == in_sample
    assert page.case_id == in_sample[0]
    page.select_case(in_sample[3])
    wait_for_case(qtbot, page)
    page.refresh()  # F5: the list is read again; the open case stays open meanwhile
    assert page.cases_loading and page.case_id == in_sample[3]
    wait_for_case(qtbot, page)
    assert page.case_id == in_sample[3] and page.case_list.currentIndex().row() == 3
    assert notes.all_off_the_gui_thread(2)  # set_reviewer had no audit yet: nothing read


def test_the_audits_list_is_read_off_the_gui_thread_once_the_window_is_painted(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, notes: ThreadNotes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audits, "list_audits", notes.hook(audits.list_audits))
    settings.BACKUP_ON_OPEN.write(False)
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()  # painted: from now on nothing is read on the GUI thread
    window.attach_database(scored_db)
    assert window.audit_list.refreshing and window.audit_id is None
    qtbot.waitUntil(lambda: window.audit_id == scored_audit.id)  # the last audit reopened
    dialog = window.new_audit()
    qtbot.keyClicks(dialog.name_edit, "Second audit")
    dialog.accept()
    qtbot.waitUntil(lambda: window.audit_list.list_widget.count() == 2
                    and window.audit_id != scored_audit.id, timeout=30_000)
    assert window.audit_list.list_widget.currentItem().text().startswith("Second audit")
    assert len(notes.threads) >= 2 and threading.main_thread() not in notes.threads
    window.close()
