"""A review row offers only its criterion's answers, and says who answers and from what."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer
from audit_app.services.frameworks import builtin_framework_files, read_framework_file
from audit_app.ui.review.criterion_row import CriterionRow


def _row(qtbot: QtBot, code: str) -> CriterionRow:
    path = next(p for p in builtin_framework_files() if p.stem == "da-nfa-review")
    framework = read_framework_file(path)
    row = CriterionRow(framework.criterion(code), framework.scale)
    qtbot.addWidget(row)
    return row


def test_a_yes_no_row_disables_partly_met_and_ignores_its_key(qtbot: QtBot) -> None:
    row = _row(qtbot, "1.8")  # body-worn video handed over in time
    assert not row.buttons[Answer.PARTLY_MET].isEnabled()
    assert row.buttons[Answer.MET].isEnabled()
    assert row.buttons[Answer.NOT_IN_FILE].isEnabled()
    chosen: list[tuple[str, object]] = []
    row.answer_chosen.connect(lambda code, answer: chosen.append((code, answer)))
    qtbot.keyClick(row, Qt.Key.Key_2)
    assert chosen == [] and row.answer is None
    qtbot.keyClick(row, Qt.Key.Key_1)
    assert chosen == [("1.8", Answer.MET)]


def test_the_row_says_who_answers_and_what_the_file_pack_holds(qtbot: QtBot) -> None:
    text = _row(qtbot, "1.8").needs.text()
    assert "Answered by: A police member" in text
    assert "Body-worn video" in text and "body_worn_video" not in text
