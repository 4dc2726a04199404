"""compute_findings on real databases: which answer counts, counts, verdicts, agreement."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from audit_app.core.answers import Answer
from audit_app.core.errors import NotFoundError
from audit_app.core.findings_compute import AWAITING_MODERATION
from audit_app.core.scoring import effective_answer
from audit_app.db.models import SampleItemRecord
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from tests.helpers.audits import REVIEWERS, add_consensus, build_audit


def _expected_counts(db: Database, audit_id: int, case_ids: list[int], code: str
                     ) -> tuple[dict[Answer, int], int]:
    """Re-derive one criterion's counts from the reviews, rule applied by hand."""
    counts = dict.fromkeys(Answer, 0)
    awaiting = 0
    for case_id in case_ids:
        consensus = scoring.get_review(db, audit_id=audit_id, case_id=case_id,
                                       reviewer="Chair Person", kind="consensus")
        if code in consensus.answers:
            counts[consensus.answers[code].value] += 1
            continue
        given = {scoring.get_review(db, audit_id=audit_id, case_id=case_id,
                                    reviewer=name).answers[code].value for name in REVIEWERS}
        if len(given) == 1:
            counts[given.pop()] += 1
        else:
            awaiting += 1
    return counts, awaiting


def test_effective_answer_rule() -> None:
    assert effective_answer(Answer.NOT_MET, [Answer.MET, Answer.MET]) is Answer.NOT_MET
    assert effective_answer(None, [Answer.MET]) is Answer.MET
    assert effective_answer(None, [Answer.MET, Answer.MET]) is Answer.MET
    assert effective_answer(None, [Answer.MET, Answer.PARTLY_MET]) is None


def test_counts_follow_the_rule_and_disagreement_awaits_moderation(db: Database) -> None:
    built = build_audit(db)
    findings = compute_findings(db, audit_id=built.audit_id)
    for code in built.codes:
        row = next(c for c in findings.criteria if c.code == code)
        counts, awaiting = _expected_counts(db, built.audit_id, built.case_ids, code)
        assert (row.compliance.met, row.compliance.partly_met, row.compliance.not_met,
                row.compliance.not_evidenced, row.compliance.not_applicable) == (
            counts[Answer.MET], counts[Answer.PARTLY_MET], counts[Answer.NOT_MET],
            counts[Answer.NOT_EVIDENCED], counts[Answer.NOT_APPLICABLE])
        assert row.awaiting_moderation == awaiting
        assert row.unanswered == 0
    first = findings.criteria[0]
    assert first.awaiting_moderation == 1 and findings.headline.awaiting_moderation == 1
    assert first.compliance.denominator + first.compliance.not_applicable == len(built.case_ids) - 1
    unscored = [c for c in findings.criteria if c.code not in built.codes]
    assert all(c.unanswered == len(built.case_ids) and c.compliance.rate is None
               for c in unscored)


def test_consensus_overrides_members(db: Database) -> None:
    built = build_audit(db)
    before = compute_findings(db, audit_id=built.audit_id).criteria[0].compliance
    add_consensus(db, built, 2, Answer.NOT_EVIDENCED)
    after_findings = compute_findings(db, audit_id=built.audit_id)
    after = after_findings.criteria[0]
    assert after.awaiting_moderation == 0
    assert after.compliance.not_evidenced == before.not_evidenced + 1
    assert after_findings.effective[(built.case_ids[2], built.codes[0])] is Answer.NOT_EVIDENCED


def test_headline_verdicts_urgent_and_learning(db: Database) -> None:
    built = build_audit(db)
    findings = compute_findings(db, audit_id=built.audit_id)
    head = findings.headline
    assert (head.cases_sampled, head.cases_reviewed, head.cases_complete) == (12, 12, 0)
    assert head.urgent_safeguarding == 1
    assert findings.cases[0].reference == built.references[1]  # urgent first
    assert findings.cases[0].urgent_safeguarding
    assert [c.position for c in findings.cases[1:]] == sorted(c.position for c in findings.cases[1:])
    verdicts = dict(findings.verdicts)
    assert verdicts["Inappropriate"] == 1 and sum(verdicts.values()) == 12
    assert [e.reference for e in findings.learning_points] == [built.references[1]]
    assert findings.good_practice[0].text.startswith("@SUM")
    overall = head.overall
    assert overall == sum((c.compliance for c in findings.criteria), type(overall)())


def test_member_verdicts_that_differ_await_moderation(db: Database) -> None:
    built = build_audit(db)
    case_id = built.case_ids[5]
    scoring.set_case_details(db, audit_id=built.audit_id, case_id=case_id,
                             reviewer=REVIEWERS[0], verdict="appropriate")
    scoring.set_case_details(db, audit_id=built.audit_id, case_id=case_id,
                             reviewer=REVIEWERS[1], verdict="inappropriate")
    findings = compute_findings(db, audit_id=built.audit_id)
    assert next(c for c in findings.cases if c.case_id == case_id).verdict == AWAITING_MODERATION


def test_replaced_cases_do_not_count(db: Database) -> None:
    built = build_audit(db)
    with db.transaction() as session:
        session.execute(update(SampleItemRecord).where(SampleItemRecord.case_id == built.case_ids[2])
                        .values(status="replaced"))
    findings = compute_findings(db, audit_id=built.audit_id)
    assert findings.headline.cases_sampled == 11
    assert findings.headline.awaiting_moderation == 0
    assert built.references[2] not in {c.reference for c in findings.cases}


def test_breakdowns_and_agreement(db: Database) -> None:
    built = build_audit(db)
    findings = compute_findings(db, audit_id=built.audit_id)
    areas = {b.group: b.cases for b in findings.breakdowns if b.dimension == "Area"}
    assert areas == {"North": 6, "South": 6}
    dimensions = {b.dimension for b in findings.breakdowns}
    assert dimensions == {"Section", "Area", "Team", "Outcome code", "Risk level"}
    outcome_groups = {b.group for b in findings.breakdowns if b.dimension == "Outcome code"}
    assert any(group.startswith("16 –") for group in outcome_groups)
    agreement = {a.criterion_code: a.agreement for a in findings.agreement}
    assert agreement[built.codes[0]].percent_agreement == pytest.approx(11 / 12)
    assert agreement[built.codes[1]].percent_agreement == 1.0
    assert agreement[built.codes[0]].cohen_kappa is not None
    pooled = agreement[""]
    assert pooled.units == 12 * len(built.codes) and pooled.raters == 2


def test_to_dict_is_json_ready(db: Database) -> None:
    built = build_audit(db)
    payload = compute_findings(db, audit_id=built.audit_id).to_dict()
    text = json.dumps(payload)
    again = json.loads(text)
    assert again["headline"]["cases_sampled"] == 12
    assert again["criteria"][0]["code"] == built.codes[0]
    assert again["agreement"][0]["criterion"] == "all"


def test_unknown_audit_is_a_user_error(db: Database) -> None:
    with pytest.raises(NotFoundError):
        compute_findings(db, audit_id=404)


def test_findings_count_what_moderation_shows(db: Database) -> None:
    from audit_app.services.moderation import effective_answers

    built = build_audit(db)
    add_consensus(db, built, 4, Answer.MET)
    findings = compute_findings(db, audit_id=built.audit_id)
    shown = effective_answers(db, audit_id=built.audit_id)
    assert findings.effective == {key: value for key, value in shown.items() if value is not None}
    awaiting = {key for key, value in shown.items() if value is None}
    assert len(awaiting) == findings.headline.awaiting_moderation == 1
