"""The main window: creating an audit through the dialog, pages, menus and shortcuts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from audit_app.services.audits import list_audits
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.import_wizard import ImportWizard
from audit_app.ui.main_window import FINDINGS, POPULATION, REVIEW, MainWindow
from tests.helpers.extract_workbook import write_extract


def make_window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def test_new_audit_dialog_creates_and_opens_the_audit(qtbot: QtBot, sqlite_db: Database) -> None:
    window = make_window(qtbot, sqlite_db)
    assert window.audit_id is None
    assert window.right.currentIndex() == 0  # the "choose an audit" hint

    dialog = window.new_audit()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled(), "no name yet"
    qtbot.keyClicks(dialog.name_edit, "DA NFA review Q3 2026")
    assert ok.isEnabled()
    assert dialog.framework_combo.count() >= 2
    assert dialog.framework_combo.currentData() == "da-nfa-review@3"  # new audits: newest
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.audit_id is not None)  # created off the GUI thread

    audits = list_audits(sqlite_db)
    assert [a.name for a in audits] == ["DA NFA review Q3 2026"]
    assert audits[0].framework_version == 3
    assert window.audit_id == audits[0].id
    assert window.audit_title.text() == "DA NFA review Q3 2026"
    assert window.audit_list.list_widget.count() == 1
    assert window.tabs.currentIndex() == POPULATION
    assert window.population_page.empty_hint.isVisibleTo(window)
    assert settings.LAST_AUDIT_ID.read() == audits[0].id


def test_blank_name_is_refused_with_nothing_created(qtbot: QtBot, sqlite_db: Database) -> None:
    window = make_window(qtbot, sqlite_db)
    dialog = window.new_audit()
    qtbot.keyClicks(dialog.name_edit, "   ")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.reject()
    assert list_audits(sqlite_db) == []


def test_reopens_the_last_audit_and_lists_counts(qtbot: QtBot, scored_db: Database,
                                                 scored_audit: AuditSummary) -> None:
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    window = make_window(qtbot, scored_db)
    assert window.audit_id == scored_audit.id
    caption = window.audit_list.list_widget.item(0).text()
    assert "300 cases" in caption and "sample 20" in caption
    assert window.export_action.isEnabled()


def test_every_menu_action_has_a_shortcut(qtbot: QtBot, sqlite_db: Database) -> None:
    window = make_window(qtbot, sqlite_db)
    actions = [a for menu in window.menuBar().actions() for a in menu.menu().actions()
               if not a.isSeparator() and a.menu() is None]  # submenus open from their menu
    assert len(actions) >= 12
    missing = [a.text() for a in actions if a.shortcut().isEmpty()]
    assert missing == []
    assert len({a.shortcut().toString() for a in actions}) == len(actions), "shortcuts clash"


def test_page_shortcuts_and_audit_list_steps_aside_for_review(qtbot: QtBot, scored_db: Database,
                                                              scored_audit: AuditSummary) -> None:
    window = make_window(qtbot, scored_db)
    window.findChild(type(window.quit_action), "showPage3Action").trigger()
    assert window.tabs.currentIndex() == FINDINGS
    qtbot.waitUntil(lambda: window.findings_page.findings is not None)  # read in the background
    window.tabs.setCurrentIndex(REVIEW)
    assert not window.audit_list.isVisible()
    window.show_audits_action.trigger()
    assert window.audit_list.isVisible()


def test_status_bar_shows_database_and_reviewer(qtbot: QtBot, sqlite_db: Database) -> None:
    window = make_window(qtbot, sqlite_db)
    assert str(sqlite_db.file_path) in window.database_label.text()
    assert window.reviewer_control.label.text() == "No reviewer chosen"
    window.reviewer_control.set_name("  Pat   Smith ")
    assert window.reviewer_control.label.text() == "Reviewing as: Pat Smith"
    assert settings.REVIEWER_NAME.read() == "Pat Smith"
    again = make_window(qtbot, sqlite_db)
    assert again.reviewer_control.name == "Pat Smith"


def test_accessible_names_on_controls(qtbot: QtBot, scored_db: Database,
                                      scored_audit: AuditSummary) -> None:
    window = make_window(qtbot, scored_db)
    for widget in (window.audit_list.list_widget, window.audit_list.new_button,
                   window.population_page.search_edit, window.population_page.import_button,
                   window.population_page.table, window.sample_page.draw_button,
                   window.sample_page.sample_table, window.findings_page.export_button,
                   window.findings_page.chart):
        assert widget.accessibleName(), widget


def test_recent_extracts_reopen_the_import_wizard(qtbot: QtBot, sqlite_db: Database,
                                                  empty_audit: AuditSummary, tmp_path: Path) -> None:
    extract = write_extract(tmp_path / "q3-extract.xlsx", 5)
    window = make_window(qtbot, sqlite_db)
    window.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.recent_menu.actions()] == ["No recent extracts"]

    window.import_extract(str(extract))
    wizard = window.findChild(ImportWizard)
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=20_000)  # read in the background
    wizard.reject()
    window.recent_menu.aboutToShow.emit()
    [recent] = window.recent_menu.actions()
    assert recent.text() == "q3-extract.xlsx" and recent.isEnabled()
    recent.trigger()
    reopened = [w for w in window.findChildren(ImportWizard) if w is not wizard]
    assert reopened and reopened[0].path == extract.resolve()
