"""The sample size calculator against published figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.errors import UserError
from audit_app.core.sample_size import margin_for_size, required_sample_size


@pytest.mark.parametrize(("population", "confidence", "margin", "expected"), [
    (10**9, 0.95, 0.05, 385),   # the textbook figure
    (1000, 0.95, 0.05, 278),    # with the finite population correction
    (100, 0.95, 0.05, 80),
    (10**9, 0.99, 0.05, 664),
    (10**9, 0.90, 0.05, 271),
    (10**9, 0.95, 0.03, 1068),
    (500, 0.95, 0.10, 81),
])
def test_known_sizes(population: int, confidence: float, margin: float, expected: int) -> None:
    advice = required_sample_size(population=population, confidence=confidence, margin=margin)
    assert advice.suggested_size == expected


def test_margin_a_size_buys() -> None:
    # 385 from a huge population buys about ±5%; 40 of 2,000 about ±15%
    assert margin_for_size(size=385, population=10**9) == pytest.approx(0.0499, abs=5e-4)
    assert margin_for_size(size=40, population=2000) == pytest.approx(0.1534, abs=5e-4)
    assert margin_for_size(size=100, population=100) == 0.0


@given(st.integers(2, 10**6), st.floats(0.01, 0.3), st.floats(0.05, 0.95))
def test_suggested_size_achieves_the_margin(population: int, margin: float, p: float) -> None:
    advice = required_sample_size(population=population, margin=margin, expected_proportion=p)
    assert 1 <= advice.suggested_size <= population
    assert margin_for_size(size=advice.suggested_size, population=population,
                           expected_proportion=p) <= margin + 1e-9


@pytest.mark.parametrize("kwargs", [
    {"population": 0}, {"population": 10, "margin": 0}, {"population": 10, "confidence": 1.0},
    {"population": 10, "expected_proportion": 1.0},
])
def test_bad_inputs_are_user_errors(kwargs: dict[str, float]) -> None:
    with pytest.raises(UserError):
        required_sample_size(**kwargs)  # type: ignore[arg-type]
