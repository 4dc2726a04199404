"""Scoring on a real SQLite file and a real PostgreSQL: commits, change log, completion."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.core.errors import ConflictError, NotFoundError, UserError, ValidationError
from audit_app.db.models import CaseRecord
from audit_app.services import audits, scoring
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework
from tests.helpers.scales import edits_on_scale


@dataclass(frozen=True)
class Scene:
    audit_id: int
    supportive: int   # victim supports, standard risk, interviewed
    withdrawn: int    # victim withdrew, high risk


@pytest.fixture
def scene(db: Database) -> Scene:
    # Version 2, whose rules these tests name (version 3 no longer skips MARAC on the grading).
    audit = audits.create_audit(db, name="DA NFA review", framework="da-nfa-review@2")
    with db.transaction() as session:
        supportive = CaseRecord(audit_id=audit.id, reference="C1", outcome_code=15,
                                risk_level="standard", victim_supports="yes", interviewed=True,
                                elp_flag=False)
        withdrawn = CaseRecord(audit_id=audit.id, reference="C2", outcome_code=16,
                               risk_level="high", victim_supports="withdrawn", interviewed=True,
                               elp_flag=True)
        session.add_all([supportive, withdrawn])
        session.flush()
        ids = supportive.id, withdrawn.id
    return Scene(audit.id, *ids)


def _fresh(db: Database) -> Database:
    """A second connection to the same database, as another laptop or process would have."""
    return open_database(db.url, install_frameworks=False)


def _all_met(db: Database, scene: Scene, case_id: int, reviewer: str) -> int:
    codes = [c.code for c in get_framework(db, "da-nfa-review@2").criteria]
    return scoring.record_answers(db, audit_id=scene.audit_id, case_id=case_id, reviewer=reviewer,
                                  answers={code: (Answer.MET, "") for code in codes})


def test_an_answer_is_committed_and_visible_from_a_fresh_connection(db: Database, scene: Scene) -> None:
    row = scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                reviewer="Ann Lee", criterion_code="1.1", value="partly met",
                                note="History checked after attendance")
    assert row is not None and row.value is Answer.PARTLY_MET and row.entered_by == "Ann Lee"
    other = _fresh(db)
    try:
        view = scoring.get_review(other, audit_id=scene.audit_id, case_id=scene.supportive,
                                  reviewer="Ann Lee")
    finally:
        other.close()
    assert view.status is ReviewStatus.IN_PROGRESS
    assert view.answers["1.1"].value is Answer.PARTLY_MET
    assert view.answers["1.1"].note == "History checked after attendance"


def test_every_change_is_logged_with_who_old_and_new(db: Database, scene: Scene) -> None:
    base = dict(audit_id=scene.audit_id, case_id=scene.supportive, reviewer="Ann Lee",
                criterion_code="2.1")
    scoring.record_answer(db, **base, value=Answer.NOT_MET, note="No call secured")
    scoring.record_answer(db, **base, value=Answer.NOT_MET, note="No call secured")  # no change
    scoring.record_answer(db, **base, value=Answer.MET)  # note kept
    scoring.record_answer(db, **base, value=None)
    scoring.set_case_details(db, audit_id=scene.audit_id, case_id=scene.supportive,
                             reviewer="Ann Lee", verdict="Appropriate with observations",
                             learning_points="Secure the 999 call")
    changes = [(c.actor, c.entity, c.field, c.old_value, c.new_value)
               for c in reversed(list_changes(db, audit_id=scene.audit_id, case_id=scene.supportive))]
    assert changes == [
        ("Ann Lee", "answer", "2.1", None, "not_met"),
        ("Ann Lee", "answer_note", "2.1", "", "No call secured"),
        ("Ann Lee", "answer", "2.1", "not_met", "met"),
        ("Ann Lee", "answer", "2.1", "met", None),
        ("Ann Lee", "review", "verdict", None, "appropriate_with_observations"),
        ("Ann Lee", "review", "learning_points", "", "Secure the 999 call"),
    ]


def test_record_answers_is_one_transaction_with_the_same_log(db: Database, scene: Scene) -> None:
    changed = scoring.record_answers(
        db, audit_id=scene.audit_id, case_id=scene.withdrawn, reviewer="Bo Khan",
        answers={"1.1": (Answer.MET, ""), "1.2": ("not met", "No BWV"), "1.3": (Answer.MET, "")})
    assert changed == 3
    view = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.withdrawn, reviewer="Bo Khan")
    assert {code: a.value for code, a in view.answers.items()} == {
        "1.1": Answer.MET, "1.2": Answer.NOT_MET, "1.3": Answer.MET}
    log = list_changes(db, audit_id=scene.audit_id, case_id=scene.withdrawn)
    assert sorted((c.entity, c.field) for c in log) == [
        ("answer", "1.1"), ("answer", "1.2"), ("answer", "1.3"), ("answer_note", "1.2")]
    # Recording the same again changes nothing and logs nothing.
    again = scoring.record_answers(db, audit_id=scene.audit_id, case_id=scene.withdrawn,
                                   reviewer="Bo Khan", answers={"1.1": (Answer.MET, "")})
    assert again == 0
    assert len(list_changes(db, audit_id=scene.audit_id, case_id=scene.withdrawn)) == 4


def test_record_answers_is_all_or_nothing(db: Database, scene: Scene) -> None:
    with pytest.raises(ValidationError, match=re.escape("No criterion '9.9'")) as caught:
        scoring.record_answers(db, audit_id=scene.audit_id, case_id=scene.withdrawn,
                               reviewer="Bo Khan",
                               answers={"1.1": (Answer.MET, ""), "9.9": (Answer.MET, "")})
    assert caught.value.problems == ["9.9"]
    with pytest.raises(ValidationError, match=re.escape("Criterion 1.2: 'maybe' is not an answer")):
        scoring.record_answers(db, audit_id=scene.audit_id, case_id=scene.withdrawn,
                               reviewer="Bo Khan",
                               answers={"1.1": (Answer.MET, ""), "1.2": ("maybe", "")})
    view = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.withdrawn, reviewer="Bo Khan")
    assert view.answers == {}
    assert list_changes(db, audit_id=scene.audit_id, case_id=scene.withdrawn) == []


def test_bad_targets_are_user_errors(db: Database, scene: Scene) -> None:
    with pytest.raises(NotFoundError, match="No criterion 'Z9'"):
        scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.supportive,
                              reviewer="Ann Lee", criterion_code="Z9", value=Answer.MET)
    with pytest.raises(NotFoundError, match="No case 999"):
        scoring.record_answer(db, audit_id=scene.audit_id, case_id=999, reviewer="Ann Lee",
                              criterion_code="1.1", value=Answer.MET)
    with pytest.raises(UserError, match="needs a name"):
        scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.supportive,
                              reviewer="  ", criterion_code="1.1", value=Answer.MET)
    with pytest.raises(UserError, match="not a kind of review"):
        scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                           reviewer="Ann Lee", kind="draft")
    with pytest.raises(ValidationError, match="is not a verdict"):
        scoring.set_case_details(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                 reviewer="Ann Lee", verdict="fine")


def test_complete_refuses_and_lists_the_gaps(db: Database, scene: Scene) -> None:
    scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.supportive, reviewer="Ann Lee",
                          criterion_code="1.1", value=Answer.NOT_MET)
    with pytest.raises(ValidationError, match="cannot be marked complete yet") as caught:
        scoring.complete_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                reviewer="Ann Lee")
    gaps = caught.value.problems
    assert "1.1: a note is required for 'Not met'" in gaps
    assert "1.2: not answered" in gaps
    assert "Verdict: no verdict recorded" in gaps
    assert scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                              reviewer="Ann Lee").status is ReviewStatus.IN_PROGRESS


def test_automatic_na_follows_the_framework_rules(db: Database, scene: Scene) -> None:
    filled = scoring.apply_automatic_na(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                        reviewer="Ann Lee")
    framework = get_framework(db, "da-nfa-review@2")
    expected = [c.code for c in framework.criteria
                if not c.applies_to({"victim_supports": "yes", "risk_level": "standard",
                                     "interviewed": True, "elp_flag": False, "outcome_code": 15})]
    assert filled == expected and "3.2" in filled and "4.2" in filled
    view = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.supportive, reviewer="Ann Lee")
    assert all(view.answers[code].automatic and view.answers[code].value is Answer.NOT_APPLICABLE
               for code in filled)
    # A high-risk withdrawn case gets no automatic N/A on MARAC or the withdrawal statement.
    withdrawn = scoring.apply_automatic_na(db, audit_id=scene.audit_id, case_id=scene.withdrawn,
                                           reviewer="Ann Lee")
    assert "3.2" not in withdrawn and "4.2" not in withdrawn and "6.2" in withdrawn
    # A reviewer's own answer is never overwritten.
    scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.supportive, reviewer="Bo Khan",
                          criterion_code="3.2", value=Answer.MET)
    again = scoring.apply_automatic_na(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                       reviewer="Bo Khan")
    assert "3.2" not in again
    bo = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.supportive, reviewer="Bo Khan")
    assert bo.answers["3.2"].value is Answer.MET and not bo.answers["3.2"].automatic


def test_complete_then_an_edit_reopens(db: Database, scene: Scene) -> None:
    _all_met(db, scene, scene.supportive, "Ann Lee")
    scoring.set_case_details(db, audit_id=scene.audit_id, case_id=scene.supportive,
                             reviewer="Ann Lee", verdict=Verdict.APPROPRIATE)
    done = scoring.complete_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                   reviewer="Ann Lee")
    assert done.status is ReviewStatus.COMPLETE
    # Raising the urgent flag keeps it complete; changing an answer reopens it.
    flagged = scoring.set_case_details(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                       reviewer="Ann Lee", urgent_safeguarding=True)
    assert flagged.status is ReviewStatus.COMPLETE and flagged.urgent_safeguarding
    scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.supportive, reviewer="Ann Lee",
                          criterion_code="1.1", value=Answer.PARTLY_MET)
    reopened = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                  reviewer="Ann Lee")
    assert reopened.status is ReviewStatus.IN_PROGRESS
    reasons = [c.detail for c in list_changes(db, audit_id=scene.audit_id, case_id=scene.supportive)
               if c.field == "status"]
    assert reasons[0] == "reopened by an edit"
    progress = scoring.review_progress(db, audit_id=scene.audit_id)
    assert [(p.reviewer, p.status, p.urgent) for p in progress] == [
        ("Ann Lee", ReviewStatus.IN_PROGRESS, True)]


def test_a_stale_version_is_refused(db: Database, scene: Scene) -> None:
    base = dict(audit_id=scene.audit_id, case_id=scene.supportive, reviewer="Ann Lee")
    assert scoring.get_review(db, **base).version == 0
    scoring.record_answer(db, **base, criterion_code="1.1", value=Answer.MET, expected_version=0)
    read = scoring.get_review(db, **base)
    scoring.record_answer(db, **base, criterion_code="1.2", value=Answer.MET,
                          expected_version=read.version)
    with pytest.raises(ConflictError, match="changed by someone else"):
        scoring.record_answer(db, **base, criterion_code="1.3", value=Answer.MET,
                              expected_version=read.version)
    with pytest.raises(ConflictError):
        scoring.set_case_details(db, **base, verdict="appropriate", expected_version=read.version)
    view = scoring.get_review(db, **base)
    assert set(view.answers) == {"1.1", "1.2"} and view.verdict is None
    assert view.version > read.version


def test_reviewers_are_listed(db: Database) -> None:
    scoring.add_reviewer(db, name=" Cara  Dunn ", organisation="CPS", is_chair=True)
    scoring.add_reviewer(db, name="Ann Lee", organisation="IDVA service")
    assert [(r.name, r.organisation, r.is_chair) for r in scoring.list_reviewers(db)] == [
        ("Ann Lee", "IDVA service", False), ("Cara Dunn", "CPS", True)]


# Each answer one its criterion may take (a yes/no item cannot be partly met).
_edits = st.lists(edits_on_scale(["1.1", "1.2", "2.1"], ["", "checked", "not on file"]),
                  min_size=1, max_size=12)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_edits)
def test_any_edit_sequence_leaves_the_last_answer_and_logs_each_change(
        sqlite_db: Database, edits: list[tuple[str, Answer | None, str]]) -> None:
    db = sqlite_db
    audit = audits.create_audit(db, name="Property", framework="da-nfa-review")
    with db.transaction() as session:
        case = CaseRecord(audit_id=audit.id, reference="P1")
        session.add(case)
        session.flush()
        case_id = case.id
    expected: dict[str, tuple[Answer, str]] = {}
    logged = 0
    for code, value, note in edits:
        before = expected.get(code)
        scoring.record_answer(db, audit_id=audit.id, case_id=case_id, reviewer="Ann Lee",
                              criterion_code=code, value=value, note=note)
        if value is None:
            expected.pop(code, None)
            logged += before is not None
        else:
            old_value, old_note = before if before else (None, "")
            expected[code] = (value, note)
            logged += (old_value is not value) + (old_note != note)
    view = scoring.get_review(db, audit_id=audit.id, case_id=case_id, reviewer="Ann Lee")
    assert {code: (a.value, a.note) for code, a in view.answers.items()} == expected
    answer_log = [c for c in list_changes(db, audit_id=audit.id, case_id=case_id)
                  if c.entity in ("answer", "answer_note")]
    assert len(answer_log) == logged
