""""Who is scoring?": a real dialog, asked once on first use, and the name remembered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.demo import REVIEWERS
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.main_window import POPULATION, REVIEW, MainWindow
from audit_app.ui.reviewer_control import WHY_IT_MATTERS, ReviewerDialog


def make_window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


def test_first_use_asks_once_and_stores_the_name(qtbot: QtBot, scored_db: Database,
                                                 scored_audit: AuditSummary) -> None:
    settings.LAST_PAGE.write(POPULATION)
    window = make_window(qtbot, scored_db)
    control = window.reviewer_control
    assert control.name == "" and control.dialog is None  # not asked before it matters
    window.tabs.setCurrentIndex(REVIEW)
    dialog = control.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Who is scoring?"
    members = [dialog.members.item(i).text() for i in range(dialog.members.count())]
    assert members == sorted(name for name, _ in REVIEWERS)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no name yet
    qtbot.keyClicks(dialog.name_edit, "  Sam   Okafor ")
    assert ok.isEnabled()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter presses the default button
    assert not dialog.isVisible()
    assert control.name == "Sam Okafor" and settings.REVIEWER_NAME.read() == "Sam Okafor"
    window.tabs.setCurrentIndex(POPULATION)
    window.tabs.setCurrentIndex(REVIEW)
    assert control.dialog is dialog  # not asked again
    again = make_window(qtbot, scored_db)
    again.tabs.setCurrentIndex(REVIEW)
    assert again.reviewer_control.name == "Sam Okafor" and again.reviewer_control.dialog is None


def test_cancelled_first_use_is_not_asked_again_in_the_session(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    settings.LAST_PAGE.write(POPULATION)
    window = make_window(qtbot, scored_db)
    window.tabs.setCurrentIndex(REVIEW)
    first = window.reviewer_control.dialog
    assert first is not None
    qtbot.keyClick(first, Qt.Key.Key_Escape)  # Esc closes it
    assert not first.isVisible() and window.reviewer_control.name == ""
    window.tabs.setCurrentIndex(POPULATION)
    window.tabs.setCurrentIndex(REVIEW)
    assert window.reviewer_control.dialog is first
    assert settings.REVIEWER_NAME.read() == ""


def test_dialog_explains_and_picks_an_existing_member(qtbot: QtBot) -> None:
    dialog = ReviewerDialog(["Avery Quillon", "Rowan Pennick"], "")
    qtbot.addWidget(dialog)
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert WHY_IT_MATTERS in words
    assert "every score" in WHY_IT_MATTERS and "change log" in WHY_IT_MATTERS
    dialog.members.setCurrentRow(1)
    assert dialog.name == "Rowan Pennick" and dialog.ok_button.isEnabled()


def test_the_status_bar_button_opens_the_dialog(qtbot: QtBot, sqlite_db: Database) -> None:
    window = make_window(qtbot, sqlite_db)
    window.reviewer_control.set_name("Pat Smith")
    qtbot.mouseClick(window.reviewer_control.button, Qt.MouseButton.LeftButton)
    dialog = window.reviewer_control.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.name == "Pat Smith"
    dialog.name_edit.setText("Pat Jones")
    dialog.accept()
    assert settings.REVIEWER_NAME.read() == "Pat Jones"
