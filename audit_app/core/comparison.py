"""The difference between two audits' rates, with a 95% Newcombe interval.

Per criterion there is one answer per case, so the two rates are independent binomial
proportions over cases and the hybrid Wilson score interval for their difference
(Newcombe 1998, method 10) is the right one: it stays inside -1..1, behaves at 0% and
100%, and needs no continuity correction. A difference is called significant when its
interval leaves out zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from audit_app.core.clustered import PooledRate
from audit_app.core.statistics import Z_95, wilson_interval


def newcombe_interval(successes_now: int, trials_now: int, successes_before: int,
                      trials_before: int, z: float = Z_95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for rate_now - rate_before (both trials > 0)."""
    if trials_now <= 0 or trials_before <= 0:
        raise ValueError("Both audits need at least one scored case to compare rates")
    rate_now = successes_now / trials_now
    rate_before = successes_before / trials_before
    low_now, high_now = wilson_interval(successes_now, trials_now, z)
    low_before, high_before = wilson_interval(successes_before, trials_before, z)
    difference = rate_now - rate_before
    below = math.sqrt((rate_now - low_now) ** 2 + (high_before - rate_before) ** 2)
    above = math.sqrt((high_now - rate_now) ** 2 + (rate_before - low_before) ** 2)
    return (max(-1.0, difference - below), min(1.0, difference + above))


@dataclass(frozen=True)
class RateDifference:
    """This audit's rate minus the earlier one's, with its 95% interval."""

    rate_now: float
    rate_before: float
    low: float
    high: float

    @property
    def difference(self) -> float:
        return self.rate_now - self.rate_before

    @property
    def significant(self) -> bool:
        """The interval leaves out zero: a change the samples can show at the 5% level."""
        return self.low > 0 or self.high < 0

    def to_dict(self) -> dict[str, Any]:
        return {"rate_before": self.rate_before, "rate_now": self.rate_now,
                "difference": self.difference, "ci_low": self.low, "ci_high": self.high,
                "significant": self.significant}


def rate_difference(successes_now: int, trials_now: int, successes_before: int,
                    trials_before: int) -> RateDifference | None:
    """The Newcombe-interval difference, or None where either side has no scored case."""
    if trials_now <= 0 or trials_before <= 0:
        return None
    low, high = newcombe_interval(successes_now, trials_now, successes_before, trials_before)
    return RateDifference(successes_now / trials_now, successes_before / trials_before,
                          low, high)


def pooled_difference(now: PooledRate, before: PooledRate) -> RateDifference | None:
    """The change in a pooled rate (answers over several criteria per case) between two
    independent samples of cases: each side's case-clustered variance, summed, and a
    normal interval for the difference, kept inside -1..1. None where either side has no
    case-level spread to go on (fewer than two scored cases, or kept findings from before
    case-level figures were recorded)."""
    if now.rate is None or before.rate is None:
        return None
    se_now, se_before = _case_level_error(now), _case_level_error(before)
    if se_now is None or se_before is None:
        return None
    difference = now.rate - before.rate
    half_width = Z_95 * math.sqrt(se_now ** 2 + se_before ** 2)
    return RateDifference(now.rate, before.rate, max(-1.0, difference - half_width),
                          min(1.0, difference + half_width))


def _case_level_error(pooled: PooledRate) -> float | None:
    if pooled.standard_error is None or pooled.interval is None:
        return None
    if pooled.standard_error > 0:
        return pooled.standard_error
    # Every case the same rate: no spread between cases, so the pooled rate's own interval
    # is Wilson over cases; its half-width stands in, so a difference is never certain.
    low, high = pooled.interval
    return (high - low) / (2 * Z_95)
