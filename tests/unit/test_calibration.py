"""Calibration cases: the shipped key fits its framework, a member's answers compare with it,
and training never touches an audit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.answers import Answer
from audit_app.core.calibration import CalibrationSet, calibration_from_dict, compare_with_key
from audit_app.core.errors import ValidationError
from audit_app.core.framework import Framework
from audit_app.core.timeliness import case_intervals
from audit_app.services import training
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.frameworks import get_framework
from tests.helpers.audits import build_audit
from tests.helpers.calibration import SHIPPED_SETS
from tests.helpers.cli import assert_one_line_error, run_cli

SET = "da-nfa-review@3"
MEMBER = "Nia Lay Member"
# Every shipped set is held to the same checks.
EVERY_SET = pytest.mark.parametrize("framework_ref", sorted(SHIPPED_SETS))


def _shipped(db: Database, framework_ref: str = SET) -> tuple[CalibrationSet, Framework]:
    opened = training.open_training(db, member=MEMBER, framework_ref=framework_ref)
    return opened.calibration, opened.framework


def test_every_shipped_set_is_listed(sqlite_db: Database) -> None:
    listed = {choice.framework_ref: choice for choice in training.list_calibration_sets(sqlite_db)}
    assert set(listed) == set(SHIPPED_SETS) >= {"da-nfa-review@3", "rape-nfa-review@1",
                                                 "rape-nfa-review@2"}
    assert listed["rape-nfa-review@1"].framework_title == ("Rape NFA and withdrawal review, "
                                                          "version 1")
    assert listed["rape-nfa-review@2"].framework_title == ("Rape NFA and withdrawal review, "
                                                          "version 2")
    # The training dialog offers the sets by title: no two may read alike.
    assert len({choice.title for choice in listed.values()}) == len(listed)


def test_the_rape_set_for_version_two_keys_the_split_criteria() -> None:
    """The same eight cases as version 1's set; the compound criteria's keys now sit on the
    parts the case summaries speak to."""
    (earlier, _), (later, framework) = (SHIPPED_SETS[f"rape-nfa-review@{v}"] for v in (1, 2))
    assert [c.reference for c in later.cases] == [c.reference for c in earlier.cases]
    assert all(c.summary == e.summary for c, e in zip(later.cases, earlier.cases, strict=True))
    keyed = {(case.reference, code): keyed.answer for case in later.cases
             for code, keyed in case.key.items()}
    assert {code for _, code in keyed} >= {"3.1", "3.4", "3.5", "3.6"}
    assert keyed[("TRAINING-R01", "3.5")] is Answer.NOT_MET     # "anything relevant", no reason
    assert ("TRAINING-R01", "3.4") not in keyed
    assert keyed[("TRAINING-R05", "3.6")] is Answer.MET
    assert keyed[("TRAINING-R08", "3.5")] is Answer.MET
    # Outside the split criteria the key is version 1's, answer for answer.
    split = {"3.1", "3.4", "3.5", "3.6"}
    before = {(case.reference, code): k.answer for case in earlier.cases
              for code, k in case.key.items() if code not in split}
    assert {k: v for k, v in keyed.items() if k[1] not in split} == before
    assert framework.version == 2


@EVERY_SET
def test_the_shipped_set_has_eight_cases_keyed_on_their_own_scales(
        sqlite_db: Database, framework_ref: str) -> None:
    calibration, framework = _shipped(sqlite_db, framework_ref)
    assert len(calibration.cases) >= 8
    applicable = {c.code: c for c in framework.criteria}
    for case in calibration.cases:
        assert len(case.summary.split()) > 80 and all(k.why for k in case.key.values())
        for code, keyed in case.key.items():
            criterion = applicable[code]
            assert keyed.answer in criterion.answers(framework.scale)
            # The key never contradicts the case's own fields: a criterion keyed as
            # applying must apply on them (automatic N/A would make it unanswerable).
            if keyed.answer is not Answer.NOT_APPLICABLE:
                assert criterion.applies_to(case.fields), (case.reference, code)
    assert {a.answer for c in calibration.cases for a in c.key.values()} >= {
        Answer.MET, Answer.NOT_MET, Answer.PARTLY_MET, Answer.NOT_EVIDENCED, Answer.NOT_IN_FILE}


@EVERY_SET
def test_a_told_within_key_matches_the_cases_own_dates(sqlite_db: Database,
                                                       framework_ref: str) -> None:
    calibration, framework = _shipped(sqlite_db, framework_ref)
    # The criterion the one-working-day standard measures ("told ... within one working day").
    told_code = next(c.code for c in framework.criteria
                     if "within one working day" in " ".join(c.question.split()))
    for case in calibration.cases:
        keyed = case.key.get(told_code)
        told = [m for m in case_intervals(case.fields) if m.rule.limit_working_days]
        if keyed is not None and told:
            assert (keyed.answer is Answer.MET) == bool(told[0].within_standard), case.reference


def test_a_key_off_the_scale_is_refused(sqlite_db: Database) -> None:
    framework = get_framework(sqlite_db, SET)
    raw = {"framework": "da-nfa-review", "version": 3, "cases": [
        {"reference": "T1", "key": {"5.4": {"answer": "partly_met", "why": "x"},
                                    "9.9": {"answer": "met"}}}]}
    with pytest.raises(ValidationError) as raised:
        calibration_from_dict(raw, framework)
    assert "T1, 5.4: 'Partly met' is not on its scale" in str(raised.value)
    assert "no criterion 9.9" in str(raised.value)


@EVERY_SET
def test_answering_exactly_the_key_agrees_fully(sqlite_db: Database, framework_ref: str) -> None:
    calibration, framework = _shipped(sqlite_db, framework_ref)
    given_answers = {(case.reference, code): keyed.answer
                     for case in calibration.cases for code, keyed in case.key.items()}
    result = compare_with_key(calibration, framework, given_answers)
    assert result.finished and result.agreed == result.keyed and result.percent == 1.0
    assert result.ac1 == pytest.approx(1.0) and not result.differences


@settings(deadline=None)  # AC1 over up to 69 answers; timing varies on a loaded machine
@given(st.data())
def test_differences_are_exactly_the_answers_that_disagree(data: st.DataObject) -> None:
    calibration, framework = SHIPPED_SETS[data.draw(st.sampled_from(sorted(SHIPPED_SETS)))]
    slots = [(case.reference, code, keyed) for case in calibration.cases
             for code, keyed in case.key.items()]
    chosen = data.draw(st.lists(st.sampled_from(slots), unique_by=lambda s: s[:2]))
    criteria = {c.code: c for c in framework.criteria}
    given_answers = {(reference, code): data.draw(st.sampled_from(
        criteria[code].answers(framework.scale))) for reference, code, _ in chosen}
    result = compare_with_key(calibration, framework, given_answers)
    assert result.answered == len(given_answers)
    assert result.answered - result.agreed == len(result.differences)
    assert sum(c.compared for c in result.criteria) == result.answered
    for difference in result.differences:
        assert given_answers[(difference.reference, difference.code)] is not difference.keyed.answer
    if result.ac1 is not None:
        assert -1.0 <= result.ac1 <= 1.0


def test_training_answers_never_touch_an_audit(db: Database) -> None:
    built = build_audit(db, cases=4)
    before = compute_findings(db, audit_id=built.audit_id).to_dict()
    calibration, _ = _shipped(db)
    for case in calibration.cases:
        for code in case.key:
            training.record_training_answer(db, member=MEMBER, framework_ref=SET,
                                            reference=case.reference, criterion_code=code,
                                            value=Answer.NOT_MET)
    assert compute_findings(db, audit_id=built.audit_id).to_dict() == before
    result = training.training_result(db, member=f"  {MEMBER} ", framework_ref=SET)
    assert result.finished
    assert training.start_training_again(db, member=MEMBER, framework_ref=SET) == result.keyed
    assert training.training_result(db, member=MEMBER, framework_ref=SET).answered == 0


def test_the_command_line_runs_a_round(sqlite_db: Database,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    url = str(sqlite_db.url)
    code, out, _ = run_cli(capsys, "--db", url, "training", "answer", "--member", MEMBER,
                           "--case", "TRAINING-05", "--criterion", "3.1", "--answer",
                           "Not evidenced")
    assert code == 0
    code, out, _ = run_cli(capsys, "--db", url, "training", "result", "--member", MEMBER)
    assert code == 0 and "1 of 69 keyed answers given; 0 agree with the key" in out
    assert "the key says Not in the file pack. The crime report says a DASH was done" in out
    code, _, err = run_cli(capsys, "--db", url, "training", "answer", "--member", MEMBER,
                           "--case", "TRAINING-05", "--criterion", "5.4", "--answer", "Met")
    assert code == 2
    assert_one_line_error(err, "Criterion 5.4 is not part of TRAINING-05's training key")
