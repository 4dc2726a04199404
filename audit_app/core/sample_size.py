"""Sample size calculator for estimating a proportion, with the finite population correction.

n0 = z² p(1-p) / e²  and  n = n0 / (1 + (n0 - 1) / N)   (Cochran). For 95% confidence,
a 5% margin and p = 0.5 on a large population this gives the familiar 385.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from audit_app.core.errors import UserError


@dataclass(frozen=True)
class SizeAdvice:
    population: int
    confidence: float
    margin: float
    expected_proportion: float
    suggested_size: int


def z_value(confidence: float) -> float:
    if not 0.5 <= confidence < 1:
        raise UserError("Confidence must be between 50% and 99.9% (e.g. 0.95)")
    return NormalDist().inv_cdf((1 + confidence) / 2)


def _check(population: int, proportion: float) -> None:
    if population < 1:
        raise UserError("The population must have at least one case")
    if not 0 < proportion < 1:
        raise UserError("The expected proportion must be between 0 and 1 (use 0.5 if unsure)")


def required_sample_size(*, population: int, confidence: float = 0.95, margin: float = 0.05,
                         expected_proportion: float = 0.5) -> SizeAdvice:
    """The smallest sample that estimates a proportion to within `margin`."""
    _check(population, expected_proportion)
    if not 0 < margin < 1:
        raise UserError("The margin of error must be between 0 and 1 (e.g. 0.05 for ±5%)")
    z = z_value(confidence)
    n0 = z * z * expected_proportion * (1 - expected_proportion) / (margin * margin)
    n = n0 / (1 + (n0 - 1) / population)
    # Round before ceiling so 384.0000001 from float noise does not become 385.
    size = min(population, math.ceil(round(n, 6)))
    return SizeAdvice(population, confidence, margin, expected_proportion, max(1, size))


def margin_for_size(*, size: int, population: int, confidence: float = 0.95,
                    expected_proportion: float = 0.5) -> float:
    """The margin of error (half-width, as a proportion) a sample of `size` buys."""
    _check(population, expected_proportion)
    if not 1 <= size <= population:
        raise UserError(f"The sample size must be between 1 and the population ({population})")
    if population == 1 or size == population:
        return 0.0
    z = z_value(confidence)
    fpc = (population - size) / (population - 1)
    return z * math.sqrt(expected_proportion * (1 - expected_proportion) / size * fpc)
