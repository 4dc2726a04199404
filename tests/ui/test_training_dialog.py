"""A new member completes a calibration round in the app and sees where they differ."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QComboBox, QLabel
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer
from audit_app.services import training
from audit_app.services.database import Database
from audit_app.ui.operations import wait_for_writes
from audit_app.ui.training_dialog import NOT_ANSWERED, TrainingDialog

MEMBER = "Nia Lay Member"
SET = "da-nfa-review@3"


def _open(qtbot: QtBot, db: Database) -> TrainingDialog:
    dialog = TrainingDialog(db, MEMBER)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.cases.count() >= 8, timeout=10_000)
    return dialog


def test_a_member_scores_every_case_and_compares(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _open(qtbot, sqlite_db)
    key = training.open_training(sqlite_db, member=MEMBER, framework_ref=SET).calibration
    for row, case in enumerate(key.cases):
        dialog.cases.setCurrentRow(row)
        assert case.reference in dialog.summary.toPlainText()
        for code, keyed in case.key.items():
            picker: QComboBox = dialog.pickers[code]
            assert picker.currentText() == NOT_ANSWERED
            # One deliberate difference: the thin file pack's DASH "not evidenced".
            wanted = (Answer.NOT_EVIDENCED if (case.reference, code) == ("TRAINING-05", "3.1")
                      else keyed.answer)
            picker.setCurrentIndex(picker.findData(wanted.value))
        assert f"({len(case.key)} of {len(case.key)})" in dialog.cases.item(row).text()
    wait_for_writes()  # answers are saved in order by the serial writer
    stored = training.training_result(sqlite_db, member=MEMBER, framework_ref=SET)
    assert stored.finished and len(stored.differences) == 1
    dialog.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "answers agree" in dialog.results.toPlainText(), timeout=10_000)
    text = dialog.results.toPlainText()
    assert f"{stored.keyed - 1} of {stored.keyed} answers agree with the key" in text
    assert "TRAINING-05 3.1: you said Not evidenced on file; the key says Not in the file pack" in text


def test_answers_come_back_when_the_dialog_reopens(qtbot: QtBot, sqlite_db: Database) -> None:
    training.record_training_answer(sqlite_db, member=MEMBER, framework_ref=SET,
                                    reference="TRAINING-01", criterion_code="5.3",
                                    value=Answer.NOT_MET)
    dialog = _open(qtbot, sqlite_db)
    assert dialog.pickers["5.3"].currentText() == "Not met"
    assert dialog.cases.item(0).text().startswith("TRAINING-01 (1 of 10)")
    labels = [label.text() for label in dialog.criteria_box.widget().findChildren(QLabel)]
    assert any("5.3" in text and "rationale" in text for text in labels)
    dialog.pickers["5.3"].setCurrentIndex(0)  # back to "not answered" clears it
    wait_for_writes()
    assert training.training_result(sqlite_db, member=MEMBER, framework_ref=SET).answered == 0


def test_training_answers_are_saved_off_the_gui_thread(qtbot: QtBot, sqlite_db: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each answer goes to the serial writer: the GUI thread never waits on the database."""
    threads: list[threading.Thread] = []
    real_record = training.record_training_answer

    def recording(*args: object, **kwargs: object) -> None:  # the real write, thread noted
        threads.append(threading.current_thread())
        real_record(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(training, "record_training_answer", recording)
    dialog = _open(qtbot, sqlite_db)
    dialog.pickers["5.3"].setCurrentIndex(dialog.pickers["5.3"].findData(Answer.NOT_MET.value))
    qtbot.waitUntil(lambda: len(threads) == 1)
    wait_for_writes()
    assert threads[0] is not threading.main_thread()
    stored = training.open_training(sqlite_db, member=MEMBER, framework_ref=SET)
    assert stored.answers[("TRAINING-01", "5.3")][0] == Answer.NOT_MET
