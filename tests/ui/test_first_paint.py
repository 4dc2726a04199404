"""The app's first paint is light, and the window is whole before the first key press is read.

At start the window is built with only what the first paint shows (`first_paint=True`): the
menus' titles, the peeked audits list, the hint. The menus' commands and shortcuts, the
pages' tabs, the dialog fitting and the colour-scheme check follow once it is painted,
before the event loop reads any key (ui/app.py, docs/performance.md "Start-up").
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from audit_app.cli import COMMANDS, build_parser
from audit_app.services.audit_list_peek import peek_audit_list
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui import app as started
from audit_app.ui import screen_fit, settings, theme
from audit_app.ui.audit_list import AUDIT_ID_ROLE
from audit_app.ui.main_window import MainWindow


def _menus(window: MainWindow) -> dict[str, list[str]]:
    bar = window.menuBar()
    menus = [action.menu() for action in bar.actions()]
    return {menu.title(): [a.objectName() for a in menu.actions() if a.objectName()]
            for menu in menus if isinstance(menu, QMenu)}


def test_the_first_paint_has_menu_titles_and_complete_adds_the_commands(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    settings.BACKUP_ON_OPEN.write(False)
    window = MainWindow(first_paint=True)
    qtbot.addWidget(window)
    window.show_peeked_audits(peek_audit_list(str(scored_db.file_path)) or [])
    window.show()
    assert _menus(window) == {"&File": [], "&View": [], "&Help": []}
    assert window.actions() == [], "no shortcut before `complete`"
    assert window.audit_list.list_widget.count() == 1

    window.complete()
    menus = _menus(window)
    assert list(menus) == ["&File", "&View", "&Help"]
    assert "newAuditAction" in menus["&File"] and "userGuideAction" in menus["&Help"]
    new_audit = window.findChild(QAction, "newAuditAction")
    assert new_audit is not None and new_audit.shortcut().toString() == "Ctrl+N"
    assert not new_audit.isEnabled(), "until the database is open"
    assert window.tabs.count() == 4
    window.complete()  # twice is once
    assert len(_menus(window)["&File"]) == len(menus["&File"])

    window.attach_database(scored_db)
    assert new_audit.isEnabled()
    qtbot.waitUntil(lambda: window.audit_id == scored_audit.id)
    qtbot.waitUntil(lambda: not window.audit_list.refreshing)
    window.close()


def test_the_app_is_whole_before_its_event_loop_runs(
        qtbot: QtBot, scored_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    settings.BACKUP_ON_OPEN.write(False)
    window = started.open_main_window(str(scored_db.file_path))
    assert window is not None
    qtbot.addWidget(window)
    assert all(action.isEnabled() for action in window.actions()
               if action.objectName() in ("newAuditAction", "quitAction", "userGuideAction"))
    assert len(_menus(window)["&File"]) > 5
    assert screen_fit._fitter is not None, "dialogs are fitted to the screen"
    qtbot.waitUntil(lambda: window.audit_id is not None, timeout=60_000)  # a loaded machine
    window.close()
    window.db.close()


def test_properties_set_by_name_are_the_enums_they_stand_for(qtbot: QtBot) -> None:
    """The first paint sets enum properties by name, without PySide's `Qt` namespace."""
    assert Qt.ItemDataRole.UserRole + 1 == AUDIT_ID_ROLE
    window = MainWindow(first_paint=True)
    qtbot.addWidget(window)
    window.show_peeked_audits([])
    panel = window.audit_list
    assert window.no_audit_hint.alignment() == Qt.AlignmentFlag.AlignCenter
    assert panel.empty_hint.alignment() == Qt.AlignmentFlag.AlignCenter
    assert panel.list_widget.textElideMode() == Qt.TextElideMode.ElideRight
    assert panel.list_widget.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert window.splitter.orientation() == Qt.Orientation.Horizontal


def test_a_dark_scheme_asked_after_the_first_paint_still_turns_high_contrast_on(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(theme.HIGH_CONTRAST_VARIABLE, raising=False)
    palette, stylesheet = QPalette(qapp.palette()), qapp.styleSheet()
    light = QPalette(palette)
    light.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.Highlight, QColor("#308cc6"))  # Qt's own, too faint
    qapp.setPalette(light)
    try:
        started.make_application(first_paint=True)
        assert not theme.high_contrast(), "the palette is light and the scheme not asked yet"
        assert qapp.palette().color(QPalette.ColorRole.Highlight) == QColor("#2f6f8f")
        monkeypatch.setattr(theme, "dark_scheme", lambda: True)
        started.finish_application(qapp)
        assert theme.high_contrast()
        assert qapp.styleSheet() == theme.themed(started.load_stylesheet())
        assert "palette(" in qapp.styleSheet()
        assert qapp.palette().color(QPalette.ColorRole.Highlight) == QColor("#308cc6"), (
            "the platform's own palette, left alone under high contrast")
    finally:
        qapp.setPalette(palette)
        qapp.setStyleSheet(stylesheet)
        theme.set_high_contrast(False)


def test_a_known_command_gets_its_own_subparser_alone() -> None:
    parser = build_parser(in_full=["gui"], only=True)
    assert parser.parse_args(["--db", "audit.sqlite3", "gui"]).command == "gui"
    with pytest.raises(SystemExit):
        parser.parse_args(["audit", "list"])
    full = build_parser(in_full=["gui"])
    assert full.parse_args(["audit"]).command == "audit"
    assert len(COMMANDS) > 20
