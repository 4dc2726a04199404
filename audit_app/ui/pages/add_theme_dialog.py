"""Themes tab > Add theme…: the panel adds a learning theme of its own (its name and what it
covers), kept in the data folder beside the shipped list, as `audit-app theme add` does.
Saved in the background; a name already in use is refused plainly and the dialog stays."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.themes import Theme
from audit_app.services.theme_taxonomy import add_theme
from audit_app.ui.errors import report_error
from audit_app.ui.operations import ChangeOp, Changes, TaskControl


class AddThemeDialog(QDialog):
    """`added` holds the new theme once saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a theme")
        self.setMinimumWidth(440)
        self.added: Theme | None = None
        intro = QLabel("A theme of your panel's own, beside the ones the app comes with. "
                       "It can be chosen for learning points, good practice and actions "
                       "from now on, on this computer.")
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setAccessibleName("Name of the theme")
        self.name.setPlaceholderText("e.g. Interpreters and language needs")
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("What the theme covers")
        self.description.setPlaceholderText("Optional")
        self.description.setTabChangesFocus(True)  # Tab moves on, as in every other box
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 3 + 16)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("&Name:", self.name)
        form.addRow("&What it covers:", self.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)  # until there is a name
        self.name.textChanged.connect(
            lambda text: self.save_button.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        name, description = self.name.text(), self.description.toPlainText()

        def save(_control: TaskControl) -> Theme:
            return add_theme(name=name, description=description)

        self.save_button.setEnabled(False)  # one save at a time
        # Any audit's Themes tab may list it: every page that counts themes reads again.
        ChangeOp(self, save, Changes()).success(self._saved).failure(self._not_saved).run()

    def _saved(self, theme: Theme) -> None:
        self.added = theme
        self.save_button.setEnabled(True)
        super().accept()

    def _not_saved(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        report_error(self, error)  # plain words for a UserError: the name is taken
