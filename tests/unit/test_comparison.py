"""Newcombe's interval for a difference of two rates: the paper's worked examples, and
statsmodels' independent implementation on random counts; the pooled change with
case-clustered variances, against a hand calculation and statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep

from audit_app.core.clustered import CaseCounts, PooledRate, pool
from audit_app.core.comparison import (
    RateDifference,
    newcombe_interval,
    pooled_difference,
    rate_difference,
)
from audit_app.core.statistics import Z_95

# Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (score, no
# continuity correction): (m/n, x/y) with the published 95% limits to four places.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize(("counts", "published"), NEWCOMBE_TABLE_II)
def test_newcombe_1998_worked_examples(counts: tuple[int, int, int, int],
                                       published: tuple[float, float]) -> None:
    low, high = newcombe_interval(*counts)
    assert (round(low, 4), round(high, 4)) == published


@st.composite
def two_samples(draw: st.DrawFn) -> tuple[int, int, int, int]:
    trials_now = draw(st.integers(min_value=1, max_value=400))
    trials_before = draw(st.integers(min_value=1, max_value=400))
    return (draw(st.integers(min_value=0, max_value=trials_now)), trials_now,
            draw(st.integers(min_value=0, max_value=trials_before)), trials_before)


@settings(deadline=None, max_examples=300)
@given(two_samples())
def test_matches_statsmodels_newcomb(counts: tuple[int, int, int, int]) -> None:
    expected = confint_proportions_2indep(*counts, method="newcomb", compare="diff")
    assert newcombe_interval(*counts) == pytest.approx(expected, abs=1e-9)


@settings(deadline=None, max_examples=200)
@given(two_samples())
def test_the_interval_holds_the_difference_and_stays_in_range(
        counts: tuple[int, int, int, int]) -> None:
    difference = rate_difference(*counts)
    assert difference is not None
    assert -1.0 <= difference.low <= difference.difference + 1e-12
    assert difference.difference - 1e-12 <= difference.high <= 1.0
    # Swapping the audits mirrors the interval.
    swapped = rate_difference(counts[2], counts[3], counts[0], counts[1])
    assert swapped is not None
    assert (swapped.low, swapped.high) == pytest.approx((-difference.high, -difference.low))
    assert swapped.significant == difference.significant


def test_significant_only_when_the_interval_leaves_out_zero() -> None:
    assert RateDifference(0.8, 0.6, 0.0524, 0.3339).significant
    assert RateDifference(0.6, 0.8, -0.3339, -0.0524).significant
    assert not RateDifference(0.1, 0.0, -0.0381, 0.1926).significant
    payload = RateDifference(0.8, 0.6, 0.05, 0.33).to_dict()
    assert payload["difference"] == pytest.approx(0.2) and payload["significant"] is True


def test_no_scored_case_on_either_side_gives_no_difference() -> None:
    assert rate_difference(0, 0, 3, 5) is None
    assert rate_difference(3, 5, 0, 0) is None
    with pytest.raises(ValueError, match="at least one scored case"):
        newcombe_interval(1, 2, 0, 0)


# --- the pooled (overall) change: case-clustered variances summed ------------------------

def test_pooled_change_matches_a_hand_calculation() -> None:
    # Now 0.6 with se 0.06, before 0.5 with se 0.08: se of the change = sqrt(0.0036 +
    # 0.0064) = 0.1; half-width 1.959964 * 0.1 = 0.1959964, so -0.0959964 to 0.2959964.
    now = PooledRate(60, 100, 12, (0.48, 0.71), 0.06)
    before = PooledRate(50, 100, 12, (0.35, 0.65), 0.08)
    change = pooled_difference(now, before)
    assert change is not None
    assert change.difference == pytest.approx(0.1)
    assert (change.low, change.high) == pytest.approx((-0.0959964, 0.2959964), abs=1e-7)
    assert not change.significant


cases_of = st.lists(st.tuples(st.integers(min_value=1, max_value=20),
                              st.floats(min_value=0.0, max_value=1.0)),
                    min_size=2, max_size=25)


def _answers(shapes: list[tuple[int, float]], rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray, list[CaseCounts]]:
    answers, groups, per_case = [], [], []
    for case_id, (size, chance) in enumerate(shapes):
        met = rng.random(size) < chance
        answers.extend(met.astype(float))
        groups.extend([case_id] * size)
        per_case.append(CaseCounts(int(met.sum()), size))
    return np.array(answers), np.array(groups), per_case


@settings(deadline=None, max_examples=60)
@given(cases_of, cases_of, st.integers(min_value=0, max_value=2**31))
def test_pooled_change_uses_statsmodels_cluster_robust_errors(
        shapes_now: list[tuple[int, float]], shapes_before: list[tuple[int, float]],
        seed: int) -> None:
    """Each audit's cluster-robust standard error from statsmodels (OLS on a constant,
    clustered by case); the change's interval is the difference ± 1.96 · sqrt(sum of
    their squares), inside -1..1."""
    rng = np.random.default_rng(seed)
    y_now, groups_now, counts_now = _answers(shapes_now, rng)
    y_before, groups_before, counts_before = _answers(shapes_before, rng)
    change = pooled_difference(pool(counts_now), pool(counts_before))
    assert change is not None
    errors = []
    for y, groups, counts in ((y_now, groups_now, counts_now),
                              (y_before, groups_before, counts_before)):
        if len({c.met / c.scored for c in counts}) == 1:
            return  # every case at the same rate: the Wilson fallback, tested below
        fit = sm.OLS(y, np.ones_like(y)).fit(cov_type="cluster", cov_kwds={"groups": groups})
        errors.append(float(fit.bse[0]))
    difference = float(y_now.mean() - y_before.mean())
    half = Z_95 * math.sqrt(errors[0] ** 2 + errors[1] ** 2)
    assert change.difference == pytest.approx(difference)
    assert (change.low, change.high) == pytest.approx(
        (max(-1.0, difference - half), min(1.0, difference + half)), rel=1e-9, abs=1e-12)


def test_pooled_change_where_every_case_has_the_same_rate() -> None:
    # All met on each of 5 cases now, none before: no spread, so each side's Wilson interval
    # over its cases stands in; the change is large but never of zero width.
    now = pool([CaseCounts(3, 3)] * 5)
    before = pool([CaseCounts(0, 2)] * 5)
    change = pooled_difference(now, before)
    assert change is not None and change.difference == 1.0
    assert change.low < 1.0 and change.high == 1.0 and change.significant


def test_pooled_change_needs_two_scored_cases_a_side() -> None:
    assert pooled_difference(pool([CaseCounts(2, 3)]), pool([CaseCounts(1, 3)] * 4)) is None
    assert pooled_difference(pool([]), pool([CaseCounts(1, 3)] * 4)) is None
    kept_before_case_level = PooledRate(5, 10, None)
    assert pooled_difference(pool([CaseCounts(1, 3)] * 4), kept_before_case_level) is None
