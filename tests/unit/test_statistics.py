"""Compliance rates and Wilson intervals: known published answers and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.answers import Answer
from audit_app.core.statistics import (
    SMALL_SAMPLE,
    Compliance,
    compare_proportions,
    tally,
    wilson_interval,
)


@pytest.mark.parametrize(("successes", "trials", "low", "high"), [
    (8, 10, 0.4902, 0.9433),    # the worked example in the brief: 8/10 -> 0.490..0.943
    (81, 263, 0.2553, 0.3662),  # Newcombe (1998) Statistics in Medicine 17:857, method 3
    (15, 148, 0.0624, 0.1605),  # Newcombe (1998), example (b)
    (0, 20, 0.0, 0.1611),       # Newcombe (1998), example (c)
    (1, 29, 0.0061, 0.1718),    # Newcombe (1998), example (d)
])
def test_wilson_interval_matches_published_values(successes: int, trials: int, low: float,
                                                   high: float) -> None:
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    assert wilson_interval(0, 0) == (0.0, 1.0)


@given(st.integers(min_value=1, max_value=2000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_interval_contains_the_rate_and_stays_in_unit_range(counts: tuple[int, int]) -> None:
    successes, trials = counts
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0


@given(st.integers(min_value=1, max_value=200), st.fractions(min_value=0, max_value=1),
       st.integers(min_value=2, max_value=10))
def test_interval_narrows_as_the_sample_grows(trials: int, share: object, factor: int) -> None:
    successes = round(float(share) * trials)  # type: ignore[arg-type]
    low, high = wilson_interval(successes, trials)
    bigger_low, bigger_high = wilson_interval(successes * factor, trials * factor)
    assert bigger_high - bigger_low < high - low


def test_na_leaves_the_denominator_and_partly_met_is_apart() -> None:
    compliance = tally([Answer.MET, Answer.MET, Answer.PARTLY_MET, Answer.NOT_MET,
                        Answer.NOT_EVIDENCED, Answer.NOT_APPLICABLE, Answer.NOT_APPLICABLE])
    assert compliance.denominator == 5
    assert compliance.rate == pytest.approx(0.4)
    assert compliance.partly_rate == pytest.approx(0.2)
    assert compliance.not_applicable == 2
    assert compliance.small_sample


def test_no_scored_answers_gives_no_rate() -> None:
    compliance = tally([Answer.NOT_APPLICABLE])
    assert compliance.rate is None and compliance.interval is None
    assert compliance.to_dict()["compliance"] is None


def test_small_sample_flag_threshold() -> None:
    assert Compliance(met=SMALL_SAMPLE - 1).small_sample
    assert not Compliance(met=SMALL_SAMPLE).small_sample
    assert (Compliance(met=4) + Compliance(not_met=6)).denominator == 10


def test_two_proportion_test_known_answer() -> None:
    # 40/100 against 25/100: pooled p = 0.325, z = 2.2646, two-sided p = 0.0235.
    comparison = compare_proportions(40, 100, 25, 100)
    assert comparison is not None
    assert comparison.z == pytest.approx(2.2646, abs=1e-4)
    assert comparison.p_value == pytest.approx(0.0235, abs=1e-4)
    assert comparison.significant
    assert compare_proportions(1, 0, 1, 2) is None
    same = compare_proportions(5, 5, 7, 7)
    assert same is not None and same.p_value == 1.0
