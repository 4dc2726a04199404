"""Inverse inclusion-probability weights, checked against a known design by hand and
against the unweighted case-level estimator where the two must agree."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.cli.stats_findings import findings_text
from audit_app.core.answers import Answer
from audit_app.core.clustered import CaseCounts, pool
from audit_app.core.findings import Findings
from audit_app.core.weighted import WeightedCase, stratum_weights, weighted_pool
from audit_app.db.models import CaseRecord, PopulationImportRecord
from audit_app.services import scoring
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.sampling import draw_sample, get_sample


def test_equal_allocation_design_by_hand() -> None:
    # Population: stratum A has 100 cases, B has 900. Equal allocation: 5 from each, so
    # weights N_h/n_h are 20 and 180. Five scored answers per case.
    # A's cases met 4, 4, 4, 4, 3; B's met 1, 1, 1, 1, 2.
    # Unweighted: 25 / 50 = 50%. Weighted: (20*19 + 180*6) / (20*25 + 180*25) = 1460/5000
    # = 29.2%: B, nine times larger, is mostly not met.
    # z = w (met - 0.292 * 5): A 50.8 (x4), 30.8, mean 46.8, squares about the mean 320;
    # B -82.8 (x4), 97.2, mean -46.8, squares 25920.
    # var * 5000^2 = (1 - 5/100) * 5/4 * 320 + (1 - 5/900) * 5/4 * 25920 = 380 + 32220
    # = 32600; se = sqrt(32600) / 5000 = 0.0361109.
    weights = stratum_weights({"A": 100, "B": 900}, {"A": 5, "B": 5})
    assert weights == {"A": 20.0, "B": 180.0}
    cases = ([WeightedCase(met, 5, "A", weights["A"]) for met in (4, 4, 4, 4, 3)]
             + [WeightedCase(met, 5, "B", weights["B"]) for met in (1, 1, 1, 1, 2)])
    estimate = weighted_pool(cases)
    assert estimate.rate == pytest.approx(0.292)
    assert estimate.standard_error == pytest.approx(0.0361109, abs=1e-7)
    assert estimate.interval is not None
    assert estimate.interval[0] < 0.292 < estimate.interval[1]
    assert pool(CaseCounts(c.met, c.scored) for c in cases).rate == 0.5  # the sample figure


def test_always_included_cases_stand_only_for_themselves() -> None:
    # Two always-included cases (weight 1) add to the estimate as themselves and no variance.
    drawn = [WeightedCase(met, 4, "A", 50.0) for met in (1, 2, 3, 2)]
    certain = [WeightedCase(4, 4, "A", 1.0), WeightedCase(4, 4, "A", 1.0)]
    alone = weighted_pool(drawn)
    both = weighted_pool(drawn + certain)
    assert both.rate == pytest.approx((50 * 8 + 8) / (50 * 16 + 8))
    assert alone.standard_error is not None and both.standard_error is not None
    assert both.standard_error < alone.standard_error  # more of the population known exactly


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(1, 10)), min_size=2, max_size=30),
       st.integers(min_value=1, max_value=50))
def test_one_stratum_is_the_clustered_estimator_with_a_finite_population_correction(
        pairs: list[tuple[int, int]], extra: int) -> None:
    per_case = [(min(met, scored), scored) for met, scored in pairs]
    sampled, population = len(per_case), len(per_case) + extra
    weight = population / sampled
    estimate = weighted_pool(WeightedCase(m, s, "all", weight) for m, s in per_case)
    plain = pool(CaseCounts(m, s) for m, s in per_case)
    assert estimate.rate == pytest.approx(plain.rate)
    assert plain.standard_error is not None and estimate.standard_error is not None
    assert estimate.standard_error == pytest.approx(
        plain.standard_error * math.sqrt(1 - sampled / population), abs=1e-12)


def test_nothing_scored_has_no_estimate() -> None:
    assert weighted_pool([WeightedCase(0, 0, "A", 3.0)]).rate is None


def _audit_with_strata(db: Database, allocation: str, include_always: str = "") -> int:
    """40 cases: 10 in North, 30 in South; 8 sampled by area; North cases all met, South not."""
    audit = create_audit(db, name="Weights", framework="da-nfa-review")
    with db.transaction() as session:
        extract = PopulationImportRecord(audit_id=audit.id, file_name="extract.xlsx")
        session.add(extract)
        session.flush()
        for index in range(40):
            session.add(CaseRecord(audit_id=audit.id, import_id=extract.id,
                                   source_row=index + 2, reference=f"W/{index:03d}",
                                   area="North" if index < 10 else "South"))
    draw_sample(db, audit_id=audit.id, size=8, method="stratified", strata_fields=["area"],
                seed=5, allocation=allocation, include_always=include_always)
    for row in get_sample(db, audit_id=audit.id):
        value = Answer.MET if row.stratum == "North" else Answer.NOT_MET
        scoring.record_answers(db, audit_id=audit.id, case_id=row.case.id, reviewer="A Member",
                               answers={"1.1": (value.value, ""), "1.2": (value.value, "")})
    return audit.id


def test_equal_allocation_audit_reports_a_weighted_population_estimate(
        sqlite_db: Database) -> None:
    # 4 North (weight 10/4 = 2.5) all met, 4 South (weight 30/4 = 7.5) none met:
    # sample 50%, population estimate (2.5 * 8) / (2.5 * 8 + 7.5 * 8) = 25%.
    findings = compute_findings(sqlite_db, audit_id=_audit_with_strata(sqlite_db, "equal"))
    head = findings.headline
    assert head.pooled.rate == 0.5
    assert head.population is not None and head.population.rate == pytest.approx(0.25)
    assert head.weighting.startswith("Weighted: with equal allocation")
    again = Findings.from_dict(json.loads(json.dumps(findings.to_dict())))
    assert again.headline.population is not None
    assert again.headline.population.rate == pytest.approx(0.25)
    assert "Population estimate (weighted): 25%" in "\n".join(findings_text(findings))


def test_proportional_allocation_is_not_weighted_and_says_so(sqlite_db: Database) -> None:
    findings = compute_findings(sqlite_db,
                                audit_id=_audit_with_strata(sqlite_db, "proportional"))
    assert findings.headline.population is None
    assert findings.headline.weighting.startswith("Not weighted: every case had the same")
