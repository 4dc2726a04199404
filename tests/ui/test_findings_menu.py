"""View > Escalations, Actions register and Learning themes go straight to that tab of the
Findings page, each with its own shortcut, listed in the keyboard map; without an audit
they wait."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.help_keys import keyboard_map
from audit_app.ui.main_window import FINDINGS, MainWindow

MENU = {"showEscalationsAction": ("Escalations", "Ctrl+5", "escalations_panel"),
        "showActionsAction": ("Actions register", "Ctrl+6", "actions_panel"),
        "showThemesAction": ("Learning themes", "Ctrl+7", "themes_panel")}


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


def _plain(text: str) -> str:
    return text.replace("&", "")


def test_each_menu_command_lands_on_its_tab(qtbot: QtBot, scored_db: Database,
                                            scored_audit: AuditSummary) -> None:
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    settings.LAST_PAGE.write(0)
    window = _window(qtbot, scored_db)
    assert window.audit_id == scored_audit.id and window.tabs.currentIndex() == 0
    for name, (_text, _keys, tab) in MENU.items():
        window.tabs.setCurrentIndex(0)
        action = window.findChild(QAction, name)
        assert action is not None and action.isEnabled()
        action.trigger()
        page = window.findings_page
        assert window.tabs.currentIndex() == FINDINGS
        assert page.sections.currentWidget() is getattr(page, tab), name
    qtbot.waitUntil(lambda: page.themes_panel.shown is not None, timeout=20_000)


def test_the_commands_are_in_the_view_menu_with_their_keys(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    window = _window(qtbot, scored_db)
    view = next(action.menu() for action in window.menuBar().actions()
                if _plain(action.text()) == "View")
    listed = {action.objectName(): (_plain(action.text()), action.shortcut().toString())
              for action in view.actions()}  # type: ignore[union-attr]
    assert {name: listed[name] for name in MENU} == {
        name: (text, keys) for name, (text, keys, _tab) in MENU.items()}
    taken = [key.toString() for action in window.findChildren(QAction)
             for key in action.shortcuts()
             if action.objectName() not in MENU]
    assert not {keys for _text, keys, _tab in MENU.values()} & set(taken)
    entries = keyboard_map(window, window.built_pages())
    for text, keys, _tab in MENU.values():
        native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        assert any(e.section == "View menu" and e.keys == native and e.does == text
                   for e in entries), text


def test_without_an_audit_the_commands_wait(qtbot: QtBot, sqlite_db: Database) -> None:
    window = _window(qtbot, sqlite_db)
    assert window.audit_id is None
    for name in MENU:
        action = window.findChild(QAction, name)
        assert action is not None and not action.isEnabled()
    before = window.tabs.currentIndex()
    window.show_findings_section("themes")  # as a stray key press would: nothing happens
    assert window.tabs.currentIndex() == before != FINDINGS
