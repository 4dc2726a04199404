"""The "Reviewing as…" control: who is scoring on this laptop, remembered in QSettings."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from audit_app.services.database import Database, name_actor
from audit_app.services.scoring import list_reviewers
from audit_app.ui import settings


class ReviewerControl(QWidget):
    """Shows the current reviewer; the button asks for a name (existing ones offered)."""

    reviewer_changed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.label = QLabel()
        self.button = QPushButton("Reviewing as…")
        self.button.setObjectName("statusButton")
        self.button.setAccessibleName("Choose who is reviewing")
        self.button.setFlat(True)
        self.button.clicked.connect(self.ask)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._name = settings.REVIEWER_NAME.read()
        name_actor(self._name)  # every change the app makes is by this member
        self._show()

    @property
    def name(self) -> str:
        return self._name

    def set_name(self, name: str) -> None:
        name = " ".join(name.split())
        if name == self._name:
            return
        self._name = name
        name_actor(name)
        settings.REVIEWER_NAME.write(name)
        self._show()
        self.reviewer_changed.emit(name)

    def _show(self) -> None:
        self.label.setText(f"Reviewing as: {self._name}" if self._name else "No reviewer chosen")
        self.button.setText("Change…" if self._name else "Reviewing as…")

    def ask(self) -> None:
        names = [reviewer.name for reviewer in list_reviewers(self._db)]
        if self._name and self._name not in names:
            names.insert(0, self._name)
        current = names.index(self._name) if self._name in names else 0
        name, ok = QInputDialog.getItem(self, "Reviewing as", "Your name as it should appear on "
                                        "your scores:", names or [""], current, True)
        if ok and name.strip():
            self.set_name(name)
