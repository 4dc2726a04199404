"""Who is scoring on this laptop: the status-bar control and the "Who is scoring?" dialog.

The name is remembered in QSettings (`settings.REVIEWER_NAME`). It goes on every score and
in the change log, so it is asked for on first use with a word on why it matters.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.services.database import Database, name_actor
from audit_app.services.scoring import list_reviewers
from audit_app.ui import settings

WHY_IT_MATTERS = (
    "Your name goes on every score you give and in the case's change log, so the panel "
    "can see who said what. Each member scores on their own first, without seeing the "
    "others' answers; the panel then agrees the final answer together.")


def tidy(name: str) -> str:
    return " ".join(name.split())


class ReviewerDialog(QDialog):
    """Pick a panel member already known to the database, or type a new name."""

    def __init__(self, names: list[str], current: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewerDialog")
        self.setWindowTitle("Who is scoring?")
        self.setMinimumWidth(460)
        heading = QLabel("Who is scoring on this computer?")
        heading.setObjectName("dialogHeading")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        why = QLabel(WHY_IT_MATTERS)
        why.setWordWrap(True)
        self.members = QListWidget()
        self.members.setAccessibleName("Panel members already scoring")
        for name in names:
            QListWidgetItem(name, self.members)
        self.members.setVisible(bool(names))
        rows = max(1, min(len(names), 6))  # room for the names there are, up to six
        self.members.setMaximumHeight(rows * self.members.sizeHintForRow(0) + 12
                                      if names else 0)
        self.members.currentTextChanged.connect(self._picked)
        self.members.itemActivated.connect(lambda _item: self.accept())
        members_label = QLabel("&Choose your name:" if names else "")
        members_label.setBuddy(self.members)
        members_label.setVisible(bool(names))
        self.name_edit = QLineEdit(current)
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("For example, Alex Morgan")
        self.name_edit.textChanged.connect(self._update)
        name_label = QLabel("…or &type your name:" if names else "&Your name:")
        name_label.setBuddy(self.name_edit)
        note = QLabel("You can change this at any time from the status bar (Ctrl+Shift+R).")
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Score as this name")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, why, members_label, self.members, name_label, self.name_edit,
                       note):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        if current in names:
            self.members.setCurrentRow(names.index(current))
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.name_edit.selectAll()
        self._update()

    @property
    def name(self) -> str:
        return tidy(self.name_edit.text())

    def _picked(self, text: str) -> None:
        if text:
            self.name_edit.setText(text)

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.name))
        self.ok_button.setDefault(True)


class ReviewerControl(QWidget):
    """Shows the current reviewer; the button opens the "Who is scoring?" dialog."""

    reviewer_changed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.dialog: ReviewerDialog | None = None
        self.asked_first_use = False  # the first-use question is asked once a session
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
        name = tidy(name)
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

    def member_names(self) -> list[str]:
        names = [reviewer.name for reviewer in list_reviewers(self._db)]
        if self._name and self._name not in names:
            names.insert(0, self._name)
        return names

    def ask(self) -> ReviewerDialog:
        """Open the dialog (window-modal); the name is stored when it is accepted."""
        if self.dialog is not None and self.dialog.isVisible():
            return self.dialog
        parent = self.window() if self.window() is not self else None
        dialog = ReviewerDialog(self.member_names(), self._name, parent)
        dialog.accepted.connect(lambda: self.set_name(dialog.name) if dialog.name else None)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_if_unset(self) -> ReviewerDialog | None:
        """On first use: ask who is scoring when nobody is chosen yet, once a session."""
        if self._name or self.asked_first_use:
            return None
        self.asked_first_use = True
        return self.ask()
