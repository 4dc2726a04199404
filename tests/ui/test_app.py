"""Starting the app, the stylesheet, settings and how errors reach the user."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from audit_app import __version__
from audit_app.core.errors import NotFoundError, ValidationError
from audit_app.ui import errors, settings
from audit_app.ui.about import about_text
from audit_app.ui.app import load_stylesheet, make_application, open_main_window, run_gui
from audit_app.ui.main_window import MainWindow


def test_application_is_named_and_styled(qapp: QApplication) -> None:
    app = make_application()
    assert app is qapp
    assert QCoreApplication.applicationName() == settings.APPLICATION
    assert QCoreApplication.organizationName() == settings.ORGANISATION
    stylesheet = load_stylesheet()
    assert "#primaryButton" in stylesheet
    assert app.styleSheet() == stylesheet


def test_opening_shows_the_window_on_the_database(qtbot: QtBot, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    target = tmp_path / "new.sqlite3"
    window = open_main_window(str(target))
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.isVisible()
    assert target.exists()
    assert str(target) in window.database_label.text()
    assert sys.excepthook is errors.handle_exception
    window.close()
    assert not settings.WINDOW_GEOMETRY.read().isEmpty(), "closing saves the geometry"
    window.db.close()


def test_run_gui_explains_a_database_it_cannot_open(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append(f"{title}: {text}"))
    assert run_gui(str(tmp_path)) == 2  # a folder, not a file
    assert shown and shown[0].startswith("Cannot open the database:")
    assert "folder" in shown[0]


def test_user_errors_are_plain_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(errors, "show_user_error", lambda _p, error: shown.append(str(error)))
    error = NotFoundError("No audit with id 9")
    errors.handle_exception(type(error), error, None)
    assert shown == ["No audit with id 9"]
    assert not errors.error_log_path().exists()


def test_bugs_are_logged_and_a_calm_dialog_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append(f"{title}\n{text}"))
    try:
        raise ZeroDivisionError("division by zero in a widget")
    except ZeroDivisionError as bug:
        errors.handle_exception(type(bug), bug, bug.__traceback__)
    assert shown[0].startswith("Something went wrong")
    assert "ZeroDivisionError" not in shown[0] and "Traceback" not in shown[0]
    assert str(errors.error_log_path()) in shown[0]
    log = errors.error_log_path().read_text(encoding="utf-8")
    assert "Traceback" in log and "division by zero in a widget" in log


def test_validation_problems_go_in_the_details(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    problems = [f"row {n}: outcome is not a number" for n in range(2, 22)]
    errors.show_user_error(None, ValidationError("20 rows have errors", problems))
    box = boxes[0]
    assert box.text() == "20 rows have errors"
    details = box.detailedText().splitlines()
    assert details[0] == "row 2: outcome is not a number"
    assert details[-1] == "…and 8 more"


def test_settings_round_trip_with_defaults() -> None:
    assert settings.REVIEWER_NAME.read() == ""
    assert settings.LAST_AUDIT_ID.read() == 0
    assert settings.RECENT_FILES.read() == []
    settings.LAST_AUDIT_ID.write(12)
    assert settings.LAST_AUDIT_ID.read() == 12
    QSettings().setValue(settings.LAST_AUDIT_ID.key, "not a number")
    assert settings.LAST_AUDIT_ID.read() == 0
    for number in range(12):
        settings.remember_file(f"/data/extract-{number}.xlsx")
    settings.remember_file("/data/extract-3.xlsx")
    recent = settings.RECENT_FILES.read()
    assert recent[0] == "/data/extract-3.xlsx"
    assert len(recent) == settings.MAX_RECENT_FILES
    assert len(set(recent)) == len(recent)


def test_about_says_offline() -> None:
    text = about_text()
    assert __version__ in text
    assert "No network, no telemetry; data stays on this computer" in text
