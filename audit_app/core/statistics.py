"""Compliance figures with confidence intervals, for small samples.

Compliance on a criterion is met / (met + partly met + not met + not evidenced): N/A
leaves the denominator and "partly met" is reported alongside rather than half-counted.
Samples are small (often under 80 cases), so every rate carries a 95% Wilson score
interval, which behaves well near 0% and 100% where the textbook Wald interval does not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from audit_app.core.answers import Answer

Z_95 = 1.959963984540054  # two-sided 95% standard normal quantile
SMALL_SAMPLE = 10  # fewer cases than this and a figure is flagged as resting on few cases


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for `successes` out of `trials` (0..1 bounds)."""
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError(f"Need 0 <= successes <= trials, got {successes}/{trials}")
    if trials == 0:
        return (0.0, 1.0)
    return wilson_share_interval(successes / trials, trials, z)


def wilson_share_interval(share: float, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson's score interval for a share of `trials` (the share need not be a whole
    count: agreeing pairs when more than two members rated a case, or a mean case rate)."""
    z_squared = z * z
    denominator = 1 + z_squared / trials
    centre = (share + z_squared / (2 * trials)) / denominator
    half_width = (z / denominator) * math.sqrt(
        share * (1 - share) / trials + z_squared / (4 * trials * trials))
    # Float noise must not push 0 above 0, 1 below 1, or a bound past the share itself.
    low = 0.0 if share <= 0 else min(share, max(0.0, centre - half_width))
    high = 1.0 if share >= 1 else max(share, min(1.0, centre + half_width))
    return (low, high)


@dataclass(frozen=True)
class Compliance:
    """Counts of each answer for one group of case x criterion answers, and the rate."""

    met: int = 0
    partly_met: int = 0
    not_met: int = 0
    not_evidenced: int = 0
    not_applicable: int = 0
    not_in_file: int = 0  # the file pack lacked what the criterion needs: out of the rate

    @property
    def denominator(self) -> int:
        return self.met + self.partly_met + self.not_met + self.not_evidenced

    @property
    def file_pack_needed(self) -> int:
        """Answers where the criterion applied: those scored plus those the file pack lacked."""
        return self.denominator + self.not_in_file

    @property
    def rate(self) -> float | None:
        """Share fully met, or None when nothing counts (all N/A or unanswered)."""
        return self.met / self.denominator if self.denominator else None

    @property
    def partly_rate(self) -> float | None:
        return self.partly_met / self.denominator if self.denominator else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.met, self.denominator) if self.denominator else None

    @property
    def small_sample(self) -> bool:
        return self.denominator < SMALL_SAMPLE

    def __add__(self, other: Compliance) -> Compliance:
        return Compliance(self.met + other.met, self.partly_met + other.partly_met,
                          self.not_met + other.not_met, self.not_evidenced + other.not_evidenced,
                          self.not_applicable + other.not_applicable,
                          self.not_in_file + other.not_in_file)

    def to_dict(self) -> dict[str, object]:
        interval = self.interval
        return {
            "met": self.met, "partly_met": self.partly_met, "not_met": self.not_met,
            "not_evidenced": self.not_evidenced, "not_applicable": self.not_applicable,
            "denominator": self.denominator, "compliance": self.rate,
            "partly_met_rate": self.partly_rate,
            "ci_low": interval[0] if interval else None,
            "ci_high": interval[1] if interval else None,
            "small_sample": self.small_sample,
            "not_in_file": self.not_in_file,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Compliance:
        """The counts back from `to_dict`; the rate and interval follow from them."""
        return cls(int(values["met"]), int(values["partly_met"]), int(values["not_met"]),
                   int(values["not_evidenced"]), int(values["not_applicable"]),
                   int(values.get("not_in_file", 0)))


_EVERY_ANSWER = tuple(Answer)  # iterating an Enum class is slow, and tally runs per case


def tally(answers: Iterable[Answer]) -> Compliance:
    counts = dict.fromkeys(_EVERY_ANSWER, 0)
    for answer in answers:
        counts[answer] += 1
    return Compliance(met=counts[Answer.MET], partly_met=counts[Answer.PARTLY_MET],
                      not_met=counts[Answer.NOT_MET], not_evidenced=counts[Answer.NOT_EVIDENCED],
                      not_applicable=counts[Answer.NOT_APPLICABLE],
                      not_in_file=counts[Answer.NOT_IN_FILE])


@dataclass(frozen=True)
class ProportionComparison:
    """A two-proportion z-test of this audit's rate against an earlier audit's."""

    rate_now: float
    rate_before: float
    difference: float
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


def compare_proportions(successes_now: int, trials_now: int, successes_before: int,
                        trials_before: int) -> ProportionComparison | None:
    """Pooled two-proportion z-test (two-sided); None where either side has no cases."""
    if trials_now <= 0 or trials_before <= 0:
        return None
    rate_now = successes_now / trials_now
    rate_before = successes_before / trials_before
    pooled = (successes_now + successes_before) / (trials_now + trials_before)
    variance = pooled * (1 - pooled) * (1 / trials_now + 1 / trials_before)
    if variance == 0:
        # Both rates are 0% or both 100%: no evidence of a difference.
        return ProportionComparison(rate_now, rate_before, rate_now - rate_before, 0.0, 1.0)
    z = (rate_now - rate_before) / math.sqrt(variance)
    p_value = math.erfc(abs(z) / math.sqrt(2))
    return ProportionComparison(rate_now, rate_before, rate_now - rate_before, z, p_value)


def format_rate(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"
