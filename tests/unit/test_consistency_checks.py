"""Consistency flags of a real audit: findings, one case for the review screen, JSON."""

from __future__ import annotations

import pytest

from audit_app.core.consistency import CheckKind
from audit_app.core.findings import Findings
from audit_app.services.consistency_checks import case_checks
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from tests.helpers.flagged_audits import CHAIR, flagged_audit, give_verdict


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
    give_verdict(db, audit.built, 0, CHAIR, "inappropriate", kind="consensus")
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
