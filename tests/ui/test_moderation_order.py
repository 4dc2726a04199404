"""Moderation puts disagreements first and says so in words, with room for a rationale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer, Verdict
from audit_app.services import moderation, scoring
from audit_app.services.database import Database
from audit_app.ui.review.moderation_panel import DISAGREE_BACKGROUND, ModerationPanel
from audit_app.ui.review.moderation_table import TO_AGREE
from tests.helpers.review_audits import build_review_audit
from tests.helpers.review_page import wait_for_moderation

FIRST, SECOND, CHAIR = "Alex Morgan", "Sam Patel", "Chris Chair"
SAME = {"A1": Answer.MET, "A2": Answer.MET, "A3": Answer.MET, "B1": Answer.MET,
        "B2": Answer.MET}


def complete(db: Database, audit_id: int, case_id: int, reviewer: str,
             answers: dict[str, Answer]) -> None:
    for code, value in answers.items():
        scoring.record_answer(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                              criterion_code=code, value=value, note="on file")
    scoring.set_case_details(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                             verdict=Verdict.APPROPRIATE)
    scoring.complete_review(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer)


def codes(panel: ModerationPanel) -> list[str]:
    return [panel.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            for row in range(panel.table.rowCount())]


def test_disagreements_come_first_marked_in_words_with_plain_counts(
        qtbot: QtBot, db: Database) -> None:
    built = build_review_audit(db)
    case_id = built.case_ids[0]
    complete(db, built.audit_id, case_id, FIRST, SAME)
    complete(db, built.audit_id, case_id, SECOND,
             {**SAME, "A3": Answer.NOT_MET, "B1": Answer.PARTLY_MET})
    scoring.add_reviewer(db, name=CHAIR, is_chair=True)
    moderation.reveal_case(db, audit_id=built.audit_id, case_id=case_id, chair=CHAIR)
    panel = ModerationPanel(db)
    qtbot.addWidget(panel)
    panel.set_viewer(CHAIR)
    panel.resize(900, 600)
    panel.show()
    panel.show_case(built.audit_id, case_id)
    wait_for_moderation(qtbot, panel)

    assert codes(panel) == ["A3", "B1", "A1", "A2", "B2"]
    assert panel.state.text() == ("2 members scored this case · 2 disagreements awaiting an "
                                  "agreed answer, listed first")
    last = panel.table.columnCount() - 1
    for row in (0, 1):  # not colour alone: a sign, a word and the colour
        assert panel.table.item(row, 0).text().startswith("≠")
        assert panel.table.item(row, last).text() == TO_AGREE
        assert panel.table.item(row, 1).background().color().name() == DISAGREE_BACKGROUND
    for row in (2, 3, 4):
        assert panel.table.item(row, last).text() == ""
        assert not panel.table.item(row, 0).text().startswith("≠")
    question = next(c.question for c in panel.current.criteria if c.code == "A3")
    assert panel.table.item(0, 1).text() == question  # the whole question, wrapped
    assert panel.table.wordWrap()
    assert panel.table.currentRow() == 0 and question in panel.editor_title.text()

    moderation.record_consensus(db, audit_id=built.audit_id, case_id=case_id, chair=CHAIR,
                                criterion_code="A3", value=Answer.PARTLY_MET,
                                rationale="Checked late but checked")
    panel.refresh()
    wait_for_moderation(qtbot, panel)
    assert codes(panel) == ["B1", "A3", "A1", "A2", "B2"]  # still to agree, then agreed
    assert panel.state.text().startswith("2 members scored this case · 1 disagreement awaiting")
    assert panel.table.item(1, last).text() == "Partly met"
    assert panel.table.currentRow() == 1  # the chair's row stays selected as it moves


def test_the_rationale_has_room_for_more_than_one_line(qtbot: QtBot, db: Database) -> None:
    panel = ModerationPanel(db)
    qtbot.addWidget(panel)
    panel.show()
    box = panel.agreed_rationale
    assert box.minimumHeight() >= 2 * box.fontMetrics().lineSpacing()
    qtbot.keyClicks(box, "First reason")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "second reason")
    assert box.text() == "First reason\nsecond reason"
    with qtbot.waitSignal(box.returnPressed):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.text() == "First reason\nsecond reason"  # Enter records; it adds no line


def test_one_other_member_is_singular(qtbot: QtBot, db: Database) -> None:
    built = build_review_audit(db)
    case_id = built.case_ids[0]
    complete(db, built.audit_id, case_id, FIRST, SAME)
    panel = ModerationPanel(db)
    qtbot.addWidget(panel)
    panel.set_viewer(SECOND)
    panel.show()
    panel.show_case(built.audit_id, case_id)
    wait_for_moderation(qtbot, panel)
    assert panel.state.text().startswith("Scoring is blind. 1 other member has scored this case")
