"""The Findings page's comparison names the earlier criteria it leaves out, in plain words:
the earlier code, the question the earlier audit asked, and why (the shipped mapping's
reason), as the command line and the workbook do."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from audit_app.services.comparison import compare_audits
from audit_app.services.database import Database
from audit_app.ui.pages.comparison_panel import ComparisonPanel
from tests.helpers.accessibility import naming_problems
from tests.helpers.audits import build_audit
from tests.helpers.visible_text import internal_names, visible_texts


def _words(text: str) -> str:
    return " ".join(text.split())


def _panel_comparing(qtbot: QtBot, db: Database, audit_id: int, earlier_id: int
                     ) -> ComparisonPanel:
    panel = ComparisonPanel(db)
    qtbot.addWidget(panel)
    panel.resize(1280, 600)
    panel.show()
    panel.set_audit(audit_id)
    qtbot.waitUntil(lambda: panel.audit_choice.findData(earlier_id) > 0 and panel._task is None)
    with qtbot.waitSignal(panel.comparison_shown):
        panel.audit_choice.setCurrentIndex(panel.audit_choice.findData(earlier_id))
    return panel


def test_the_split_criteria_are_listed_with_their_question_and_why(
        qtbot: QtBot, sqlite_db: Database) -> None:
    earlier = build_audit(sqlite_db, framework_ref="rape-nfa-review@1", scored_criteria=0)
    later = build_audit(sqlite_db, framework_ref="rape-nfa-review@2", scored_criteria=0)
    panel = _panel_comparing(qtbot, sqlite_db, later.audit_id, earlier.audit_id)
    expected = compare_audits(sqlite_db, audit_id=later.audit_id,
                              earlier_audit_id=earlier.audit_id)
    assert [code for code, _ in expected.not_compared] == ["3.1", "3.4"]
    assert panel.not_compared.isVisible()
    text = _words(panel.not_compared.toPlainText())
    assert text.startswith("Not compared: 2 earlier criteria, changed in the framework's new "
                           "version")
    questions = dict(expected.earlier_questions)
    for code, why in expected.not_compared:
        assert f"{code} \u201c{_words(questions[code])}\u201d {why}" in text
    assert "and was it reviewed on time?" in text  # the earlier audit's own question
    assert internal_names(visible_texts(panel), codes=["rape-nfa-review"]) == []
    assert naming_problems(panel, "Comparison") == []

    panel.audit_choice.setCurrentIndex(0)  # nothing chosen: nothing listed
    assert not panel.not_compared.isVisible() and panel.not_compared.toPlainText() == ""


def test_nothing_is_listed_when_every_criterion_is_compared(
        qtbot: QtBot, sqlite_db: Database) -> None:
    earlier = build_audit(sqlite_db, framework_ref="rape-nfa-review@2", scored_criteria=0)
    later = build_audit(sqlite_db, framework_ref="rape-nfa-review@2", scored_criteria=0)
    panel = _panel_comparing(qtbot, sqlite_db, later.audit_id, earlier.audit_id)
    assert panel.comparison is not None and panel.comparison.not_compared == ()
    assert not panel.not_compared.isVisible()
    assert panel.model.rowCount() == len(panel.comparison.rows) > 0
