"""Everything works from the keyboard: Tab reaches every control and never gets stuck, and
the main actions have their own shortcuts.

Tab is really pressed (QTest key clicks on whatever has the focus), from the first control
round until the focus comes back, on every page and every tab of it and in the dialogs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QTableView, QWidget
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.ui.framework_editor import FrameworkEditorDialog
from audit_app.ui.import_wizard import ImportWizard
from audit_app.ui.main_window import REVIEW, MainWindow
from tests.helpers.accessibility import (
    DIALOGS,
    accessible_name,
    each_tab,
    open_window,
    settle,
    tab_round,
    tab_stops,
)
from tests.helpers.extract_workbook import write_extract
from tests.helpers.review_page import wait_for_case


@pytest.fixture
def window(qtbot: QtBot, scored_db: Database) -> Iterator[MainWindow]:
    main = open_window(qtbot, scored_db)
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    yield main
    settle()


def _tab_problems(root: QWidget, where: str) -> list[str]:
    """Controls Tab never reaches under `root`, or a round that never comes back."""
    stops = tab_stops(root)
    assert stops, f"{where}: nothing to tab to"
    visited, came_back = tab_round(stops[0], limit=3 * len(stops) + 20)
    problems = [] if came_back else [
        f"{where}: Tab never came back to {accessible_name(stops[0])!r}; stuck on "
        f"{sorted({accessible_name(w) for w in visited[-20:]})}"]
    reached = set(visited) | {stops[0]}
    problems += [f"{where}: Tab never reaches {type(w).__name__} {accessible_name(w)!r}"
                 for w in stops if w not in reached and not _group_reached(w, reached)]
    return problems


def _group_reached(widget: QWidget, reached: set[QWidget]) -> bool:
    """A button group (a criterion's answers) is one Tab stop, as radio buttons are: Tab
    reaches the group, the arrow keys move in it (and each answer has its number key)."""
    group = widget.group() if isinstance(widget, QAbstractButton) else None
    return group is not None and any(button in reached for button in group.buttons())


def test_a_table_lets_tab_move_on(qtbot: QtBot, window: MainWindow) -> None:
    """Inside a table the arrow keys move; Tab goes on to the next control (no cell-by-cell
    trap through hundreds of cases)."""
    tables = [table for table in window.findChildren(QTableView) if table.model() is not None]
    assert tables and not [table.accessibleName() for table in tables if table.tabKeyNavigation()]


def test_tab_reaches_every_control_on_every_page(qtbot: QtBot, window: MainWindow) -> None:
    problems: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle()
        if index == REVIEW:
            wait_for_case(qtbot, window.review_host.review_page)  # type: ignore[arg-type]
        page = window.tabs.tabText(index).replace("&", "")
        for view in each_tab(window.tabs.currentWidget()):
            problems += _tab_problems(window, f"{page}, {view}")
    assert problems == []


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_tab_reaches_every_control_in_each_dialog(qtbot: QtBot, window: MainWindow,
                                                 name: str) -> None:
    dialog = DIALOGS[name](window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    settle()
    problems = [problem for view in each_tab(dialog)
                for problem in _tab_problems(dialog, f"{name}, {view}")]
    assert problems == []
    dialog.reject()


def test_each_answer_is_its_number_key_from_the_answer_tab_stop(qtbot: QtBot,
                                                                window: MainWindow) -> None:
    """Tab stops once on a criterion's answers; from there each answer is its number key
    (the accessible names say which: "Not met (key 3)")."""
    window.tabs.setCurrentIndex(REVIEW)
    page = window.review_host.review_page
    wait_for_case(qtbot, page)  # type: ignore[arg-type]
    row = next(row for row in page.criteria.rows.values()  # type: ignore[attr-defined]
               if row.isEnabled() and row.applicable)
    chosen: list[object] = []
    row.answer_chosen.connect(lambda _code, answer: chosen.append(answer))
    stop = next(button for button in row.group.buttons() if button.isEnabled())
    for answer in row.allowed:
        stop.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClicks(stop, answer.shortcut)
        assert chosen[-1] == answer, f"key {answer.shortcut} did not choose {answer.label}"
        assert f"(key {answer.shortcut})" in accessible_name(row.buttons[answer])


def test_tab_goes_round_the_framework_editor(qtbot: QtBot, window: MainWindow) -> None:
    """A new version, so every box is editable, with a criterion chosen."""
    dialog = FrameworkEditorDialog(window.db, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.version_button.click()
    problems = []
    framework = dialog.tree.topLevelItem(0)
    for item, what in ((framework, "framework"), (framework.child(0).child(0), "criterion")):
        dialog.tree.setCurrentItem(item)
        settle()
        problems += [problem for view in each_tab(dialog)
                     for problem in _tab_problems(dialog, f"framework editor, {what}, {view}")]
    assert problems == []
    dialog.reject()


def test_tab_goes_round_each_step_of_the_import_wizard(qtbot: QtBot, window: MainWindow,
                                                       tmp_path: Path) -> None:
    wizard = ImportWizard(window.db, window.audit_id or 0, window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    wizard.file_page.choose(str(write_extract(tmp_path / "extract.xlsx", 12)))
    problems = []
    for step in range(1, 7):
        qtbot.waitUntil(lambda: wizard.validation_page.done
                        or wizard.currentPage() is not wizard.validation_page)
        settle()
        problems += _tab_problems(wizard, f"import wizard, step {step}")
        if wizard.currentPage() is wizard.validation_page:
            break
        wizard.next()
    assert step >= 4 and problems == []
    wizard.reject()


def test_main_actions_have_their_own_shortcuts(window: MainWindow) -> None:
    """Every menu command has a shortcut (a submenu aside), each used once, and the pages'
    main buttons have a menu command with a shortcut or are on the keyboard some other way."""
    shortcuts: dict[str, str] = {}
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert menu is not None
        for action in menu.actions():  # type: ignore[attr-defined]
            if action.isSeparator() or action.menu() is not None:
                continue
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            assert keys, f"{action.text()!r} has no shortcut"
            assert keys not in shortcuts, f"{keys} is both {shortcuts[keys]!r} and {action.text()!r}"
            shortcuts[keys] = action.text()
    names = {action.objectName() for action in window.findChildren(QAction)
             if not action.shortcut().isEmpty()}
    assert {"newAuditAction", "importExtractAction", "exportWorkbookAction", "quitAction",
            "showPage0Action", "showPage1Action", "showPage2Action", "showPage3Action",
            "reviewerAction"} <= names


def test_page_shortcuts_switch_pages(qtbot: QtBot, window: MainWindow) -> None:
    for index in (3, 0, 2, 1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == index
