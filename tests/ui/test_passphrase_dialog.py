"""The package passphrase dialog: hidden echo, a Show toggle, typed twice when set."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from audit_app.ui.passphrase_dialog import PassphraseDialog


def _dialog(qtbot: QtBot, *, new: bool) -> PassphraseDialog:
    dialog = PassphraseDialog(new=new, purpose="Set this audit's package passphrase.")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_new_passphrase_must_be_long_enough_and_typed_twice(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, new=True)
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.confirm.isVisible() and dialog.confirm.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(dialog.passphrase, "too short")
    qtbot.keyClicks(dialog.confirm, "too short")
    dialog.accept()
    assert dialog.isVisible() and "at least 10 characters" in dialog.problem.text()
    qtbot.keyClicks(dialog.passphrase, " but now long")
    dialog.accept()
    assert dialog.isVisible() and "not the same" in dialog.problem.text()
    qtbot.keyClicks(dialog.confirm, " but now long")
    dialog.accept()
    assert not dialog.isVisible() and dialog.result() == PassphraseDialog.DialogCode.Accepted
    assert dialog.text() == "too short but now long"


def test_show_toggles_echo_and_the_help_says_another_route(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, new=True)
    dialog.show_text.click()
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Normal
    assert dialog.confirm.echoMode() == QLineEdit.EchoMode.Normal
    dialog.show_text.setChecked(False)
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Password
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.problem)))
    assert "phone call" in texts and "never with the package" in texts


def test_entering_an_existing_passphrase_asks_once(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, new=False)
    assert not dialog.confirm.isVisible()
    dialog.accept()
    assert dialog.isVisible() and dialog.problem.text() == "Type the passphrase"
    qtbot.keyClicks(dialog.passphrase, "short")  # any length: an old one may be shorter
    dialog.accept()
    assert not dialog.isVisible() and dialog.text() == "short"
