"""Walking the app as assistive technology sees it: controls, their accessible names, Tab.

A control is what a keyboard or screen-reader user acts on: buttons, text boxes, combo and
spin boxes, check boxes, tables, lists and trees, sliders and tab bars. Qt's own inner parts
(a spin box's line edit, a table's corner button, headers and scroll bars) are reached
through their owner and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.demo import REVIEWERS
from audit_app.services.export import check_partner_release
from audit_app.ui import settings
from audit_app.ui.audit_list import NewAuditDialog
from audit_app.ui.exports import ExportOptionsDialog
from audit_app.ui.main_window import MainWindow
from audit_app.ui.pages.actions_panel import ActionDialog
from audit_app.ui.panel_work import BackupSettingsDialog, ConflictsDialog
from audit_app.ui.passphrase_dialog import PassphraseDialog
from audit_app.ui.release_check_dialog import ReleaseCheckDialog
from tests.helpers.background import settle as settle_background

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit,
            QPlainTextEdit, QAbstractSlider, QTabBar)
_MNEMONIC = re.compile(r"(?<!&)&(?=[^&\s])")  # "&Seed", not "&&" or "A & B"
SNAKE_CASE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def settle() -> None:
    """Background reads in, their results shown (short waits: a walker settles often)."""
    settle_background(rounds=5, wait_ms=200)


def is_control(widget: QWidget) -> bool:
    if not isinstance(widget, CONTROLS) or isinstance(widget, (QHeaderView, QScrollBar)):
        return False
    if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
        return False  # the line edit inside a spin or combo box: the box itself is named
    return isinstance(widget, QTabBar) or not widget.objectName().startswith("qt_")


def controls(root: QWidget) -> list[QWidget]:
    """The controls a user can see under `root` now."""
    return [widget for widget in root.findChildren(QWidget)
            if is_control(widget) and widget.isVisibleTo(root)]


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces, read through QAccessible.

    On Linux a combo box's Name is its current value and its label is a relation (as
    AT-SPI expects), so for a combo box the label relation or its own accessible name counts."""
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is None:
        return ""
    name = interface.text(QAccessible.Text.Name)
    if isinstance(widget, QComboBox):
        labels = [other.text(QAccessible.Text.Name)
                  for other, _ in interface.relations(QAccessible.RelationFlag.Label)]
        name = widget.accessibleName() or next((label for label in labels if label), "")
    return " ".join(name.split())


def describe(widget: QWidget) -> str:
    """Enough to find an unnamed control in the code."""
    parents = []
    parent = widget.parentWidget()
    while parent is not None and len(parents) < 3:
        parents.append(type(parent).__name__ + (f"#{parent.objectName()}"
                                               if parent.objectName() else ""))
        parent = parent.parentWidget()
    text = widget.text() if isinstance(widget, (QAbstractButton, QLineEdit)) else ""
    return f"{type(widget).__name__} {text!r} in {' < '.join(parents)} (tip {widget.toolTip()!r})"


def naming_problems(root: QWidget, where: str) -> list[str]:
    """Each control under `root` with no accessible name, or one that is not plain English;
    each icon-only button with no tooltip; each tab with no title."""
    problems = []
    for widget in controls(root):
        name = accessible_name(widget)
        if not name:
            problems.append(f"{where}: no accessible name: {describe(widget)}")
        elif SNAKE_CASE.search(name):
            problems.append(f"{where}: internal name {name!r}: {describe(widget)}")
        if isinstance(widget, QAbstractButton) and not widget.text().strip() \
                and not widget.toolTip().strip():
            problems.append(f"{where}: icon-only button without a tooltip: {describe(widget)}")
        if isinstance(widget, QTabBar):
            problems.extend(f"{where}: tab {index} has no title" for index in range(widget.count())
                            if not widget.tabText(index).replace("&", "").strip())
    problems += [f"{where}: label {label.text()!r} shows its '&': it has no buddy to take the key"
                 for label in root.findChildren(QLabel) if label.isVisibleTo(root)
                 and label.buddy() is None and _MNEMONIC.search(label.text())
                 and label.textFormat() != Qt.TextFormat.RichText and "<" not in label.text()]
    return problems


def each_tab(root: QWidget) -> Iterator[str]:
    """Show every tab of every tab widget under `root` in turn (nested ones too), yielding
    a label for each view; the first tab of each is shown again afterwards."""
    yield "as opened"
    for tabs in [tab_widget for tab_widget in root.findChildren(QTabWidget)
                 if tab_widget.isVisibleTo(root)]:
        for index in range(tabs.count()):
            if not tabs.isTabEnabled(index):
                continue
            tabs.setCurrentIndex(index)
            settle()
            yield f"tab {tabs.tabText(index).replace('&', '')!r}"
        tabs.setCurrentIndex(0)
        settle()


def tab_stops(root: QWidget) -> list[QWidget]:
    """The controls Tab should reach under `root`: visible, enabled and taking Tab focus."""
    return [widget for widget in controls(root)
            if widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not (isinstance(widget, QAbstractButton) and widget.focusProxy() is not None)]


def tab_round(start: QWidget, limit: int) -> tuple[list[QWidget], bool]:
    """Press Tab from `start` until the focus comes back to it (or `limit` presses).

    Returns the widgets that held the focus, in order, and whether it came back."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    first = QApplication.focusWidget()
    visited: list[QWidget] = []
    for _ in range(limit):
        current = QApplication.focusWidget()
        assert current is not None, "the focus was lost"
        QTest.keyClick(current, Qt.Key.Key_Tab)
        QApplication.processEvents()
        after = QApplication.focusWidget()
        if after is first:
            return visited, True
        if after is not None:
            visited.append(after)
    return visited, False


def open_window(qtbot: QtBot, db: Database) -> MainWindow:
    """The main window at 1280x720 on `db`'s audit, the demo's chair scoring (so the review
    page's controls are enabled)."""
    settings.BACKUP_ON_OPEN.write(False)
    settings.REVIEWER_NAME.write(REVIEWERS[0][0])
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    settle()
    return window


def open_draw_dialog(window: MainWindow) -> QDialog:
    window.tabs.setCurrentIndex(1)
    settle()
    window.sample_page.summary = None  # skip the "replace the sample?" question
    dialog = window.sample_page.open_draw_dialog()
    assert dialog is not None
    return dialog


def _retention(window: MainWindow) -> QDialog:
    dialog = window.show_retention()
    assert dialog is not None
    return dialog


def _release_check(window: MainWindow) -> QDialog:
    check = check_partner_release(window.db, audit_id=window.audit_id or 0)
    return ReleaseCheckDialog(check, approver="Dana Chair", parent=window)


DIALOGS: dict[str, Callable[[MainWindow], QDialog]] = {
    "draw sample": open_draw_dialog,
    "retention": _retention,
    "release check": _release_check,
    "new passphrase": lambda w: PassphraseDialog(w, new=True, purpose="Set the passphrase."),
    "passphrase": lambda w: PassphraseDialog(w, new=False, purpose="Type the passphrase."),
    "new audit": lambda w: NewAuditDialog(w.db, w),
    "backups": BackupSettingsDialog,
    "export options": ExportOptionsDialog,
    "merge conflicts": lambda w: ConflictsDialog(w.db, w.audit_id or 0, w),
    "add action": lambda w: ActionDialog(w.db, w.audit_id or 0, None, w),
}
