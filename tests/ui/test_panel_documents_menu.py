"""File > Panel documents: each action asks, chooses where, and writes in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.main_window import MainWindow
from audit_app.ui.panel_documents import DocumentOptionsDialog
from tests.helpers.docx_text import docx_text
from tests.helpers.visible_text import internal_names, os_account_names, visible_texts


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, title, text: shown.append(f"{title}|{text}"))
    return shown


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def test_minutes_and_letters_from_the_menu(qtbot: QtBot, scored_db: Database,
                                           scored_audit: AuditSummary, tmp_path: Path,
                                           messages: list[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    window = _window(qtbot, scored_db)
    chosen: list[DocumentOptionsDialog] = []

    def accept(dialog: DocumentOptionsDialog) -> int:
        chosen.append(dialog)
        qtbot.waitUntil(lambda: dialog.ready)  # the audit is read in the background
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DocumentOptionsDialog, "exec", accept)
    target = tmp_path / "minutes.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kwargs: (str(target), "Word document (*.docx)"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda *_args, **_kwargs: str(tmp_path / "letters"))
    assert all(action.isEnabled() for action in window.panel_documents.actions.values())
    window.panel_documents.actions["minutes"].trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=30_000)
    title, text = messages[0].split("|", 1)
    assert title == "Minutes saved" and "minutes.docx" in text
    assert "Minutes of the scrutiny panel meeting" in docx_text(target)
    window.panel_documents.actions["feedback"].trigger()
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=30_000)
    assert messages[1].startswith("Feedback letters saved|Saved ")
    assert sorted(path.name for path in (tmp_path / "letters").iterdir())[0] == \
        "feedback-01-supervisor.docx"
    assert [dialog.windowTitle() for dialog in chosen] == ["Minutes", "Feedback letters"]


def test_without_an_audit_only_the_yearly_report_is_offered(qtbot: QtBot,
                                                            sqlite_db: Database) -> None:
    window = _window(qtbot, sqlite_db)
    enabled = {name for name, action in window.panel_documents.actions.items()
               if action.isEnabled()}
    assert enabled == {"report"}
    assert all(not action.shortcut().isEmpty()
               for action in window.panel_documents.actions.values())


@pytest.mark.parametrize("document", ["minutes", "feedback", "summary", "report"])
def test_the_options_dialog_is_plain_and_named(qtbot: QtBot, document: str) -> None:
    dialog = DocumentOptionsDialog(document)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pseudonymise(), "pseudonymised unless the panel asks for its own copy"
    assert internal_names(visible_texts(dialog), os_account_names()) == []
    assert dialog.real_references.accessibleName()
    assert dialog.year.isVisible() == (document == "report")
    assert dialog.grouping.isVisible() == (document == "feedback")
    assert not dialog.meeting.isVisible() and dialog.meeting_id() is None


def test_minutes_ask_which_meeting_when_an_audit_has_several(qtbot: QtBot) -> None:
    import datetime as dt

    from audit_app.services.meetings import MeetingRow

    held = [MeetingRow(3, 1, dt.date(2026, 3, 5), "Spring panel", "", 10),
            MeetingRow(7, 1, dt.date(2026, 4, 9), "Follow-up panel", "", 10)]
    dialog = DocumentOptionsDialog("minutes", None, held)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.meeting.isVisible() and dialog.meeting.accessibleName() == "Meeting"
    assert dialog.meeting.currentText() == "Follow-up panel (9 April 2026)"
    assert dialog.meeting_id() == 7, "the latest meeting unless the chair picks another"
    dialog.meeting.setCurrentIndex(1)
    assert dialog.meeting_id() == 3
    one = DocumentOptionsDialog("minutes", None, held[:1])
    qtbot.addWidget(one)
    one.show()
    assert not one.meeting.isVisible() and one.meeting_id() == 3


def test_the_dialog_reads_the_audit_off_the_gui_thread(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, tmp_path: Path,
        messages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The meetings and the audit's name are read in the background: the dialog says
    "Reading…" with its button waiting until they arrive."""
    import threading

    from audit_app.services import audits, meetings

    settings.LAST_AUDIT_ID.write(scored_audit.id)
    window = _window(qtbot, scored_db)
    assert window.audit_id == scored_audit.id
    threads: dict[str, list[threading.Thread]] = {"list_meetings": [], "get_audit": []}

    def noted(name: str, service: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            threads[name].append(threading.current_thread())
            return service(*args, **kwargs)
        return call

    monkeypatch.setattr(meetings, "list_meetings", noted("list_meetings", meetings.list_meetings))
    monkeypatch.setattr(audits, "get_audit", noted("get_audit", audits.get_audit))
    on_opening: list[tuple[bool, bool]] = []

    def accept(dialog: DocumentOptionsDialog) -> int:
        on_opening.append((dialog.ok_button.isEnabled(), dialog.reading_label.isHidden()))
        qtbot.waitUntil(lambda: dialog.ready)
        assert dialog.reading_label.isHidden() and dialog.audit_name == scored_audit.name
        return QDialog.DialogCode.Accepted

    offered: list[str] = []

    def save_as(*args: Any, **_kwargs: Any) -> tuple[str, str]:
        offered.append(Path(args[2]).name)
        return str(tmp_path / "minutes.docx"), "Word document (*.docx)"

    monkeypatch.setattr(DocumentOptionsDialog, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window.panel_documents.actions["minutes"].trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=30_000)
    assert on_opening == [(False, False)], "Reading…, the button waiting"
    assert offered == ["Demo-DA-NFA-review-synthetic-data-minutes.docx"], "the audit's name"
    assert threads["list_meetings"] and threads["get_audit"]  # the writing reads them too
    assert threading.main_thread() not in threads["list_meetings"] + threads["get_audit"]
    assert messages[0].startswith("Minutes saved|")
