"""File > Retention: setting the date, closing, and purging case data from the window."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from audit_app.services import audits, backups, retention
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.main_window import MainWindow
from audit_app.ui.retention_dialog import RetentionDialog

Yes, Cancel = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel
PAST, FUTURE = dt.date(2020, 1, 31), dt.date.today() + dt.timedelta(days=400)


class Questions:
    """Stands in for the user at QMessageBox.question: records each question, gives `reply`."""

    def __init__(self) -> None:
        self.reply = Yes
        self.asked: list[tuple[str, Any]] = []

    def __call__(self, _parent: object, _title: str, text: str, _buttons: object = None,
                 default: object = None) -> QMessageBox.StandardButton:
        self.asked.append((text, default))
        return self.reply


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    answering = Questions()
    monkeypatch.setattr(QMessageBox, "question", answering)
    return answering


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Information boxes and error boxes record their text instead of waiting for a click."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, _title, text, *a, **k: said.append(text))

    def record_box(box: QMessageBox) -> int:
        said.append(box.text())
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", record_box)
    return said


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    settings.BACKUP_ON_OPEN.write(False)  # so the only backup is the one taken before a purge
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def _dialog(qtbot: QtBot, window: MainWindow) -> RetentionDialog:
    window.retention_action.trigger()
    dialog = window.findChild(RetentionDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    return dialog


def _choose_date(dialog: RetentionDialog, day: dt.date) -> None:
    dialog.no_date.setChecked(False)
    dialog.date_edit.setDate(day)
    dialog.save_date_button.click()


def _cases_in_backup(path: Path, audit_id: int) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM case_file WHERE audit_id = ?",
                                      (audit_id,)).fetchone()[0])
    finally:
        connection.close()


def test_menu_action_is_enabled_only_with_an_audit_open(qtbot: QtBot, sqlite_db: Database) -> None:
    window = _window(qtbot, sqlite_db)
    assert window.audit_id is None and not window.retention_action.isEnabled()
    assert window.show_retention() is None
    audit = audits.create_audit(sqlite_db, name="Q4 review", framework="da-nfa-review")
    window.audit_list.refresh(then=lambda: window.audit_list.select_audit(audit.id))
    qtbot.waitUntil(lambda: window.audit_id == audit.id)
    assert window.audit_id == audit.id and window.retention_action.isEnabled()
    file_menu = window.menuBar().actions()[0].menu()
    assert window.retention_action in file_menu.actions()

    dialog = _dialog(qtbot, window)
    assert dialog.windowTitle() == "Retention – Q4 review"
    assert dialog.status_label.text() == "Open" and dialog.cases_label.text() == "0 cases"


def test_setting_the_date_and_closing_the_audit(qtbot: QtBot, scored_db: Database,
                                                scored_audit: AuditSummary,
                                                questions: Questions) -> None:
    window = _window(qtbot, scored_db)
    dialog = _dialog(qtbot, window)
    assert dialog.status_label.text() == "Open" and dialog.cases_label.text() == "300 cases"
    assert dialog.no_date.isChecked() and not dialog.date_edit.isEnabled()
    assert not dialog.save_date_button.isEnabled(), "nothing changed yet"
    assert not dialog.purge_button.isEnabled()
    assert "Close the audit before purging" in dialog.refusal_label.text()
    for words in ("every case", "review, answer and note", "aggregate findings", "are kept",
                  "cannot be undone", "backup copy"):
        assert words in dialog.purge_text.text()

    with qtbot.waitSignal(dialog.changed):
        _choose_date(dialog, FUTURE)
    assert retention.retention_state(scored_db, audit_id=scored_audit.id).retain_until == FUTURE
    assert not dialog.save_date_button.isEnabled()

    questions.reply = Cancel
    dialog.close_audit_button.click()
    assert retention.retention_state(scored_db, audit_id=scored_audit.id).status == "open"
    questions.reply = Yes
    with qtbot.waitSignal(dialog.changed):
        dialog.close_audit_button.click()
    text, default = questions.asked[-1]
    assert scored_audit.name in text and default == Cancel
    assert retention.retention_state(scored_db, audit_id=scored_audit.id).status == "closed"
    assert dialog.status_label.text() == "Closed" and not dialog.close_audit_button.isEnabled()

    dialog.no_date.setChecked(True)
    with qtbot.waitSignal(dialog.changed):  # saved off the GUI thread
        dialog.save_date_button.click()
    assert retention.retention_state(scored_db, audit_id=scored_audit.id).retain_until is None
    assert "Set a retention date" in dialog.refusal_label.text()


def test_purge_is_refused_with_its_reason_before_the_date(qtbot: QtBot, scored_db: Database,
                                                          scored_audit: AuditSummary,
                                                          questions: Questions) -> None:
    retention.close_audit(scored_db, audit_id=scored_audit.id)
    retention.set_retention(scored_db, audit_id=scored_audit.id, retain_until=FUTURE)
    window = _window(qtbot, scored_db)
    dialog = _dialog(qtbot, window)
    assert not dialog.purge_button.isEnabled()
    assert dialog.refusal_label.text() == (
        f"Case data must be kept until {FUTURE:%d %B %Y}; it cannot be purged yet.")
    assert dialog.purge() is None and questions.asked == []
    assert retention.retention_state(scored_db, audit_id=scored_audit.id).case_count == 300
    assert backups.list_backups() == []


def test_purge_after_the_date_backs_up_first_and_refreshes_the_window(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, questions: Questions,
        told: list[str]) -> None:
    window = _window(qtbot, scored_db)
    dialog = _dialog(qtbot, window)
    with qtbot.waitSignal(dialog.changed):  # each saved off the GUI thread
        dialog.close_audit_button.click()
    with qtbot.waitSignal(dialog.changed):
        _choose_date(dialog, PAST)
    assert dialog.purge_button.isEnabled() and not dialog.refusal_label.isVisibleTo(dialog)

    questions.reply = Cancel
    dialog.purge_button.click()
    text, default = questions.asked[-1]
    assert "all 300 cases" in text and scored_audit.name in text and default == Cancel
    assert dialog.purge_task is None and backups.list_backups() == []

    questions.reply = Yes
    with qtbot.waitSignal(dialog.changed, timeout=30_000):
        dialog.purge_button.click()
    taken = backups.list_backups()
    assert len(taken) == 1, "one backup, taken before the purge"
    backups.check_backup(taken[0].path)
    assert _cases_in_backup(taken[0].path, scored_audit.id) == 300
    assert told[-1].startswith("Deleted 300 cases.") and str(taken[0].path) in told[-1]

    state = retention.retention_state(scored_db, audit_id=scored_audit.id)
    assert state.status == "purged" and state.case_count == 0
    assert dialog.status_label.text().startswith("Case data purged on ")
    assert dialog.cases_label.text() == "0 cases" and "have been deleted" in dialog.purge_text.text()
    assert not any(b.isEnabled() for b in (dialog.purge_button, dialog.close_audit_button,
                                           dialog.save_date_button))
    qtbot.waitUntil(lambda: not window.audit_list.refreshing)  # counts read in the background
    counts = window.audit_list.list_widget.currentItem().text().splitlines()[-1]
    assert counts.startswith("0 cases"), "the main window did not refresh"


def test_a_stale_dialog_shows_the_error_in_plain_english(qtbot: QtBot, scored_db: Database,
                                                         scored_audit: AuditSummary,
                                                         questions: Questions,
                                                         told: list[str]) -> None:
    window = _window(qtbot, scored_db)
    dialog = _dialog(qtbot, window)
    # Someone else closes and purges the audit while this dialog still says "Open".
    retention.close_audit(scored_db, audit_id=scored_audit.id)
    retention.set_retention(scored_db, audit_id=scored_audit.id, retain_until=PAST)
    retention.purge_audit(scored_db, audit_id=scored_audit.id)
    assert dialog.close_audit_button.isEnabled()
    dialog.close_audit_button.click()
    qtbot.waitUntil(lambda: not dialog.saving)  # refused off the GUI thread
    assert told == ["This audit's case data has already been purged"]
    assert dialog.status_label.text().startswith("Case data purged on ")
    assert not dialog.close_audit_button.isEnabled()


@pytest.mark.postgres
def test_on_a_shared_server_purge_warns_there_is_no_app_backup(qtbot: QtBot,
                                                                postgres_db: Database,
                                                                questions: Questions,
                                                                told: list[str]) -> None:
    audit = create_demo(postgres_db, seed=4, population=40, sample_size=4)
    retention.close_audit(postgres_db, audit_id=audit.id)
    retention.set_retention(postgres_db, audit_id=audit.id, retain_until=PAST)
    dialog = RetentionDialog(postgres_db, audit.id)
    qtbot.addWidget(dialog)
    assert "cannot back up" in dialog.purge_text.text()
    with qtbot.waitSignal(dialog.changed, timeout=30_000):
        dialog.purge_button.click()
    assert "administrator" in questions.asked[-1][0]
    assert told[-1] == "Deleted 40 cases. The aggregate findings are kept."
    assert retention.retention_state(postgres_db, audit_id=audit.id).status == "purged"
    assert backups.list_backups() == []


def test_no_date_set_leaves_the_date_field_blank(qtbot: QtBot, scored_db: Database,
                                                 scored_audit: AuditSummary) -> None:
    retention.set_retention(scored_db, audit_id=scored_audit.id, retain_until=None)
    dialog = RetentionDialog(scored_db, scored_audit.id)
    qtbot.addWidget(dialog)
    assert dialog.no_date.isChecked()
    assert dialog.date_edit.text().strip() == "" and not dialog.date_edit.isEnabled()
    assert dialog.chosen_date() is None and not dialog.save_date_button.isEnabled()
    dialog.no_date.setChecked(False)  # a date to choose appears, today's to start from
    assert dialog.date_edit.isEnabled() and dialog.chosen_date() == dt.date.today()
    assert "20" in dialog.date_edit.text()
    dialog.date_edit.setDate(FUTURE)
    dialog.no_date.setChecked(True)
    assert dialog.date_edit.text().strip() == "" and dialog.chosen_date() is None
    dialog.no_date.setChecked(False)  # the date chosen before comes back
    assert dialog.chosen_date() == FUTURE
    with qtbot.waitSignal(dialog.changed):
        dialog.save_date_button.click()
    assert retention.retention_state(scored_db, audit_id=scored_audit.id).retain_until == FUTURE
    dialog.reload()
    assert not dialog.no_date.isChecked() and dialog.chosen_date() == FUTURE
