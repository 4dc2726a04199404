"""Undo and redo of scoring edits, as a property: any edits, all undone, leave no trace."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from audit_app.core.answers import CLASSIC_SCALE, Answer
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.ui.review.criterion_row import describe_rule, reflow
from audit_app.ui.review.scoring_session import ScoringSession
from tests.helpers.review_audits import ReviewAudit, build_review_audit

REVIEWER = "Alex Morgan"
CODES = ("A1", "A3", "B1")
edits = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(CODES),
                           st.none() | st.sampled_from(CLASSIC_SCALE),  # the default scale
                           st.sampled_from(["", "on file", "not on file"])),
                 min_size=1, max_size=12)


@pytest.fixture
def built(sqlite_db: Database) -> ReviewAudit:
    return build_review_audit(sqlite_db)


def saved(db: Database, built: ReviewAudit) -> dict[tuple[int, str], tuple[Answer, str]]:
    found = {}
    for case_id in built.case_ids[:2]:
        view = scoring.get_review(db, audit_id=built.audit_id, case_id=case_id, reviewer=REVIEWER)
        found.update({(case_id, code): (a.value, a.note) for code, a in view.answers.items()})
    return found


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=edits)
def test_undoing_every_edit_restores_the_database_and_redo_replays_it(
        qtbot: QtBot, sqlite_db: Database, built: ReviewAudit,
        steps: list[tuple[int, str, Answer | None, str]]) -> None:
    session = ScoringSession(sqlite_db)
    session.start(audit_id=built.audit_id, reviewer=REVIEWER)
    start = saved(sqlite_db, built)
    expected = dict(start)
    for case_index, code, answer, note in steps:
        case_id = built.case_ids[case_index]
        old = expected.get((case_id, code), (None, ""))
        new = (answer, note if answer is not None else "")
        session.set_answer(case_id, code, old, new)
        if answer is None:
            expected.pop((case_id, code), None)
        else:
            expected[(case_id, code)] = (answer, note)

    def landed() -> None:  # saved in order, off the GUI thread
        qtbot.waitUntil(lambda: session.saved)

    landed()
    assert saved(sqlite_db, built) == expected
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    landed()
    assert saved(sqlite_db, built) == start
    while session.undo_stack.canRedo():
        session.undo_stack.redo()
    landed()
    assert saved(sqlite_db, built) == expected
    while session.undo_stack.canUndo():  # leave the database as the next example expects
        session.undo_stack.undo()
    landed()


def test_rules_read_with_field_labels() -> None:
    assert describe_rule("outcome_code in (16) and risk_level == 'high'") == \
        "Outcome code in (16) and Risk level == 'high'"


def test_guidance_keeps_its_headings_and_joins_wrapped_lines() -> None:
    text = "Met: the file\nshows it.\nNot met: nothing\nrecorded.\n\nLook for: the log."
    assert reflow(text) == "Met: the file shows it.\nNot met: nothing recorded.\nLook for: the log."
