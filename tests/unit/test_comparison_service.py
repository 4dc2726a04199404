"""compare_audits on real databases: criteria matched on code and question, Newcombe
intervals over cases, and a plain notice when framework versions differ."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from audit_app.core.answers import Answer
from audit_app.core.comparison import newcombe_interval, pooled_difference
from audit_app.core.errors import NotFoundError, UserError
from audit_app.core.framework import Framework
from audit_app.services.comparison import compare_audits
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.frameworks import get_framework, save_framework
from tests.helpers.audits import add_consensus, build_audit


def second_version(db: Database, framework: Framework) -> Framework:
    """A later version (after every one stored): the first criterion reworded, the last
    one dropped."""
    latest = get_framework(db, framework.key).version
    first, *rest = framework.sections
    reworded = replace(first.criteria[0], question="Was the history checked and shared?")
    last = replace(rest[-1], criteria=rest[-1].criteria[:-1])
    return replace(framework, version=latest + 1, sections=(
        replace(first, criteria=(reworded, *first.criteria[1:])), *rest[:-1], last))


def test_same_framework_every_criterion_compared(db: Database) -> None:
    earlier = build_audit(db)
    later = build_audit(db)
    same = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    codes = [c.code for c in earlier.framework.criteria]
    assert [row.criterion_code for row in same.rows] == codes
    assert same.same_framework
    assert same.notice == (f"Both audits use version {earlier.framework.version} of the "
                           f"framework; all {len(codes)} "
                           "criteria are compared.")
    first = same.rows[0]
    assert first.now == first.before and first.difference is not None
    assert first.difference.difference == 0 and not first.difference.significant
    assert same.rows[-1].difference is None  # nobody scored it in either audit
    assert not same.significant_rows


def test_a_change_carries_the_newcombe_interval_over_cases(db: Database) -> None:
    earlier = build_audit(db)
    later = build_audit(db)
    add_consensus(db, later, 2, Answer.MET)
    changed = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    first = changed.rows[0]
    assert first.now.met == first.before.met + 1
    assert first.now.denominator <= 12 and first.before.denominator <= 12  # one per case
    assert first.difference is not None and first.difference.difference > 0
    assert (first.difference.low, first.difference.high) == newcombe_interval(
        first.now.met, first.now.denominator, first.before.met, first.before.denominator)
    payload = json.loads(json.dumps(changed.to_dict()))
    assert payload["criteria"][0]["met_now"] == first.now.met
    assert payload["criteria"][0]["ci_low"] == pytest.approx(first.difference.low)
    assert payload["earlier_audit_id"] == earlier.audit_id and payload["same_framework"]


def test_framework_versions_differ_only_shared_criteria(db: Database) -> None:
    earlier = build_audit(db)
    version_one = earlier.framework
    later_version = second_version(db, version_one)
    save_framework(db, later_version)
    later = build_audit(db, framework_ref=f"da-nfa-review@{later_version.version}")
    assert later.framework.version > version_one.version
    comparison = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    shared = len(version_one.criteria) - 2  # one reworded, one dropped
    assert comparison.notice == (f"This audit uses version {later.framework.version} of the "
                                 f"framework, the earlier one version {version_one.version}: "
                                 f"only the {shared} criteria in both are compared.")
    codes = [row.criterion_code for row in comparison.rows]
    assert len(codes) == shared
    assert version_one.criteria[0].code not in codes  # same code, new question
    assert version_one.criteria[-1].code not in codes
    assert not comparison.same_framework
    backwards = compare_audits(db, audit_id=earlier.audit_id, earlier_audit_id=later.audit_id)
    assert backwards.notice.startswith(f"This audit uses version {version_one.version} of the "
                                       f"framework, the earlier one version {later.framework.version}")


def test_a_different_framework_is_named(db: Database) -> None:
    from audit_app.services.audits import create_audit

    earlier = build_audit(db)
    other = create_audit(db, name="ELP review", framework="evidence-led-review")
    comparison = compare_audits(db, audit_id=other.id, earlier_audit_id=earlier.audit_id)
    assert comparison.rows == ()
    assert comparison.notice.endswith("no criterion is in both, so nothing can be compared.")
    assert "Evidence" in comparison.notice or "evidence" in comparison.notice


def test_bad_ids_are_refused(db: Database) -> None:
    built = build_audit(db)
    with pytest.raises(UserError, match="cannot be compared with itself"):
        compare_audits(db, audit_id=built.audit_id, earlier_audit_id=built.audit_id)
    with pytest.raises(NotFoundError, match="No audit with id 999"):
        compare_audits(db, audit_id=built.audit_id, earlier_audit_id=999)


def test_overall_pools_the_shared_criteria_case_by_case(db: Database) -> None:
    earlier = build_audit(db)
    later = build_audit(db)
    add_consensus(db, later, 2, Answer.MET)
    same = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    overall = same.overall
    assert overall is not None
    # Every criterion is shared: the overall rate is each audit's own case-level headline.
    for pooled, audit_id in ((overall.now, later.audit_id), (overall.before, earlier.audit_id)):
        headline = compute_findings(db, audit_id=audit_id).headline.pooled
        assert pooled == replace(headline, awaiting=0)
    assert overall.difference is not None
    assert overall.difference.difference == pytest.approx(overall.now.rate
                                                          - overall.before.rate)
    assert overall.difference == pooled_difference(overall.now, overall.before)
    assert overall.sentence.startswith("All shared criteria pooled over cases: ")
    assert json.loads(json.dumps(same.to_dict()))["overall"]["cases_now"] == overall.now.cases


def test_overall_with_differing_versions_pools_only_shared_criteria(db: Database) -> None:
    earlier = build_audit(db, scored_criteria=4)
    later_version = second_version(db, earlier.framework)
    save_framework(db, later_version)
    later = build_audit(db, scored_criteria=4,
                        framework_ref=f"da-nfa-review@{later_version.version}")
    comparison = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    overall = comparison.overall
    assert overall is not None
    # The reworded first criterion is left out of both sides' pooled rates.
    assert overall.now.scored == sum(row.now.denominator for row in comparison.rows)
    assert overall.before.scored == sum(row.before.denominator for row in comparison.rows)
    assert overall.now.scored < compute_findings(db, audit_id=later.audit_id).headline.pooled.scored


def test_the_shipped_mapping_pairs_reworded_criteria_and_names_the_rest(db: Database) -> None:
    earlier = build_audit(db)                                     # version 2
    later = build_audit(db, framework_ref="da-nfa-review@3", scored_criteria=0)
    comparison = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    mapped = {row.criterion_code: row for row in comparison.rows if row.mapped_because}
    assert set(mapped) == {"4.1", "6.1"}
    assert "one working day" in mapped["6.1"].mapped_because
    codes = {row.criterion_code for row in comparison.rows}
    assert not codes & {"3.1", "3.2", "3.5", "5.5"}
    reasons = dict(comparison.not_compared)
    assert reasons["3.5"].startswith("Split into bail (3.5), DVPN or DVPO (3.7)")
    assert comparison.notice.endswith("2 of them reworded but measuring the same thing.")
    payload = comparison.to_dict()
    assert {"earlier_criterion": "3.2", "why": reasons["3.2"]} in payload["not_compared"]


def test_a_mapping_may_pair_criteria_under_new_codes(db: Database) -> None:
    from audit_app.core.version_mapping import VersionMapping
    from audit_app.services.comparison import comparison_of

    earlier = build_audit(db)
    later = build_audit(db)
    add_consensus(db, later, 2, Answer.MET)
    first, second = (c.code for c in earlier.framework.criteria[:2])
    mapping = VersionMapping("da-nfa-review@2", "da-nfa-review@9",
                             {first: (second, "renumbered")}, {})
    now = compute_findings(db, audit_id=later.audit_id)
    before = compute_findings(db, audit_id=earlier.audit_id)
    renamed = replace(now, criteria=tuple(replace(c, question="Reworded") if c.code == second
                                          else c for c in now.criteria))
    comparison = comparison_of(renamed, before, mapping)
    row = next(r for r in comparison.rows if r.criterion_code == second)
    assert (row.earlier_code, row.mapped_because) == (first, "renumbered")
    assert row.before == before.criteria[0].compliance
