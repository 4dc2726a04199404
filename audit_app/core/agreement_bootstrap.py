"""Agreement figures from per-unit sums, and case-bootstrap intervals for them.

Every figure needs only sums over the double-rated units: how many there are, each unit's
share of agreeing rater pairs, and each unit's share of ratings in each category (Fleiss'
kappa in its form for a varying number of raters per unit, and Gwet's AC1, as in Gwet's
*Handbook of Inter-Rater Reliability* and the irrCAC package).

The case is the unit of analysis: one case gives an answer on every criterion, so the
pooled figure's resamples draw whole cases with replacement, each bringing its answers on
every criterion; a criterion's resamples draw from the cases rated on it. Percentile
intervals; a fixed, recorded seed makes the same answers give the same intervals. Pure
Python (no numpy at run time), and quick: a criterion's figures depend only on how many
units of each kind a resample holds, so those counts are drawn directly.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import mul, sub
from typing import TypeVar

Interval = tuple[float, float]
CaseKey = TypeVar("CaseKey", bound=Hashable)  # whatever names a case (its record id)

RESAMPLES = 2000
BOOTSTRAP_SEED = 1971  # recorded with every interval (Fleiss' paper year; any fixed number)
_CERTAIN = 1 - 1e-12  # chance agreement this close to 1 means every answer was the same


@dataclass(frozen=True)
class UnitSummary:
    """One double-rated unit (a case on one criterion) reduced to what the figures need."""

    agreeing: float  # share of its rater pairs that chose the same category
    shares: tuple[float, ...]  # share of its ratings in each category, in scale order


@dataclass(frozen=True)
class Estimates:
    percent_agreement: float
    fleiss_kappa: float | None  # None: not defined (chance agreement is total)
    gwet_ac1: float | None


@dataclass(frozen=True)
class BootstrapIntervals:
    percent_agreement: Interval | None
    fleiss_kappa: Interval | None
    gwet_ac1: Interval | None


def estimates(units: float, agreeing: float, shares: Sequence[float],
              category_count: int) -> Estimates:
    """The figures from sums over `units` double-rated units (units > 0)."""
    return _from_sums(units, agreeing, sum(map(mul, shares, shares)), category_count)


def _from_sums(units: float, agreeing: float, shares_squared: float,
               category_count: int) -> Estimates:
    """Category shares sum to one, so both chance terms need only their sum of squares:
    Fleiss' is sum(p^2) and Gwet's is sum(p(1-p)) / (q-1) = (1 - sum(p^2)) / (q-1)."""
    observed = agreeing / units
    fleiss_chance = shares_squared / (units * units)
    kappa = (None if fleiss_chance >= _CERTAIN
             else (observed - fleiss_chance) / (1 - fleiss_chance))
    ac1: float | None
    if category_count < 2:
        ac1 = 1.0 if observed == 1 else None
    else:
        gwet_chance = (1 - fleiss_chance) / (category_count - 1)
        ac1 = (observed - gwet_chance) / (1 - gwet_chance)
    return Estimates(observed, kappa, ac1)


def summed_estimates(summaries: Sequence[UnitSummary], category_count: int
                     ) -> Estimates | None:
    if not summaries:
        return None
    shares = [sum(column) for column in zip(*(s.shares for s in summaries), strict=True)]
    return estimates(len(summaries), sum(s.agreeing for s in summaries), shares,
                     category_count)


def case_bootstrap(groups: Mapping[str, Mapping[CaseKey, UnitSummary]], category_count: int,
                   *, resamples: int = RESAMPLES, seed: int = BOOTSTRAP_SEED
                   ) -> tuple[BootstrapIntervals | None, dict[str, BootstrapIntervals | None]]:
    """Intervals for every unit pooled (first) and for each group, from `resamples`
    resamples of the cases; None where a group has no double-rated unit.

    Pooled, a resample draws from every case, each bringing all its units. A group (one
    criterion) has one unit per case, so its resample draws from the cases rated on it;
    its figures depend only on how many units of each kind were drawn (a multinomial
    count), which is drawn directly: fast enough to run on every recomputation.
    """
    if resamples < 1:
        return None, {key: None for key in groups}
    pooled = _pooled_intervals(groups, category_count, resamples, seed)
    remembered: dict[tuple[tuple[UnitSummary, int], ...], BootstrapIntervals | None] = {}
    per_group: dict[str, BootstrapIntervals | None] = {}
    for key, units in groups.items():
        # Criteria with the same kinds of unit in the same numbers share their intervals.
        kinds = tuple(sorted(Counter(units.values()).items(),
                             key=lambda kind: (kind[0].shares, kind[0].agreeing)))
        if kinds not in remembered:
            remembered[kinds] = _group_intervals(kinds, category_count, resamples, seed)
        per_group[key] = remembered[kinds]
    return pooled, per_group


def _pooled_intervals(groups: Mapping[str, Mapping[CaseKey, UnitSummary]],
                      category_count: int, resamples: int, seed: int
                      ) -> BootstrapIntervals | None:
    # A fixed case order, so the seed alone fixes which cases each resample draws.
    cases = sorted({case for units in groups.values() for case in units}, key=repr)
    if not cases:
        return None
    index = {case: position for position, case in enumerate(cases)}
    width = len(next(s for units in groups.values() for s in units.values()).shares)
    # Each case as one row of sums over its units: how many, agreeing share, category
    # shares. A resample adds up the drawn rows column by column.
    rows = [[0.0] * (width + 2) for _ in cases]
    for units in groups.values():
        for case, summary in units.items():
            row = rows[index[case]]
            row[0] += 1
            row[1] += summary.agreeing
            for k, share in enumerate(summary.shares):
                row[2 + k] += share
    case_rows = [tuple(row) for row in rows]
    draws = _Draws()
    rng = random.Random(seed)
    count = len(cases)
    for _ in range(resamples):
        drawn = rng.choices(range(count), k=count)
        totals = list(map(sum, zip(*map(case_rows.__getitem__, drawn), strict=True)))
        shares = totals[2:]
        draws.add(totals[1] / totals[0], sum(map(mul, shares, shares)) / totals[0] ** 2,
                  category_count)
    sums = [sum(row[column] for row in case_rows) for column in range(width + 2)]
    return _intervals(draws, estimates(sums[0], sums[1], sums[2:], category_count))


def _group_intervals(kinds: Sequence[tuple[UnitSummary, int]], category_count: int,
                     resamples: int, seed: int) -> BootstrapIntervals | None:
    """One criterion: resample its cases; `kinds` counts its units of each kind."""
    if not kinds:
        return None
    point = summed_estimates([summary for summary, times in kinds for _ in range(times)],
                             category_count)
    if len(kinds) == 1:  # every resample gives the same figures
        return _fixed(point)
    count = sum(times for _, times in kinds)
    used = [k for k in range(len(kinds[0][0].shares)) if any(s.shares[k] for s, _ in kinds)]
    shares_by_kind = [[summary.shares[k] for k in used] for summary, _ in kinds]
    agreeing_by_kind = [summary.agreeing for summary, _ in kinds]
    rng = random.Random(seed)
    drawn_counts = Counter(_multinomial_draws(rng, count, [times for _, times in kinds],
                                              resamples))
    # The figures depend only on how many units of each kind were drawn: work each
    # distinct count out once, however many resamples drew it.
    draws = _Draws()
    for drawn, times in sorted(drawn_counts.items()):
        shares = [sum(map(mul, drawn, column)) for column in zip(*shares_by_kind, strict=True)]
        draws.add(sum(map(mul, drawn, agreeing_by_kind)) / count,
                  sum(map(mul, shares, shares)) / (count * count), category_count, times)
    return _intervals(draws, point)


def _multinomial_draws(rng: random.Random, trials: int, weights: Sequence[int],
                       resamples: int) -> list[tuple[int, ...]]:
    """`resamples` multinomial counts of `trials` draws over kinds weighted `weights`: one
    binomial per kind on what the earlier kinds left (exact), each drawn by looking a
    uniform number up in that binomial's cumulative table; kind by kind for speed."""
    remaining = [trials] * resamples
    uniform = rng.random
    columns = []
    rest = float(sum(weights))
    for weight in weights[:-1]:
        probability = min(1.0, weight / rest) if rest > 0 else 1.0
        rest -= weight
        tables = {left: _binomial_cumulative(left, probability) for left in set(remaining)}
        uniforms = [uniform() for _ in repeat(None, resamples)]
        # A uniform number below 1 lands at most on the table's last entry (exactly 1).
        column = list(map(bisect.bisect_left, map(tables.__getitem__, remaining), uniforms))
        remaining = list(map(sub, remaining, column))
        columns.append(column)
    return list(zip(*columns, remaining, strict=True))


