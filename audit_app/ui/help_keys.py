"""Help > Keyboard shortcuts: the keyboard map, read from the window's own actions and
shortcuts each time it is shown, so it lists what the keys really do.

A menu command is described by its menu text; a page's shortcut (a QShortcut has no
text) by `SHORTCUT_WORDS`, keyed by its keys. Keys a criterion row takes itself (number
keys, F1, Delete) are not shortcuts at all, so they are listed from `CRITERION_KEYS`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from audit_app.ui.screen_fit import fit_to_screen

# What a page's QShortcut does, by its keys as QKeySequence.toString() spells them.
SHORTCUT_WORDS = {
    "Ctrl+Return": "Mark the case complete",
    "Ctrl+Enter": "Mark the case complete (keypad Enter)",
    "Ctrl+Down": "Next case",
    "PgDown": "Next case",
    "Ctrl+Up": "Previous case",
    "PgUp": "Previous case",
    "Ctrl+L": "Go to the list of cases",
    "F5": "Refresh: other members' progress",
    "Ctrl+G": "Go to the first criterion not yet answered",
    "F8": "Next disagreement (moderation)",
}
CRITERION_KEYS = (
    ("1, 2, 3…", "Answer the criterion (the number shown on each answer button)"),
    ("Enter or N", "Write a note on the criterion"),
    ("F1", "Show or hide the criterion's guidance (elsewhere: the user guide)"),
    ("Delete", "Clear the answer"),
    ("Up, Down", "Previous or next criterion"),
)


@dataclass(frozen=True)
class KeyEntry:
    section: str
    keys: str
    does: str


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(sequences: list[QKeySequence]) -> str:
    return " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences
                       if not s.isEmpty())


def _section_of(widget: QWidget | None, pages: dict[str, QWidget]) -> str:
    for title, page in pages.items():
        if widget is not None and (widget is page or page.isAncestorOf(widget)):
            return f"{title} page"
    return "Everywhere"


def keyboard_map(window: QMainWindow, pages: dict[str, QWidget]) -> list[KeyEntry]:
    """Every action and shortcut under `window` that has keys; `pages` names the pages
    (title to widget) so a page's shortcuts are listed under it."""
    menu_of: dict[int, str] = {}
    order: list[str] = []  # sections as the menu bar and then the pages have them
    for menu in window.menuBar().findChildren(QMenu):
        title = f"{_plain(menu.title())} menu"
        if menu.parent() is window.menuBar():
            order.append(title)
        for action in menu.actions():
            menu_of.setdefault(id(action), title)
    order += [f"{title} page" for title in pages]
    entries: list[KeyEntry] = []
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if not keys or action.isSeparator():
            continue
        parent = action.parent()
        section = menu_of.get(id(action)) or _section_of(
            parent if isinstance(parent, QWidget) else None, pages)
        does = _plain(action.text()) or SHORTCUT_WORDS.get(action.shortcut().toString(), "")
        entries.append(KeyEntry(section, keys, does))
    for shortcut in window.findChildren(QShortcut):
        key_text = shortcut.key().toString()
        parent = shortcut.parent()
        entries.append(KeyEntry(_section_of(parent if isinstance(parent, QWidget) else None,
                                            pages),
                                _keys([shortcut.key()]),
                                shortcut.whatsThis() or SHORTCUT_WORDS.get(key_text, "")))
    unique = list(dict.fromkeys(entries))  # in the order made, which is the menus' order
    rank = {section: index for index, section in enumerate(order)}
    return sorted(unique, key=lambda e: rank.get(e.section, len(rank)))


def keyboard_map_html(entries: list[KeyEntry]) -> str:
    parts: list[str] = []
    section = None
    for entry in entries:
        if entry.section != section:
            if section is not None:
                parts.append("</table>")
            section = entry.section
            parts.append(f"<h3>{html.escape(section)}</h3><table cellspacing='0' "
                         "cellpadding='3'>")
        parts.append(f"<tr><td width='170'><b>{html.escape(entry.keys)}</b></td>"
                     f"<td>{html.escape(entry.does)}</td></tr>")
    if section is not None:
        parts.append("</table>")
    parts.append("<h3>On a criterion (Review page)</h3><table cellspacing='0' cellpadding='3'>")
    parts += [f"<tr><td width='170'><b>{html.escape(keys)}</b></td><td>{html.escape(does)}</td>"
              "</tr>" for keys, does in CRITERION_KEYS]
    parts.append("</table><h3>In every dialog</h3><p><b>Esc</b> closes it; <b>Enter</b> "
                 "presses its highlighted button; <b>Tab</b> moves between its controls.</p>")
    return "".join(parts)


class KeyboardMapDialog(QDialog):
    def __init__(self, entries: list[KeyEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardMapDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.entries = entries
        intro = QLabel("Every key the app answers to, as it stands now.")
        intro.setWordWrap(True)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Keyboard shortcuts")
        self.browser.setHtml(keyboard_map_html(entries))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        fit_to_screen(self, QSize(560, 560))
