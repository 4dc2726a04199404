"""The demo is true to itself: every review's answers fit its case's extract, learning follows
the shortfalls found, praise only for what the file shows; and the full demo (two audits)
shows the panel's whole record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from audit_app.core.answers import Answer, ReviewKind, Verdict
from audit_app.core.consistency_checks import EXTRACT_CHECKS
from audit_app.core.demo_rules import LEARNING, demo_problems, outcome_contradicts
from audit_app.db.models import (
    AnswerRecord,
    CaseRecord,
    CriterionRecord,
    LearningTagRecord,
    ReviewRecord,
)
from audit_app.services import (
    actions,
    escalations,
    information_requests,
    meetings,
    themes,
)
from audit_app.services.audits import audit_standing, list_audits
from audit_app.services.cases import case_fields
from audit_app.services.consistency_checks import checks_by_case
from audit_app.services.database import Database, open_database
from audit_app.services.demo import create_demo, demo_themes


def _problems(db: Database, audit_id: int) -> list[str]:
    """Every inconsistency in every review of the audit, named by case and review."""
    theme_of = demo_themes()
    with db.reading() as session:
        reviews = list(session.scalars(select(ReviewRecord).where(
            ReviewRecord.audit_id == audit_id)))
        answers: dict[int, dict[str, Answer]] = defaultdict(dict)
        for review_id, code, value in session.execute(
                select(AnswerRecord.review_id, CriterionRecord.code, AnswerRecord.value)
                .join(CriterionRecord, AnswerRecord.criterion_id == CriterionRecord.id)
                .join(ReviewRecord, AnswerRecord.review_id == ReviewRecord.id)
                .where(ReviewRecord.audit_id == audit_id)):
            answers[review_id][code] = Answer(value)
        tags: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for review_id, kind, key in session.execute(
                select(LearningTagRecord.review_id, LearningTagRecord.kind,
                       LearningTagRecord.theme_key).join(ReviewRecord)
                .where(ReviewRecord.audit_id == audit_id)):
            tags[review_id][kind].add(key)
        fields = {review.case_id: case_fields(session.get(CaseRecord, review.case_id))
                  for review in reviews}
    problems = []
    for review in reviews:
        found = demo_problems(fields[review.case_id], answers[review.id],
                              review.learning_points or "", review.good_practice or "",
                              theme_of, tags[review.id] if tags else None)
        problems += [f"case {review.case_id} ({review.kind}): {p}" for p in found]
    return problems


def _assert_consistent(db: Database, audit_id: int) -> None:
    assert _problems(db, audit_id) == []
    flags = [flag for found in checks_by_case(db, audit_id=audit_id).values() for flag in found]
    assert all(flag.kind in EXTRACT_CHECKS for flag in flags), flags


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=1, max_value=10_000))
def test_demo_reviews_fit_their_extract_for_any_seed(tmp_path_factory: pytest.TempPathFactory,
                                                     seed: int) -> None:
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    try:
        audit = create_demo(db, seed=seed, population=150, sample_size=12)
        _assert_consistent(db, audit.id)
    finally:
        db.close()


def test_the_rules_catch_what_they_forbid() -> None:
    """The check itself fails on praise for a MARAC referral that was never made, an outcome
    code scored correct against the extract, and supervision not met without its learning."""
    theme_of = demo_themes()
    no_referral = {"marac_referral": False, "risk_level": "high", "outcome_code": 16,
                   "victim_supports": "yes", "suspect_name": "Sam Testperson"}
    assert outcome_contradicts(no_referral)
    problems = demo_problems(
        no_referral, {"3.2": Answer.MET, "5.4": Answer.MET, "5.2": Answer.NOT_MET},
        LEARNING["evidence-gathering"], "Thorough DASH with a clear MARAC referral the same day.",
        theme_of)
    assert any("3.2" in p for p in problems) and any("5.4" in p for p in problems)
    assert "supervision not met but no supervision learning" in problems
    assert "good practice the answers or the extract do not show" in problems
    assert "learning on evidence-gathering without a shortfall there" in problems


@pytest.fixture(scope="module")
def full_demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = open_database(Path(tmp_path_factory.mktemp("full")) / "demo.sqlite3")
    audit = create_demo(db, seed=2026, population=600, sample_size=20, with_history=True)
    yield db, audit
    db.close()


def test_full_demo_is_consistent_in_both_audits(full_demo: Any) -> None:
    db, audit = full_demo
    audits = list_audits(db)
    assert [a.id for a in audits] == [audit.id, audit.id - 1]  # this quarter listed first
    for each in audits:
        _assert_consistent(db, each.id)
    assert audit_standing(db, audit_id=audit.id - 1).status == "closed"


def test_full_demo_shows_the_panels_record(full_demo: Any) -> None:
    db, audit = full_demo
    today = dt.date.today()
    carried = information_requests.carried_cases(db, audit_id=audit.id)
    assert len(carried) == 1 and not carried[0].is_settled and carried[0].answerer
    listed = escalations.list_escalations(db, audit_id=audit.id)
    assert [row.standing(today) for row in listed] == ["Overdue", "Closed"]
    assert listed[1].response
    register = actions.list_actions(db, audit_id=audit.id)
    assert [row.is_overdue(today) for row in register][:2] == [True, True]
    assert any(row.brought_forward_from and row.response for row in register)
    assert all(row.agency for row in register)
    assert any(row.is_open and not row.is_overdue(today) for row in register)
    (meeting,) = meetings.list_meetings(db, audit_id=audit.id)
    detail = meetings.get_meeting(db, meeting_id=meeting.meeting_id)
    assert {(row.present, row.guest) for row in detail.attendance} == {
        (True, False), (False, False), (True, True)}
    assert len(detail.declarations) == 1
    agreed = _agreed(db, audit.id)
    dissents = [d for case_id in agreed for d in meetings.list_dissents(
        db, audit_id=audit.id, case_id=case_id)]
    assert len(agreed) >= 4 and len(dissents) == 1
    names, trends = themes.theme_trend(db, audit_id=audit.id)
    assert len(names) == 2
    assert all(sum(trend.per_audit[i] for trend in trends) > 0 for i in (0, 1))
    assert themes.good_practice_to_share(db, audit_id=audit.id)
    with db.reading() as session:
        assert session.scalar(select(ReviewRecord.id).where(
            ReviewRecord.audit_id == audit.id, ReviewRecord.withdrawal_stage.is_not(None)))
        earlier_verdicts = set(session.scalars(select(ReviewRecord.verdict).where(
            ReviewRecord.audit_id == audit.id - 1, ReviewRecord.kind == ReviewKind.CONSENSUS)))
    assert Verdict.MORE_INFORMATION.value in earlier_verdicts


def _agreed(db: Database, audit_id: int) -> list[int]:
    with db.reading() as session:
        return list(session.scalars(select(ReviewRecord.case_id).where(
            ReviewRecord.audit_id == audit_id, ReviewRecord.kind == ReviewKind.CONSENSUS)))
