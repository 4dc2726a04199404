"""Kappa and AC1 values with a plain reading, after Landis and Koch's bands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.agreement import NOT_DEFINED, describe_kappa, read_coefficient

BANDS = [(-0.3, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.4, "fair"),
         (0.41, "moderate"), (0.6, "moderate"), (0.62, "substantial"), (0.8, "substantial"),
         (0.81, "almost perfect"), (1.0, "almost perfect")]


@pytest.mark.parametrize(("value", "band"), BANDS)
def test_each_band_reads_in_words(value: float, band: str) -> None:
    shown = f"{value:.2f}".replace("-", "\u2212")
    assert read_coefficient(value) == f"{shown} \u2013 {band} agreement"


def test_the_issue_example_and_an_undefined_kappa() -> None:
    assert read_coefficient(0.62) == "0.62 \u2013 substantial agreement"
    assert read_coefficient(None) == NOT_DEFINED


@given(st.floats(min_value=-1.0, max_value=1.0, allow_nan=False))
def test_the_reading_always_names_the_band_describe_kappa_gives(value: float) -> None:
    assert read_coefficient(value).endswith(f" {describe_kappa(value)} agreement")
    assert "-" not in read_coefficient(value)  # a true minus sign, never a hyphen