def _binomial_cumulative(trials: int, probability: float) -> tuple[float, ...]:
    """P(X <= k) for k = 0..trials, X ~ Binomial(trials, probability)."""
    if probability <= 0:
        return (1.0,) * (trials + 1)
    if probability >= 1:
        return (0.0,) * trials + (1.0,)
    log_p, log_q = math.log(probability), math.log1p(-probability)
    total, cumulative = 0.0, []
    for k in range(trials + 1):
        total += math.exp(math.lgamma(trials + 1) - math.lgamma(k + 1)
                          - math.lgamma(trials - k + 1) + k * log_p + (trials - k) * log_q)
        cumulative.append(total)
    cumulative[-1] = 1.0  # not a hair under, whatever the rounding
    return tuple(cumulative)


def _fixed(point: Estimates | None) -> BootstrapIntervals | None:
    if point is None:
        return None
    return BootstrapIntervals(*(None if value is None else (value, value) for value in (
        point.percent_agreement, point.fleiss_kappa, point.gwet_ac1)))


@dataclass
class _Draws:
    """Each figure on every resample where it is defined: resamples where kappa is not
    defined (every answer the same) are left out of its interval."""

    percent_agreement: list[float] = field(default_factory=list)
    fleiss_kappa: list[float] = field(default_factory=list)
    gwet_ac1: list[float] = field(default_factory=list)

    def add(self, observed: float, fleiss_chance: float, category_count: int,
            times: int = 1) -> None:
        """The figures of `times` resamples alike (`_from_sums` written out: it runs often)."""
        self.percent_agreement.extend([observed] * times)
        if fleiss_chance < _CERTAIN:
            self.fleiss_kappa.extend([(observed - fleiss_chance) / (1 - fleiss_chance)] * times)
        if category_count >= 2:
            gwet_chance = (1 - fleiss_chance) / (category_count - 1)
            self.gwet_ac1.extend([(observed - gwet_chance) / (1 - gwet_chance)] * times)


def _intervals(draws: _Draws, point: Estimates | None) -> BootstrapIntervals | None:
    if point is None:
        return None
    return BootstrapIntervals(
        percentile_interval(draws.percent_agreement, point.percent_agreement),
        percentile_interval(draws.fleiss_kappa, point.fleiss_kappa),
        percentile_interval(draws.gwet_ac1, point.gwet_ac1))


def percentile_interval(values: Sequence[float], estimate: float | None) -> Interval | None:
    """The 2.5th and 97.5th percentiles (linear interpolation), widened if need be to hold
    the estimate itself: an interval that left out its own figure would only confuse."""
    if estimate is None or not values:
        return None
    ordered = sorted(values)
    return (min(_quantile(ordered, 0.025), estimate), max(_quantile(ordered, 0.975), estimate))


def _quantile(ordered: Sequence[float], probability: float) -> float:
    position = probability * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
