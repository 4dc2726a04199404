"""The condition row's values: a button that opens a checkable list of a field's values,
with a box to find a value or to add one the list does not hold."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from audit_app.core.case_fields import FIELDS_BY_KEY, FieldKind
from audit_app.core.condition_rows import value_label
from audit_app.services.field_values import FieldValue

_VALUE = Qt.ItemDataRole.UserRole


def _typed_entry(field: str, text: str) -> Any:
    """A value typed into the find box, as the field holds it (a number for outcome codes)."""
    text = text.strip()
    if FIELDS_BY_KEY[field].kind is FieldKind.INTEGER:
        try:
            return int(text)
        except ValueError:
            return None
    return text or None


class ValuePicker(QPushButton):
    """A button that opens a checkable list of a field's values; it shows what is picked."""

    picked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("text-align: left")  # reads like the combo boxes beside it
        self.setAccessibleName("Values")
        self.field = ""
        self._chosen: list[Any] = []  # in the order picked, so an unchanged rule reads the same
        panel = QWidget()
        self.find_edit = QLineEdit()
        self.find_edit.setAccessibleName("Find a value")
        self.find_edit.setPlaceholderText("Find a value, or type one and press Enter")
        self.find_edit.textChanged.connect(self._filter)
        self.find_edit.returnPressed.connect(self._add_typed)
        self.list = QListWidget()
        self.list.setAccessibleName("Values to pick")
        self.list.setMinimumSize(420, 240)
        self.list.itemChanged.connect(self._item_changed)
        box = QVBoxLayout(panel)
        box.addWidget(self.find_edit)
        box.addWidget(self.list)
        action = QWidgetAction(self)
        action.setDefaultWidget(panel)
        menu = QMenu(self)
        menu.addAction(action)
        menu.aboutToShow.connect(self.find_edit.setFocus)
        self.setMenu(menu)
        self._show_summary()

    def set_values(self, field: str, values: list[FieldValue], chosen: tuple[Any, ...]) -> None:
        """Fill the list; values already chosen but not in it are listed too, ticked."""
        self.field = field
        self._chosen = list(chosen)
        self.list.blockSignals(True)
        self.list.clear()
        listed = set()
        for value in values:
            self._add_item(value.value, value.text)
            listed.add(value.value)
        for value in chosen:
            if value not in listed:
                self._add_item(value, value_label(field, value))
        self.list.blockSignals(False)
        widest = max((self.list.fontMetrics().horizontalAdvance(self.list.item(row).text())
                      for row in range(self.list.count())), default=0)
        self.list.setMinimumWidth(min(max(420, widest + 60), 760))
        self._show_summary()

    def _add_item(self, value: Any, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(_VALUE, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if value in self._chosen
                           else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def chosen(self) -> tuple[Any, ...]:
        return tuple(self._chosen)

    def check(self, value: Any, checked: bool = True) -> None:
        """Tick (or untick) a listed value, as a click would."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(_VALUE) == value:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _item_changed(self, item: QListWidgetItem) -> None:
        value = item.data(_VALUE)
        if item.checkState() == Qt.CheckState.Checked and value not in self._chosen:
            self._chosen.append(value)
        elif item.checkState() != Qt.CheckState.Checked and value in self._chosen:
            self._chosen.remove(value)
        self._show_summary()
        self.picked.emit()

    def _filter(self, text: str) -> None:
        wanted = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(wanted) and wanted not in item.text().lower())

    def _add_typed(self) -> None:
        value = _typed_entry(self.field, self.find_edit.text()) if self.field else None
        if value is None:
            return
        for row in range(self.list.count()):
            if self.list.item(row).data(_VALUE) == value:
                self.list.item(row).setCheckState(Qt.CheckState.Checked)
                break
        else:
            self._add_item(value, value_label(self.field, value)).setCheckState(
                Qt.CheckState.Checked)
        self.find_edit.clear()

    def _show_summary(self) -> None:
        labels = [value_label(self.field, v) for v in self._chosen] if self.field else []
        if not labels:
            text = "Choose values…"
        elif len(labels) == 1:
            text = labels[0]
        else:
            text = f"{len(labels)} values: {', '.join(labels)}"
        self.setToolTip("\n".join(labels) or "Pick the values to test for")
        width = max(120, self.width() - 40)  # room for the drop-down arrow
        self.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._show_summary()
