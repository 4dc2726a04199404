"""A theme picker beside a learning or good practice box: a checkable list of the themes
(in a drop-down menu, so it takes one line) and the chosen ones named beside it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from audit_app.core.themes import Theme

NO_THEMES = "No themes chosen"


class ThemePicker(QWidget):
    """Emits the chosen theme keys whenever one is ticked or unticked by the user."""

    chosen = Signal(list)

    def __init__(self, what: str, themes: Sequence[Theme], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._loading = False
        self.button = QToolButton()
        self.button.setText("Themes…")
        self.button.setAccessibleName(f"Themes of the {what}")
        self.button.setToolTip(f"Tag the {what} with the themes it concerns")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.menu.setAccessibleName(f"Themes of the {what}")
        self.actions_by_key: dict[str, QAction] = {}
        self.button.setMenu(self.menu)
        self.shown = QLabel(NO_THEMES)
        self.shown.setObjectName("muted")
        self.shown.setWordWrap(True)
        self.shown.setAccessibleName(f"Themes chosen for the {what}")
        self.set_themes(themes)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.shown, 1)

    def set_themes(self, themes: Sequence[Theme]) -> None:
        """The themes offered (a panel may have added one since): the ticks are kept."""
        if [theme.key for theme in themes] == list(self.actions_by_key) and all(
                self.actions_by_key[theme.key].text() == theme.name for theme in themes):
            return
        chosen = self.keys()
        self.menu.clear()
        self.actions_by_key = {}
        for theme in themes:
            action = self.menu.addAction(theme.name)
            action.setCheckable(True)
            action.setToolTip(theme.description)
            self.actions_by_key[theme.key] = action
        self.show_keys(chosen)
        for action in self.actions_by_key.values():  # after: showing the ticks saves nothing
            action.toggled.connect(self._toggled)

    def keys(self) -> list[str]:
        return [key for key, action in self.actions_by_key.items() if action.isChecked()]

    def show_keys(self, keys: Sequence[str]) -> None:
        self._loading = True
        try:
            for key, action in self.actions_by_key.items():
                action.setChecked(key in keys)
        finally:
            self._loading = False
        self._name_chosen()

    def set_key(self, key: str, checked: bool) -> None:
        """As a click on that theme would (for tests and keyboard shortcuts)."""
        self.actions_by_key[key].setChecked(checked)

    def _name_chosen(self) -> None:
        names = [action.text() for action in self.actions_by_key.values() if action.isChecked()]
        self.shown.setText("; ".join(names) if names else NO_THEMES)

    def _toggled(self, _checked: bool) -> None:
        self._name_chosen()
        if not self._loading:
            self.chosen.emit(self.keys())
