"""The split criteria on screen: the editor's Compare versions dialog shows each split and
why the compound criterion is not compared, and a review row for each new item offers only
its answers and says who answers it and from what."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer
from audit_app.services.database import Database
from audit_app.services.frameworks import builtin_framework_files, read_framework_file
from audit_app.ui.framework_diff_view import FrameworkDiffDialog
from audit_app.ui.review.criterion_row import CriterionRow
from tests.helpers.accessibility import naming_problems
from tests.helpers.visible_text import internal_names, visible_texts


def _words(text: str) -> str:
    return " ".join(text.split())


def test_compare_versions_shows_the_evidence_led_splits(qtbot: QtBot,
                                                        sqlite_db: Database) -> None:
    dialog = FrameworkDiffDialog(sqlite_db, "evidence-led-review", 4)
    qtbot.addWidget(dialog)
    dialog.show()
    assert (dialog.earlier.currentData(), dialog.later.currentData()) == (3, 4)
    assert dialog.summary.text().startswith("From version 3 to version 4: 5 added, 0 removed, "
                                            "2 reworded")
    text = _words(dialog.browser.toPlainText())
    added = text[text.index("Added (5)"):text.index("Removed (0)")]
    for code in ("1.5", "1.6", "1.7", "1.8", "5.5"):
        assert f" {code} " in added
    reworded = text[text.index("Reworded (2)"):text.index("Re-scaled (")]
    assert "1.2 Is evidence apart from the victim's on file" in reworded
    assert "Not compared: Split into five: the 999 call recording (1.2), body-worn video (1.5)" \
        in reworded
    assert "Not compared: Split into telling the victim of the decision (5.2)" in reworded
    assert internal_names(visible_texts(dialog), codes=["evidence-led-review"]) == []
    assert naming_problems(dialog, "Compare versions") == []

    dialog.earlier.setCurrentIndex(dialog.earlier.findData(1))   # 1 to 4: no mapping ships
    assert "No mapping comes with these versions" in dialog.summary.text()


def _row(qtbot: QtBot, key: str, code: str) -> CriterionRow:
    path = next(p for p in builtin_framework_files() if p.stem == key)
    framework = read_framework_file(path)
    row = CriterionRow(framework.criterion(code), framework.scale)
    qtbot.addWidget(row)
    return row


@pytest.mark.parametrize(("key", "code", "partly", "role", "document"), [
    ("evidence-led-review", "5.5", False, "Any panel member", "Victim contact log"),
    ("evidence-led-review", "1.5", True, "Any panel member", "Body-worn video"),
    ("evidence-led-review", "1.7", True, "A police member", "Witness statements"),
    ("rape-nfa-review", "3.5", True, "A police member", "Digital evidence log"),
    ("rape-nfa-review", "3.6", True, "A police member", "Crime report"),
])
def test_a_new_items_row_offers_its_answers_and_says_who_and_from_what(
        qtbot: QtBot, key: str, code: str, partly: bool, role: str, document: str) -> None:
    row = _row(qtbot, key, code)
    assert row.buttons[Answer.PARTLY_MET].isEnabled() is partly
    assert row.buttons[Answer.MET].isEnabled() and row.buttons[Answer.NOT_IN_FILE].isEnabled()
    text = row.needs.text()
    assert f"Answered by: {role}" in text and document in text and "_" not in text
