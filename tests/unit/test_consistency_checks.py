"""Consistency flags of a real audit: findings, one case for the review screen, JSON."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import update

from audit_app.core.answers import Answer
from audit_app.core.consistency import CheckKind
from audit_app.core.findings import Findings
from audit_app.db.models import CaseRecord
from audit_app.services import scoring
from audit_app.services.consistency_checks import case_checks
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from tests.unit.test_export_support import REVIEWERS, BuiltAudit, build_audit

CHAIR = "Chair Person"


@dataclass(frozen=True)
class FlaggedAudit:
    built: BuiltAudit
    key_case: str  # agreed appropriate, key criterion 5.2 agreed not met
    provisional_case: str  # both members appropriate, both 2.7 not met
    outcome_15_case: str  # outcome 15, victim withdrawn
    outcome_16_case: str  # outcome 16, victim supporting


def _answer(db: Database, built: BuiltAudit, position: int, reviewer: str, code: str,
            value: Answer, kind: str = "member") -> None:
    scoring.record_answer(db, audit_id=built.audit_id, case_id=built.case_ids[position],
                          reviewer=reviewer, criterion_code=code, value=value,
                          note="Nothing on file", kind=kind)


def _verdict(db: Database, built: BuiltAudit, position: int, reviewer: str, verdict: str,
             kind: str = "member") -> None:
    scoring.set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[position],
                             reviewer=reviewer, kind=kind, verdict=verdict)


def flagged_audit(db: Database) -> FlaggedAudit:
    built = build_audit(db, cases=8, scored_criteria=1)
    # Case 0: the panel agrees Appropriate although it agreed key criterion 5.2 not met.
    _answer(db, built, 0, CHAIR, "5.2", Answer.NOT_MET, kind="consensus")
    _verdict(db, built, 0, CHAIR, "appropriate", kind="consensus")
    # Case 3: both members say appropriate with observations and 2.7 not met; not agreed yet.
    for reviewer in REVIEWERS:
        _answer(db, built, 3, reviewer, "2.7", Answer.NOT_MET)
        _verdict(db, built, 3, reviewer, "appropriate_with_observations")
    # Case 4: members differ on the verdict: nothing to flag on the key criterion.
    for reviewer, verdict in zip(REVIEWERS, ("appropriate", "inappropriate"), strict=True):
        _answer(db, built, 4, reviewer, "5.2", Answer.NOT_MET)
        _verdict(db, built, 4, reviewer, verdict)
    # Case 6: agreed inappropriate with key criteria not met: consistent.
    _answer(db, built, 6, CHAIR, "6.1", Answer.NOT_MET, kind="consensus")
    _verdict(db, built, 6, CHAIR, "inappropriate", kind="consensus")
    with db.transaction() as session:
        session.execute(update(CaseRecord).values(victim_supports=None))
        for position, outcome, support in ((5, 15, "withdrawn"), (1, 16, "yes"),
                                           (2, 15, "yes"), (7, 16, "never")):
            session.execute(update(CaseRecord).where(CaseRecord.id == built.case_ids[position])
                            .values(outcome_code=outcome, victim_supports=support))
    refs = built.references
    return FlaggedAudit(built, refs[0], refs[3], refs[5], refs[1])


def test_findings_list_each_flag_in_sample_order(db: Database) -> None:
    audit = flagged_audit(db)
    findings = compute_findings(db, audit_id=audit.built.audit_id)
    assert [(flag.reference, flag.kind, flag.criteria) for flag in findings.checks] == [
        (audit.key_case, CheckKind.KEY_CRITERION_NOT_MET, ("5.2",)),
        (audit.outcome_16_case, CheckKind.OUTCOME_16_SUPPORTING, ()),
        (audit.provisional_case, CheckKind.KEY_CRITERION_NOT_MET, ("2.7",)),
        (audit.outcome_15_case, CheckKind.OUTCOME_15_NOT_SUPPORTING, ()),
    ]
    assert findings.checks[0].detail == "Agreed Appropriate, but key criterion 5.2 was found not met."
    assert findings.checks[2].detail.startswith(
        "Provisionally Appropriate with observations (members' verdicts")


def test_agreeing_a_verdict_clears_the_flag(db: Database) -> None:
    audit = flagged_audit(db)
    _verdict(db, audit.built, 0, CHAIR, "inappropriate", kind="consensus")
    findings = compute_findings(db, audit_id=audit.built.audit_id)
    assert audit.key_case not in {flag.reference for flag in findings.checks}


def test_one_case_for_the_review_screen(db: Database) -> None:
    audit = flagged_audit(db)
    built = audit.built
    flags = case_checks(db, audit_id=built.audit_id, case_id=built.case_ids[0])
    assert [flag.criteria for flag in flags] == [("5.2",)]
    assert case_checks(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                       see_panel=False) == ()
    blind = case_checks(db, audit_id=built.audit_id, case_id=built.case_ids[5], see_panel=False)
    assert [flag.kind for flag in blind] == [CheckKind.OUTCOME_15_NOT_SUPPORTING]
    assert case_checks(db, audit_id=built.audit_id, case_id=built.case_ids[2]) == ()


def test_json_and_kept_findings(db: Database) -> None:
    audit = flagged_audit(db)
    findings = compute_findings(db, audit_id=audit.built.audit_id)
    payload = findings.to_dict()
    assert payload["checks"][0] == {
        "reference": audit.key_case, "check": "Appropriate, with a key criterion not met",
        "kind": "key_criterion_not_met",
        "detail": "Agreed Appropriate, but key criterion 5.2 was found not met.",
        "criteria": ["5.2"]}
    # Checks name cases: kept findings (from a snapshot, old or new) come back without them.
    assert Findings.from_dict(payload).checks == ()
    old_snapshot = {k: v for k, v in payload.items() if k != "checks"}
    assert Findings.from_dict(old_snapshot).checks == ()


@pytest.mark.parametrize("framework", ["da-nfa-review@1"])
def test_an_audit_on_version_one_has_no_key_criteria(db: Database, framework: str) -> None:
    """Existing audits keep their frozen version 1: no key criteria, outcome checks only."""
    from audit_app.services.audits import create_audit
    from audit_app.services.frameworks import get_framework

    audit = create_audit(db, name="Pinned", framework=framework)
    assert not any(c.key for c in get_framework(db, framework).criteria)
    assert compute_findings(db, audit_id=audit.id).checks == ()
