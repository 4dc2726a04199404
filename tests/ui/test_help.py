"""Help: the offline user guide (F1), the keyboard map read from the window's own keys,
About, and each page's "what is this page for" line."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from audit_app import __version__
from audit_app.paths import resources_dir, user_data_dir
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.about import LICENCE, AboutDialog
from audit_app.ui.help_guide import GUIDE_SECTIONS, GuideDialog
from audit_app.ui.help_keys import CRITERION_KEYS, keyboard_map
from audit_app.ui.main_window import MainWindow
from audit_app.ui.workspace_pages import PAGE_PURPOSES

ROOT = Path(__file__).resolve().parents[2]


def make_window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


def test_the_guide_ships_with_the_app_and_has_every_section(qtbot: QtBot) -> None:
    assert (resources_dir() / "help" / "guide.html").is_file()
    # The bundle ships resources/ whole, so the guide goes wherever the stylesheet goes.
    assert '(str(ROOT / "resources"), "resources")' in (ROOT / "build.spec").read_text()
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    for section in GUIDE_SECTIONS:
        assert section in text, section
    for step in ("Import the extract", "Draw the sample", "Score", "Agree", "Findings",
                 "partner copy"):
        assert step in text, step
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "no internal names in the guide"


def test_f1_opens_the_guide_and_esc_closes_it(qtbot: QtBot, sqlite_db: Database) -> None:
    window = make_window(qtbot, sqlite_db)
    action = window.findChild(QAction, "userGuideAction")
    assert action.shortcut() == QKeySequence("F1")
    action.trigger()
    guide = window.guide
    assert guide is not None and guide.isVisible()
    assert "What the app is for" in guide.browser.toPlainText()
    qtbot.keyClick(guide, Qt.Key.Key_Escape)
    assert not guide.isVisible()
    assert window.show_guide() is guide  # one guide, brought back


def test_keyboard_map_lists_every_key_the_window_answers_to(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    window = make_window(qtbot, scored_db)
    dialog = window.show_keyboard_map()  # builds every page, so every page's keys exist
    assert len(window.pages.built()) == 4
    text = dialog.browser.toPlainText()
    entries = keyboard_map(window, window.built_pages())
    registered: list[QKeySequence] = [
        *(key for action in window.findChildren(QAction) for key in action.shortcuts()),
        *(shortcut.key() for shortcut in window.findChildren(QShortcut))]
    assert len(registered) > 30
    for key in registered:
        if key.isEmpty():
            continue
        native = key.toString(QKeySequence.SequenceFormat.NativeText)
        assert native in text, native
        assert any(native in entry.keys and entry.does for entry in entries), native
    for keys, _does in CRITERION_KEYS:
        assert keys in text
    sections = {entry.section for entry in entries}
    assert {"File menu", "View menu", "Help menu", "Review page"} <= sections
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_about_shows_version_licence_folder_and_help(qtbot: QtBot, sqlite_db: Database) -> None:
    window = make_window(qtbot, sqlite_db)
    window.findChild(QAction, "aboutAction").trigger()
    dialog = next(d for d in window.findChildren(AboutDialog) if d.isVisible())
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert __version__ in words and LICENCE in words
    assert str(user_data_dir()) in words
    assert dialog.open_folder_button.isEnabled()
    qtbot.mouseClick(dialog.guide_button, Qt.MouseButton.LeftButton)
    assert window.guide is not None and window.guide.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_each_page_says_what_it_is_for(qtbot: QtBot, scored_db: Database,
                                       scored_audit: AuditSummary) -> None:
    window = make_window(qtbot, scored_db)
    shown = [label.text() for label in window.findChildren(QLabel)
             if label.accessibleName() == "What this page is for"]
    assert sorted(shown) == sorted(PAGE_PURPOSES)
    for purpose in PAGE_PURPOSES:
        assert purpose.endswith(".") and len(purpose) < 100 and "_" not in purpose


def test_f1_on_a_criterion_still_shows_its_guidance(qtbot: QtBot, scored_db: Database,
                                                    scored_audit: AuditSummary) -> None:
    from audit_app.services.demo import REVIEWERS
    from audit_app.ui import settings
    from audit_app.ui.main_window import REVIEW
    from tests.helpers.review_page import wait_for_case

    settings.REVIEWER_NAME.write(REVIEWERS[0][0])
    window = make_window(qtbot, scored_db)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.tabs.setCurrentIndex(REVIEW)
    page = window.review_host.ensure_page()
    wait_for_case(qtbot, page)
    code = page.criteria.first_open_code() or page.criteria.applicable_codes()[0]
    page.criteria.focus_row(code)
    row = page.criteria.rows[code]
    assert row.guidance_toggle.isVisible() and not row.guidance_toggle.isChecked()
    qtbot.keyClick(row, Qt.Key.Key_F1)
    assert row.guidance_toggle.isChecked()
    assert window.guide is None or not window.guide.isVisible()
    window.audit_list.list_widget.setFocus()  # away from the criteria, F1 is the guide
    qtbot.keyClick(window.audit_list.list_widget, Qt.Key.Key_F1)
    assert window.guide is not None and window.guide.isVisible()
