"""Case-level (clustered) pooled rates: a hand calculation, statsmodels, edge cases, bounds,
and the demo audit, whose overall interval must be wider than the answer-level Wilson."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.clustered import (
    CaseCounts,
    PooledRate,
    clustered_standard_error,
    describe_bounds,
    describe_pooled,
    pool,
    settled_bounds,
)
from audit_app.core.statistics import wilson_interval
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.findings import compute_findings


def test_interval_matches_a_hand_calculation() -> None:
    # Four cases, (met, scored): (2, 4), (3, 3), (0, 2), (1, 3).
    # r = 6 / 12 = 0.5. Residuals met - r*scored: 0, 1.5, -1, -0.5; squares sum to 3.5.
    # var = 4/3 * 3.5 / 12^2 = 0.0324074; se = 0.1800206.
    # Logit scale: logit(0.5) = 0, half-width = 1.959964 * 0.1800206 / (0.5 * 0.5) = 1.411335,
    # back-transformed: 1 / (1 + e^1.411335) = 0.196024 and 0.803976.
    # Design effect: 0.0324074 / (0.5 * 0.5 / 12) = 1.555556.
    pooled = pool([CaseCounts(2, 4), CaseCounts(3, 3), CaseCounts(0, 2), CaseCounts(1, 3)])
    assert (pooled.met, pooled.scored, pooled.cases) == (6, 12, 4)
    assert pooled.rate == 0.5
    assert pooled.standard_error == pytest.approx(0.1800206, abs=1e-7)
    assert pooled.interval == pytest.approx((0.196024, 0.803976), abs=1e-6)
    assert pooled.design_effect == pytest.approx(1.555556, abs=1e-6)
    assert pooled.small_sample  # 4 cases


clusters = st.lists(
    st.tuples(st.integers(min_value=1, max_value=30), st.floats(min_value=0.0, max_value=1.0)),
    min_size=2, max_size=40)


@settings(deadline=None, max_examples=60)
@given(clusters, st.integers(min_value=0, max_value=2**31))
def test_standard_error_matches_statsmodels_cluster_robust(
        shapes: list[tuple[int, float]], seed: int) -> None:
    """OLS of 0/1 answers on a constant with cluster-robust covariance (statsmodels'
    default correction G/(G-1) * (N-1)/(N-K), K=1) is the ratio estimator's linearised
    variance with the n/(n-1) factor we use."""
    rng = np.random.default_rng(seed)
    answers, groups, per_case = [], [], []
    for case_id, (size, chance) in enumerate(shapes):
        met = rng.random(size) < chance
        answers.extend(met.astype(float))
        groups.extend([case_id] * size)
        per_case.append((int(met.sum()), size))
    y = np.array(answers)
    if y.min() == y.max():  # no variance at all: statsmodels' SE is 0, ours too
        assert clustered_standard_error(per_case) == pytest.approx(0.0, abs=1e-12)
        return
    fit = sm.OLS(y, np.ones_like(y)).fit(cov_type="cluster", cov_kwds={"groups": np.array(groups)})
    assert clustered_standard_error(per_case) == pytest.approx(float(fit.bse[0]), rel=1e-9)
    assert sum(m for m, _ in per_case) / len(y) == pytest.approx(float(fit.params[0]))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 5))
                .map(lambda t: CaseCounts(min(t[0], t[1]), t[1], t[2])), max_size=30))
def test_interval_holds_the_rate_inside_zero_and_one(per_case: list[CaseCounts]) -> None:
    pooled = pool(per_case)
    if pooled.rate is None or pooled.interval is None:
        assert pooled.interval is None
        assert pooled.cases is not None and (pooled.cases < 2 or pooled.rate is None)
        return
    low, high = pooled.interval
    assert 0.0 <= low <= pooled.rate <= high <= 1.0
    bounds = pooled.settled_bounds
    if pooled.awaiting:
        assert bounds is not None and bounds[0] <= pooled.rate <= bounds[1]


def test_one_case_gives_no_interval() -> None:
    pooled = pool([CaseCounts(15, 16), CaseCounts(0, 0)])
    assert pooled.cases == 1 and pooled.interval is None and pooled.design_effect is None
    assert describe_pooled(pooled) == "94% (one case: no interval), 1 case scored"
    assert pooled.small_sample


def test_all_met_uses_wilson_over_cases() -> None:
    # Every case 100%: no spread between cases, so each case counts as one observation.
    pooled = pool([CaseCounts(5, 5)] * 12)
    assert pooled.rate == 1.0 and pooled.design_effect is None
    assert pooled.interval == pytest.approx(wilson_interval(12, 12))
    none_met = pool([CaseCounts(0, 3)] * 4)
    assert none_met.interval == pytest.approx(wilson_interval(0, 4))
    same_rate = pool([CaseCounts(1, 2)] * 6)  # every case 50%: still an honest width
    assert same_rate.interval is not None and same_rate.interval[1] - same_rate.interval[0] > 0.5


def test_nothing_scored() -> None:
    pooled = pool([])
    assert pooled.rate is None and pooled.interval is None
    assert describe_pooled(pooled) == "no scored answers"


def test_bounds_when_answers_await_moderation() -> None:
    # 6 met of 10 scored, 4 awaiting: 6/14 if all go against, 10/14 if all go for.
    assert settled_bounds(6, 10, 4) == pytest.approx((6 / 14, 10 / 14))
    assert settled_bounds(6, 10, 0) is None
    assert describe_bounds(settled_bounds(6, 10, 4), 4) == (
        "43%–71% if the 4 answers awaiting moderation are settled either way")
    assert describe_bounds((0.5, 1.0), 1) == (
        "50%–100% if the answer awaiting moderation is settled either way")
    pooled = pool([CaseCounts(3, 5, 2), CaseCounts(3, 5, 2)])
    assert pooled.awaiting == 4 and pooled.settled_bounds == pytest.approx((6 / 14, 10 / 14))


def test_pooled_rate_round_trips_through_its_dict() -> None:
    pooled = pool([CaseCounts(2, 4, 1), CaseCounts(3, 3), CaseCounts(0, 2)])
    values = {"met": pooled.met, "denominator": pooled.scored, **pooled.to_dict()}
    assert PooledRate.from_dict(values) == pooled


def test_demo_overall_interval_is_case_level_and_wider(sqlite_db: Database) -> None:
    audit = create_demo(sqlite_db)
    findings = compute_findings(sqlite_db, audit_id=audit.id)
    head = findings.headline
    pooled = head.pooled
    assert pooled.interval is not None and pooled.design_effect is not None
    wilson = wilson_interval(head.overall.met, head.overall.denominator)
    assert pooled.interval[0] < wilson[0] and pooled.interval[1] > wilson[1]
    assert pooled.design_effect > 2  # answers within a case move together
    assert pooled.cases is not None and pooled.cases <= head.cases_reviewed
    assert pooled.rate == head.overall.rate
    # Sections and every breakdown group are case-level too.
    for row in findings.breakdowns:
        assert row.cases_scored is not None and row.cases_scored <= row.cases
        assert row.pooled.small_sample == (row.cases_scored < 10)
    assert {row.dimension for row in findings.breakdowns} >= {"Section", "Area"}
