"""Every control has a plain-English accessible name, read through QAccessible.

The main window on the demo audit, every page and every tab on it, and the dialogs that
open without a file chooser, as a screen reader would announce them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.framework_editor import FrameworkEditorDialog
from audit_app.ui.import_wizard import ImportWizard
from audit_app.ui.main_window import REVIEW, MainWindow
from tests.helpers.accessibility import (
    DIALOGS,
    accessible_name,
    controls,
    each_tab,
    naming_problems,
    open_draw_dialog,
    open_window,
    settle,
)
from tests.helpers.extract_workbook import write_extract
from tests.helpers.review_page import wait_for_case


@pytest.fixture
def window(qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> Iterator[MainWindow]:
    main = open_window(qtbot, scored_db)
    assert main.audit_id == scored_audit.id
    yield main
    settle()


def _problems_on_every_tab(root: QWidget, where: str, tabs_under: QWidget | None = None
                           ) -> list[str]:
    """Naming problems under `root` with each tab under `tabs_under` (else `root`) shown."""
    return [problem for view in each_tab(tabs_under or root)
            for problem in naming_problems(root, f"{where}, {view}")]


def test_the_helper_finds_an_unnamed_control(qtbot: QtBot) -> None:
    """A control with no text, no label and no accessible name is caught; named, it is not."""
    holder = QWidget()
    qtbot.addWidget(holder)
    button = QPushButton(holder)
    holder.show()
    assert len(naming_problems(holder, "test")) == 2  # no name, and no tooltip either
    button.setAccessibleName("risk_level")
    assert "internal name" in naming_problems(holder, "test")[0]
    button.setAccessibleName("Risk level")
    button.setToolTip("Risk level")
    assert naming_problems(holder, "test") == []
    assert accessible_name(button) == "Risk level"


def test_every_page_names_every_control(qtbot: QtBot, window: MainWindow) -> None:
    problems: list[str] = []
    seen = 0
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle()
        if index == REVIEW:
            wait_for_case(qtbot, window.review_host.review_page)  # type: ignore[arg-type]
        seen += len(controls(window))
        page = window.tabs.tabText(index).replace("&", "")
        problems += _problems_on_every_tab(window, page, window.tabs.currentWidget())
    assert seen > 300  # the pages were really built and visited
    assert problems == []


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_dialog_names_every_control(qtbot: QtBot, window: MainWindow, name: str) -> None:
    dialog = DIALOGS[name](window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle()
    assert controls(dialog), "the dialog has controls"
    assert _problems_on_every_tab(dialog, name) == []
    dialog.reject()


def test_the_draw_dialog_names_its_controls_for_every_method(qtbot: QtBot,
                                                            window: MainWindow) -> None:
    dialog = open_draw_dialog(window)
    qtbot.addWidget(dialog)
    methods = [dialog.method_combo.itemData(i)  # type: ignore[attr-defined]
               for i in range(dialog.method_combo.count())]  # type: ignore[attr-defined]
    problems = []
    for method in methods:
        dialog.set_method(method)  # type: ignore[attr-defined]
        settle()
        problems += naming_problems(dialog, f"draw sample, {method}")
    assert len(methods) >= 2 and problems == []
    dialog.reject()


def test_the_framework_editor_names_every_control(qtbot: QtBot, window: MainWindow) -> None:
    """A saved framework (read only), then a new version with a section and a criterion chosen."""
    dialog = FrameworkEditorDialog(window.db, window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle()
    problems = _problems_on_every_tab(dialog, "framework editor")
    dialog.version_button.click()
    settle()
    framework = dialog.tree.topLevelItem(0)
    for item, what in ((framework, "framework"), (framework.child(0), "section"),
                       (framework.child(0).child(0), "criterion")):
        dialog.tree.setCurrentItem(item)
        settle()
        problems += _problems_on_every_tab(dialog, f"framework editor, new version, {what}")
    assert problems == []
    dialog.reject()


def test_the_import_wizard_names_every_control_on_every_step(qtbot: QtBot, window: MainWindow,
                                                            tmp_path: Path) -> None:
    wizard = ImportWizard(window.db, window.audit_id or 0, window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.choose(str(write_extract(tmp_path / "extract.xlsx", 12)))
    problems = []
    steps = 0
    while True:
        qtbot.waitUntil(lambda: wizard.validation_page.done
                        or wizard.currentPage() is not wizard.validation_page)
        settle()
        steps += 1
        problems += _problems_on_every_tab(wizard, f"import wizard, step {steps}")
        if wizard.currentPage() is wizard.validation_page or steps > 6:
            break
        wizard.next()
    assert steps >= 4 and problems == []
    wizard.reject()
