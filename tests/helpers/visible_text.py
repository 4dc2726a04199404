"""Every piece of text a person can read in a widget tree, and the internal names in it.

`visible_texts(widget)` walks a window or dialog: labels, buttons, group-box titles, window
titles, tab texts, tooltips, placeholder text, combo items, text edits, and the display text
and headers of every item view's model. `internal_names(texts)` finds snake_case
identifiers and the OS account name in what was read.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)

# Two or more lower-case words joined by underscores: how code names a thing, never a person.
SNAKE_CASE = re.compile(r"(?<![\w.@/\\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/\\-]|\.\w)")
# A word that is a file name, a path, an e-mail address or a web address is not an identifier.
NOT_AN_IDENTIFIER = re.compile(r"\S*(?:[/\\@]|\.[A-Za-z0-9]{2,5}\b|://)\S*")
DIRECT = Qt.FindChildOption.FindDirectChildrenOnly
MAX_ROWS = 200  # enough rows of a long table to see every kind of value it shows


@dataclass(frozen=True)
class Text:
    where: str  # which widget, for the failure message
    text: str


def os_account_names() -> set[str]:
    """The names the operating system knows the person at the keyboard by."""
    names = {os.environ.get(key, "") for key in ("USER", "LOGNAME", "USERNAME")}
    with suppress(KeyError, OSError):  # no login name (some containers)
        names.add(getpass.getuser())
    return {name for name in names if name.strip()}


def internal_names(texts: Iterable[Text], account_names: Iterable[str] = (),
                   codes: Iterable[str] = ()) -> list[str]:
    """One line per snake_case identifier, OS account name or internal code (such as a
    framework's key, "da-nfa-review") found, saying where."""
    accounts = [_whole_word(name) for name in account_names]
    code_words = [(code, _whole_word(code)) for code in codes]
    found: list[str] = []
    for item in texts:
        words = NOT_AN_IDENTIFIER.sub(" ", item.text)
        found += [f"{item.where}: {match!r} in {item.text!r}" for match in SNAKE_CASE.findall(words)]
        found += [f"{item.where}: account name in {item.text!r}"
                  for account in accounts if account.search(item.text)]
        found += [f"{item.where}: code {code!r} in {item.text!r}"
                  for code, pattern in code_words if pattern.search(words)]
    return found


def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


def visible_texts(root: QWidget) -> list[Text]:
    """The text of `root` and every widget under it that is shown, or would be were its
    page the current one (a stacked page or tab that is not current is read too)."""
    texts: list[Text] = []
    waiting = [root]
    while waiting:
        widget = waiting.pop()
        texts += _texts_of(widget)
        waiting += [child for child in widget.findChildren(QWidget, options=DIRECT)
                    if not child.isWindow() and _shown(child)]
    return [text for text in texts if text.text.strip()]


def _shown(widget: QWidget) -> bool:
    """Not hidden, or hidden only because it is a page of a stack that is not current."""
    return not widget.isHidden() or isinstance(widget.parentWidget(), QStackedWidget)


def _texts_of(widget: QWidget) -> Iterator[Text]:
    name = f"{type(widget).__name__}({widget.objectName() or widget.accessibleName()})"
    if widget.isWindow():
        yield Text(f"{name} title", widget.windowTitle())
    yield Text(f"{name} tooltip", widget.toolTip())
    yield Text(f"{name} accessible name", widget.accessibleName())
    if isinstance(widget, QLabel):
        yield Text(name, _plain(widget.text()))
    elif isinstance(widget, QAbstractButton):
        yield Text(name, widget.text())
    elif isinstance(widget, QGroupBox):
        yield Text(name, widget.title())
    elif isinstance(widget, QLineEdit) and not _expression_example(widget.placeholderText()):
        yield Text(f"{name} placeholder", widget.placeholderText())
    elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
        yield Text(name, widget.toPlainText())
        yield Text(f"{name} placeholder", widget.placeholderText())
    if isinstance(widget, QTabWidget):
        for index in range(widget.count()):
            yield Text(f"{name} tab", widget.tabText(index))
            yield Text(f"{name} tab tooltip", widget.tabToolTip(index))
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            yield Text(f"{name} tab", widget.tabText(index))
    if isinstance(widget, QComboBox):
        for index in range(widget.count()):
            yield Text(f"{name} item", widget.itemText(index))
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView) \
            and widget.model() is not None:  # a header's model is its table's, read there
        yield from _model_texts(widget.model(), name, tree=isinstance(widget, QTreeView))


def _model_texts(model: QAbstractItemModel, name: str, *, tree: bool,
                 parent: QModelIndex | None = None) -> Iterator[Text]:
    parent = parent or QModelIndex()
    # A list model's column count is private to Qt: it has one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    if not parent.isValid():
        for orientation, count in ((Qt.Orientation.Horizontal, columns),
                                   (Qt.Orientation.Vertical, min(model.rowCount(), MAX_ROWS))):
            for section in range(count):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    yield Text(f"{name} header", _str(model.headerData(section, orientation, role)))
    for row in range(min(model.rowCount(parent), MAX_ROWS)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                yield Text(f"{name} cell {row},{column}", _str(model.data(index, role)))
            if tree and column == 0 and model.rowCount(index):
                yield from _model_texts(model, name, tree=tree, parent=index)


def _expression_example(placeholder: str) -> bool:
    """An example of the condition language in the box where an expression is typed (the
    advanced option beside the pick-lists): field keys are that language's words."""
    return "e.g." in placeholder and ("==" in placeholder or " in (" in placeholder)


def _str(value: object) -> str:
    return "" if value is None else str(value)


def _plain(text: str) -> str:
    """Rich text without its markup (a tag or an attribute is not read by a person)."""
    return re.sub(r"<[^>]*>", " ", text) if "<" in text else text
