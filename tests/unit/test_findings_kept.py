"""A purged audit still reports what it found: findings rebuilt from the kept snapshot."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_app.core.agreement import Agreement
from audit_app.core.answers import Answer
from audit_app.core.audit_rows import ActionRow
from audit_app.core.clustered import PooledRate
from audit_app.core.findings import AgreementFinding, CriterionFinding, Findings, Headline
from audit_app.core.findings_rates import BreakdownRow
from audit_app.core.statistics import Compliance
from audit_app.db.models import AuditRecord
from audit_app.services import retention
from audit_app.services.comparison import compare_audits
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from tests.helpers.audits import BuiltAudit, add_action, add_consensus, build_audit
from tests.helpers.retention import purge


def aggregate_sections(findings: Findings) -> tuple[Any, ...]:
    """What a purge keeps: everything but the case-level sections and case references."""
    return (findings.headline, findings.criteria, findings.breakdowns, findings.verdicts,
            findings.agreement,
            tuple(replace(a, action_id=0, case_reference="") for a in findings.actions))


def kept_dict(findings: Findings) -> dict[str, Any]:
    """The snapshot a purge would store, through JSON as the database column holds it."""
    return json.loads(json.dumps(retention._aggregate_snapshot(findings.to_dict())))


# --- the value classes ------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=10_000)
compliances = st.builds(Compliance, counts, counts, counts, counts, counts)
measures = st.none() | st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)
agreements = st.builds(Agreement, counts, st.integers(min_value=0, max_value=12), measures,
                       measures, measures, measures)
labels = st.text(max_size=30)
codes = st.text(min_size=1, max_size=8).filter(lambda code: code != "all")


@given(compliances)
def test_compliance_comes_back_from_its_dict(compliance: Compliance) -> None:
    again = Compliance.from_dict(json.loads(json.dumps(compliance.to_dict())))
    assert again == compliance
    assert again.to_dict() == compliance.to_dict()


@given(agreements)
def test_agreement_comes_back_from_its_dict(agreement: Agreement) -> None:
    assert Agreement.from_dict(json.loads(json.dumps(agreement.to_dict()))) == agreement


units = st.floats(min_value=0.0, max_value=1.0)
optional = st.none() | units


def _consistent(compliance: Compliance, cases: int | None,
                interval: tuple[float, float] | None, standard_error: float | None,
                design_effect: float | None, awaiting: int) -> tuple[Compliance, PooledRate]:
    """A case-level rate with the counts' met and scored, as the findings always build it;
    or (cases None) one kept before case-level figures were recorded: no interval."""
    if cases is None:
        return compliance, PooledRate(compliance.met, compliance.denominator, None)
    return compliance, PooledRate(compliance.met, compliance.denominator, cases, interval,
                                  standard_error, design_effect, awaiting)


compliance_and_pooled = st.builds(_consistent, compliances, st.none() | counts,
                                  st.none() | st.tuples(units, units), optional, optional,
                                  counts)
headlines = st.builds(
    lambda head, counted: Headline(*head[:8], counted[0], *head[8:], pooled=counted[1]),
    st.tuples(counts, labels, labels, st.integers(min_value=1, max_value=99), labels, counts,
              counts, counts, counts, counts), compliance_and_pooled)
criteria = st.builds(CriterionFinding, labels, labels, codes, labels, compliances, counts, counts)
breakdowns = st.builds(lambda dimension, group, cases, counted: BreakdownRow(
    dimension, group, cases, *counted), labels, labels, counts, compliance_and_pooled)
actions = st.builds(ActionRow, st.integers(min_value=1), labels, st.just("") | codes, labels,
                    labels, st.none() | st.dates(), st.sampled_from(["open", "done"]), labels)
findings_strategy = st.builds(
    Findings, headlines, st.lists(criteria, max_size=6).map(tuple),
    st.lists(breakdowns, max_size=6).map(tuple),
    st.lists(st.tuples(labels, counts), max_size=4).map(tuple), cases=st.just(()),
    learning_points=st.just(()), good_practice=st.just(()), feedback=st.just(()),
    actions=st.lists(actions, max_size=4).map(tuple),
    agreement=st.lists(st.builds(AgreementFinding, st.just("") | codes, agreements),
                       max_size=5).map(tuple))


@settings(suppress_health_check=[HealthCheck.too_slow])  # a shared, busy machine
@given(findings_strategy)
def test_any_findings_come_back_from_the_kept_snapshot(findings: Findings) -> None:
    rebuilt = Findings.from_dict(kept_dict(findings))
    assert aggregate_sections(rebuilt) == aggregate_sections(findings)
    assert (rebuilt.cases, rebuilt.learning_points, rebuilt.good_practice,
            rebuilt.feedback) == ((), (), (), ())


# --- real audits on both databases --------------------------------------------------------

def scored_audit_with_action(db: Database) -> BuiltAudit:
    built = build_audit(db)
    add_consensus(db, built, 2, Answer.PARTLY_MET)
    add_action(db, built, "Remind officers to record the DASH risk")
    return built


def test_real_findings_survive_the_snapshot_round_trip(db: Database) -> None:
    findings = compute_findings(db, audit_id=scored_audit_with_action(db).audit_id)
    assert findings.actions[0].case_reference  # the round trip must drop it
    assert aggregate_sections(Findings.from_dict(kept_dict(findings))) == \
        aggregate_sections(findings)


def test_a_purged_audit_reports_the_kept_findings(db: Database) -> None:
    built = scored_audit_with_action(db)
    before = compute_findings(db, audit_id=built.audit_id)
    first_day = dt.date.today()
    purge(db, built.audit_id)
    last_day = dt.date.today()

    after = compute_findings(db, audit_id=built.audit_id)
    assert aggregate_sections(after) == aggregate_sections(before)
    assert after.headline.cases_sampled == 12 and after.headline.overall.denominator > 0
    assert (after.cases, after.learning_points, after.good_practice, after.feedback) == (
        (), (), (), ())
    deleted = after.case_data_deleted
    assert deleted is not None and deleted.findings_kept
    assert deleted.deleted_on in (first_day, last_day)
    assert deleted.retain_until == dt.date(2020, 1, 31)
    assert "deleted on" in deleted.notice and "31 January 2020" in deleted.notice
    assert "findings kept at that time" in deleted.notice
    assert before.case_data_deleted is None
    payload = json.loads(json.dumps(after.to_dict()))
    assert payload["case_data_deleted"]["notice"] == deleted.notice
    assert "case_data_deleted" not in before.to_dict()


def test_a_purged_audit_without_a_snapshot_says_nothing_was_kept(db: Database) -> None:
    built = build_audit(db)
    purge(db, built.audit_id)
    with db.transaction() as session:
        audit = session.get(AuditRecord, built.audit_id)
        assert audit is not None
        audit.findings_snapshot = None
    findings = compute_findings(db, audit_id=built.audit_id)
    assert findings.headline.cases_sampled == 0 and findings.criteria
    assert findings.case_data_deleted is not None
    assert "No findings were kept" in findings.case_data_deleted.notice


def test_comparison_with_a_purged_earlier_audit(db: Database) -> None:
    earlier = build_audit(db)
    later = build_audit(db)
    add_consensus(db, later, 2, Answer.MET)
    expected = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    assert expected.rows[0].difference is not None
    purge(db, earlier.audit_id)
    assert compare_audits(db, audit_id=later.audit_id,
                          earlier_audit_id=earlier.audit_id) == expected
    purge(db, later.audit_id)  # both purged: still compared on the kept figures
    assert compare_audits(db, audit_id=later.audit_id,
                          earlier_audit_id=earlier.audit_id) == expected


@pytest.mark.parametrize("version", [1, 12])
def test_framework_key_and_version_are_read_back(version: int) -> None:
    headline = Headline(3, "Audit", "da v2 review", version, "Title", 0, 0, 0, Compliance(),
                        0, 0)
    findings = Findings(headline, (), (), (), (), (), (), (), (), ())
    assert Findings.from_dict(findings.to_dict()).headline == headline


def test_findings_kept_before_case_level_rates_still_load() -> None:
    """An older snapshot has answer-level Wilson figures and no case counts: the counts
    load, the answer-level interval is not passed off as a case-level one."""
    old_overall = {**Compliance(met=174, not_met=115).to_dict()}
    old = {"headline": {"audit_id": 3, "audit_name": "Q1", "framework": "da-nfa v1",
                        "framework_title": "DA NFA", "cases_sampled": 12,
                        "cases_reviewed": 12, "cases_complete": 12, "overall": old_overall,
                        "awaiting_moderation": 0, "urgent_safeguarding": 0},
           "breakdowns": [{"dimension": "Area", "group": "North", "cases": 4,
                           **Compliance(met=40, not_met=10).to_dict()}]}
    findings = Findings.from_dict(old)
    assert findings.headline.overall == Compliance(met=174, not_met=115)
    assert findings.headline.pooled == PooledRate(174, 289, None)
    assert findings.headline.pooled.interval is None
    assert not findings.headline.pooled.small_sample
    assert findings.breakdowns[0].pooled == PooledRate(40, 50, None)
    assert findings.to_dict()["headline"]["overall"]["ci_low"] is None
