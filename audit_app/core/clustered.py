"""Pooled compliance rates with the case as the unit of analysis.

A pooled rate (overall, a section, a breakdown group) adds up answers from several
criteria on each case. Answers on one case are not independent (one investigation, one
file, one officer), so the interval must come from the spread between cases, not from
the number of answers.

The rate is a ratio estimator: r = sum of met / sum of scored answers, over cases.
Its variance is the cluster-robust linearised (Taylor) one:

    var(r) = n / (n - 1) * sum_i (met_i - r * scored_i)^2 / (sum_i scored_i)^2

with n the number of cases scored. This is exactly the cluster-robust variance that
statsmodels gives for the mean of 0/1 answers (OLS on a constant, cov_type="cluster",
its default small-sample correction G/(G-1) * (N-1)/(N-K), which is G/(G-1) when K=1).

The 95% interval is built on the logit scale (delta method: se of logit r = se / (r(1-r)))
and transformed back, so it stays inside 0..1 and is lopsided near the ends, like Wilson.
Where the case-level variance is zero (every case scored 0%, every case 100%, or every
case the same rate) the logit interval has no width; there the interval is Wilson's
with the number of cases as the sample size, which treats each case as one observation.
One case gives no interval at all: nothing can be said about spread between cases.
The design effect is var(r) over the variance the same answers would have if they were
independent (r(1-r)/answers): about how many answers are worth one independent one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from audit_app.core.statistics import SMALL_SAMPLE, Z_95, wilson_share_interval

ONE_CASE = "one case: no interval"
METHOD = "case-clustered"  # marks figures computed this way in saved findings


@dataclass(frozen=True)
class CaseCounts:
    """One case's answers within a pooled group."""

    met: int
    scored: int  # met + partly + not met + not evidenced (N/A left out)
    awaiting: int = 0  # answers on this case awaiting moderation, left out of `scored`


@dataclass(frozen=True)
class PooledRate:
    """A pooled fully-met rate with its case-level 95% interval.

    `cases` is the number of cases with at least one scored answer; None in findings kept
    from before case-level figures were recorded (then there is no interval either).
    """

    met: int = 0
    scored: int = 0
    cases: int | None = 0
    interval: tuple[float, float] | None = None
    standard_error: float | None = None
    design_effect: float | None = None
    awaiting: int = 0

    @property
    def rate(self) -> float | None:
        return self.met / self.scored if self.scored else None

    @property
    def small_sample(self) -> bool:
        """Fewer than SMALL_SAMPLE scored cases (unknown for old kept findings: not flagged)."""
        return self.cases is not None and self.cases < SMALL_SAMPLE

    @property
    def settled_bounds(self) -> tuple[float, float] | None:
        """The rate if every answer awaiting moderation went against, and if every one went
        for; None when nothing awaits."""
        return settled_bounds(self.met, self.scored, self.awaiting)

    def to_dict(self) -> dict[str, object]:
        bounds = self.settled_bounds
        return {
            "interval_method": METHOD if self.cases is not None else None,
            "cases_scored": self.cases, "compliance": self.rate,
            "ci_low": self.interval[0] if self.interval else None,
            "ci_high": self.interval[1] if self.interval else None,
            "standard_error": self.standard_error, "design_effect": self.design_effect,
            "small_sample": self.small_sample, "awaiting_moderation_answers": self.awaiting,
            "if_settled_low": bounds[0] if bounds else None,
            "if_settled_high": bounds[1] if bounds else None,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> PooledRate:
        """Back from `to_dict` merged over `Compliance.to_dict`; an older snapshot (no
        `interval_method`) keeps its counts but not its answer-level interval."""
        met, scored = int(values["met"]), int(values["denominator"])
        if values.get("interval_method") != METHOD:
            return cls(met, scored, None)
        low, high = values.get("ci_low"), values.get("ci_high")
        return cls(met, scored, int(values["cases_scored"]),
                   (float(low), float(high)) if low is not None and high is not None else None,
                   _optional_float(values.get("standard_error")),
                   _optional_float(values.get("design_effect")),
                   int(values.get("awaiting_moderation_answers") or 0))


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def settled_bounds(met: int, scored: int, awaiting: int) -> tuple[float, float] | None:
    """(rate if all awaiting answers are not met, rate if all are met). An awaiting answer
    settled as N/A leaves the rate between the two, so these are true bounds."""
    if awaiting <= 0:
        return None
    total = scored + awaiting
    return (met / total, (met + awaiting) / total)


def clustered_standard_error(per_case: Iterable[tuple[int, int]]) -> float | None:
    """Linearised cluster-robust standard error of sum(met)/sum(scored), with the n/(n-1)
    factor; None with fewer than two cases or nothing scored."""
    pairs = [(met, scored) for met, scored in per_case if scored > 0]
    total = sum(scored for _, scored in pairs)
    if len(pairs) < 2 or total == 0:
        return None
    rate = sum(met for met, _ in pairs) / total
    residual_squares = sum((met - rate * scored) ** 2 for met, scored in pairs)
    cases = len(pairs)
    return math.sqrt(cases / (cases - 1) * residual_squares) / total


def logit_interval(rate: float, standard_error: float, z: float = Z_95) -> tuple[float, float]:
    """rate ± z·se on the logit scale, back-transformed; needs 0 < rate < 1."""
    centre = math.log(rate / (1 - rate))
    spread = z * standard_error / (rate * (1 - rate))
    return (1 / (1 + math.exp(-(centre - spread))), 1 / (1 + math.exp(-(centre + spread))))


def pool(per_case: Iterable[CaseCounts]) -> PooledRate:
    """The pooled rate over these cases, with its case-level interval and design effect."""
    counts = list(per_case)
    scored_cases = [c for c in counts if c.scored > 0]
    met = sum(c.met for c in scored_cases)
    scored = sum(c.scored for c in scored_cases)
    awaiting = sum(c.awaiting for c in counts)
    cases = len(scored_cases)
    if cases < 2:
        return PooledRate(met, scored, cases, None, None, None, awaiting)
    rate = met / scored
    standard_error = clustered_standard_error((c.met, c.scored) for c in scored_cases)
    assert standard_error is not None  # two or more scored cases
    if standard_error == 0 or rate in (0.0, 1.0):
        interval = wilson_share_interval(rate, cases)
    else:
        interval = logit_interval(rate, standard_error)
    independent_variance = rate * (1 - rate) / scored
    design_effect = (standard_error ** 2 / independent_variance if independent_variance > 0
                     else None)
    return PooledRate(met, scored, cases, interval, standard_error, design_effect, awaiting)


def describe_pooled(pooled: PooledRate) -> str:
    """'60% (47%–72%), 12 cases', 'one case: no interval', or 'no scored answers'."""
    if pooled.rate is None:
        return "no scored answers"
    text = f"{pooled.rate:.0%}"
    if pooled.interval is not None:
        text += f" ({pooled.interval[0]:.0%}–{pooled.interval[1]:.0%})"
    elif pooled.cases == 1:
        text += f" ({ONE_CASE})"
    if pooled.cases is not None:
        text += f", {pooled.cases} case{'' if pooled.cases == 1 else 's'} scored"
    return text


def describe_bounds(bounds: tuple[float, float] | None, awaiting: int) -> str:
    """'55%–63% if the 14 answers awaiting moderation are settled either way', or ''."""
    if bounds is None:
        return ""
    things = "the answer awaiting moderation is" if awaiting == 1 else (
        f"the {awaiting} answers awaiting moderation are")
    return f"{bounds[0]:.0%}–{bounds[1]:.0%} if {things} settled either way"
