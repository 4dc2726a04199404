"""Training with each shipped calibration set: the dialog offers them all, and a member
completes a round of the rape framework's set as they would the domestic abuse one."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer
from audit_app.services import training
from audit_app.services.database import Database
from audit_app.ui.operations import wait_for_writes
from audit_app.ui.training_dialog import NOT_ANSWERED, TrainingDialog

MEMBER = "Nia Lay Member"
RAPE = "rape-nfa-review@2"  # the newest version's set


def test_a_member_picks_the_rape_set_and_completes_a_round(qtbot: QtBot,
                                                           sqlite_db: Database) -> None:
    dialog = TrainingDialog(sqlite_db, MEMBER)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.cases.count() >= 8, timeout=10_000)
    offered = [dialog.sets.itemData(i) for i in range(dialog.sets.count())]
    assert offered[0] == "da-nfa-review@3" and RAPE in offered   # the default stays first
    dialog.sets.setCurrentIndex(dialog.sets.findData(RAPE))
    qtbot.waitUntil(lambda: "TRAINING-R01" in dialog.cases.item(0).text()
                    if dialog.cases.count() else False, timeout=10_000)
    key = training.open_training(sqlite_db, member=MEMBER, framework_ref=RAPE).calibration
    assert dialog.cases.count() == len(key.cases) >= 8
    differ = ("TRAINING-R03", "4.3")       # one deliberate difference
    for row, case in enumerate(key.cases):
        dialog.cases.setCurrentRow(row)
        assert case.reference in dialog.summary.toPlainText()
        for code, keyed in case.key.items():
            picker = dialog.pickers[code]
            assert picker.currentText() == NOT_ANSWERED
            wanted = Answer.PARTLY_MET if (case.reference, code) == differ else keyed.answer
            picker.setCurrentIndex(picker.findData(wanted.value))
        assert f"({len(case.key)} of {len(case.key)})" in dialog.cases.item(row).text()
    wait_for_writes()  # answers are saved in order by the serial writer
    stored = training.training_result(sqlite_db, member=MEMBER, framework_ref=RAPE)
    assert stored.finished and len(stored.differences) == 1
    # The domestic abuse set is untouched by the rape round.
    assert training.training_result(sqlite_db, member=MEMBER,
                                    framework_ref="da-nfa-review@3").answered == 0
    dialog.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "answers agree" in dialog.results.toPlainText(), timeout=10_000)
    text = dialog.results.toPlainText()
    assert f"{stored.keyed - 1} of {stored.keyed} answers agree with the key" in text
    assert "TRAINING-R03 4.3: you said Partly met; the key says Not met" in text
