"""Newcombe's interval for a difference of two rates: the paper's worked examples, and
statsmodels' independent implementation on random counts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep

from audit_app.core.comparison import RateDifference, newcombe_interval, rate_difference

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
