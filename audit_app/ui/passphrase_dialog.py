"""Asking for an audit's package passphrase: hidden as it is typed, with a Show toggle, and
typed twice when it is being set. The rules (length) live in `services.package_keys`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from audit_app.services.package_keys import MIN_PASSPHRASE_LENGTH, passphrase_problem

HELP_NEW = (
    "Members need it to open their package and to send their scores back. Give it to them "
    "by another route, such as a phone call, never with the package or in the same email. "
    f"Use at least {MIN_PASSPHRASE_LENGTH} characters: a short sentence is easy to say and "
    "hard to guess. Only a check of it is kept, not the passphrase.")
HELP_ENTER = ("The passphrase the chair set for this audit's review packages. It reaches "
              "members by another route, such as a phone call, never with the package.")


class PassphraseDialog(QDialog):
    """The package passphrase: `new` when this sets the audit's passphrase."""

    def __init__(self, parent: QWidget | None = None, *, new: bool, purpose: str) -> None:
        super().__init__(parent)
        self.new = new
        self.setWindowTitle("Set the package passphrase" if new else "Package passphrase")
        self.setMinimumWidth(460)
        intro = QLabel(purpose)
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Package passphrase")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Package passphrase again")
        self.show_text = QCheckBox("&Show the passphrase")
        self.show_text.toggled.connect(self._show)
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        if new:
            form.addRow("Type it &again:", self.confirm)
        form.addRow(self.show_text)
        self.confirm.setVisible(new)
        advice = QLabel(HELP_NEW if new else HELP_ENTER)
        advice.setWordWrap(True)
        advice.setObjectName("passphraseAdvice")  # not "hint": its padding clips wrapped text
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("problem")
        self.problem.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(advice)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.passphrase.setFocus()

    def _show(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    def text(self) -> str:
        return self.passphrase.text()

    def accept(self) -> None:
        entered = self.text()
        problem = "Type the passphrase" if not entered else None
        if self.new and problem is None:
            problem = passphrase_problem(entered)
            if problem is None and self.confirm.text() != entered:
                problem = "The two passphrases are not the same"
        if problem:
            self.problem.setText(problem)
            self.problem.setVisible(True)
            self.adjustSize()
            return
        super().accept()


def ask_passphrase(parent: QWidget | None, *, new: bool, purpose: str) -> str | None:
    """The passphrase typed, or None if the user cancelled."""
    dialog = PassphraseDialog(parent, new=new, purpose=purpose)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    passphrase = dialog.text() if accepted else None
    dialog.deleteLater()
    return passphrase
