"""Agreement figures from per-unit sums, and case-bootstrap intervals for them.

Every figure needs only sums over the double-rated units: how many there are, each unit's
share of agreeing rater pairs, and each unit's share of ratings in each category (Fleiss'
kappa in its form for a varying number of raters per unit, and Gwet's AC1, as in Gwet's
*Handbook of Inter-Rater Reliability* and the irrCAC package).

The case is the unit of analysis: one case gives an answer on every criterion, so the
pooled figure's resamples draw whole cases with replacement, each bringing its answers on
every criterion; a criterion's resamples draw from the cases rated on it. Percentile
intervals; a fixed, recorded seed makes the same answers give the same intervals. Quick:
the resamples are numpy matrix products (numpy is imported only when intervals are drawn),
and a criterion's figures depend only on how many units of each kind a resample holds, so
those counts are drawn directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from operator import mul
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Interval = tuple[float, float]
CaseKey = TypeVar("CaseKey", bound=Hashable)  # whatever names a case (its record id)

RESAMPLES = 2000
BOOTSTRAP_SEED = 1971  # recorded with every interval (Fleiss' paper year; any fixed number)
_CERTAIN = 1 - 1e-12  # chance agreement this close to 1 means every answer was the same


class UnitSummary(NamedTuple):
    """One double-rated unit (a case on one criterion) reduced to what the figures need
    (a named tuple: hashed in C, for counting thousands of alike units)."""

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
    # Many units are alike (the same answers): sum each kind once, times how many.
    kinds = Counter(summaries).items()
    shares = [sum(summary.shares[k] * times for summary, times in kinds)
              for k in range(len(summaries[0].shares))]
    return estimates(len(summaries), sum(s.agreeing * times for s, times in kinds), shares,
                     category_count)


def case_bootstrap(groups: Mapping[str, Mapping[CaseKey, UnitSummary]], category_count: int,
                   *, resamples: int = RESAMPLES, seed: int = BOOTSTRAP_SEED
                   ) -> tuple[BootstrapIntervals | None, dict[str, BootstrapIntervals | None]]:
    """Intervals for every unit pooled (first) and for each group, from `resamples`
    resamples of the cases; None where a group has no double-rated unit.

    Pooled, a resample draws from every case, each bringing all its units. A group (one
    criterion) has one unit per case, so its resample draws from the cases rated on it;
    its figures depend only on how many units of each kind were drawn (a multinomial
    count), which is drawn directly.
    """
    if resamples < 1:
        return None, {key: None for key in groups}
    if not any(groups.values()):
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


# Resamples drawn at a time in the pooled bootstrap: bounds the count matrix's memory
# (resamples x cases) to a few megabytes however many cases there are.
_CELLS_AT_A_TIME = 1_000_000


def _pooled_intervals(groups: Mapping[str, Mapping[CaseKey, UnitSummary]],
                      category_count: int, resamples: int, seed: int
                      ) -> BootstrapIntervals | None:
    import numpy as np

    # A fixed case order, so the seed alone fixes which cases each resample draws.
    cases = sorted({case for units in groups.values() for case in units}, key=repr)
    if not cases:
        return None
    index = {case: position for position, case in enumerate(cases)}
    width = len(next(s for units in groups.values() for s in units.values()).shares)
    # Each case as one row of sums over its units: how many, agreeing share, category
    # shares. A resample's totals are its case counts times these rows.
    sums_by_case = [[0.0] * (width + 2) for _ in cases]
    for units in groups.values():
        for case, summary in units.items():
            row = sums_by_case[index[case]]
            row[0] += 1
            row[1] += summary.agreeing
            for k, share in enumerate(summary.shares, 2):
                row[k] += share
    rows = np.array(sums_by_case)
    sums = rows.sum(axis=0)
    point = estimates(float(sums[0]), float(sums[1]), [float(v) for v in sums[2:]],
                      category_count)
    count = len(cases)
    rng = _generator(seed)
    step = max(1, _CELLS_AT_A_TIME // count)
    batches = []
    for start in range(0, resamples, step):
        size = min(step, resamples - start)
        # Each resample draws `count` cases with replacement; counting how often each case
        # was drawn (one bincount for the whole batch) makes its totals a matrix product.
        drawn = rng.integers(0, count, size=(size, count))
        drawn += np.arange(size)[:, None] * count
        times = np.bincount(drawn.ravel(), minlength=size * count).reshape(size, count)
        batches.append(times @ rows)
    totals = np.concatenate(batches)
    units = totals[:, 0]
    shares = totals[:, 2:]
    return _intervals(totals[:, 1] / units, (shares * shares).sum(axis=1) / (units * units),
                      category_count, point)


def _group_intervals(kinds: Sequence[tuple[UnitSummary, int]], category_count: int,
                     resamples: int, seed: int) -> BootstrapIntervals | None:
    """One criterion: resample its cases; `kinds` counts its units of each kind."""
    import numpy as np

    if not kinds:
        return None
    point = summed_estimates([summary for summary, times in kinds for _ in range(times)],
                             category_count)
    if len(kinds) == 1:  # every resample gives the same figures
        return _fixed(point)
    times = np.array([times for _, times in kinds], dtype=float)
    count = int(times.sum())
    drawn = _generator(seed).multinomial(count, times / count, size=resamples)
    agreeing = drawn @ np.array([summary.agreeing for summary, _ in kinds])
    shares = drawn @ np.array([summary.shares for summary, _ in kinds])
    return _intervals(agreeing / count, (shares * shares).sum(axis=1) / (count * count),
                      category_count, point)


def _generator(seed: int) -> np.random.Generator:
    import numpy as np

    return np.random.Generator(np.random.PCG64(seed))


def _fixed(point: Estimates | None) -> BootstrapIntervals | None:
    if point is None:
        return None
    return BootstrapIntervals(*(None if value is None else (value, value) for value in (
        point.percent_agreement, point.fleiss_kappa, point.gwet_ac1)))


def _intervals(observed: NDArray[np.float64], fleiss_chance: NDArray[np.float64],
               category_count: int, point: Estimates | None) -> BootstrapIntervals | None:
    """Each figure on every resample where it is defined (`_from_sums`, for whole arrays
    of resamples): resamples where kappa is not defined (every answer the same) are left
    out of its interval."""
    if point is None:
        return None
    defined = fleiss_chance < _CERTAIN
    kappas = ((observed[defined] - fleiss_chance[defined]) / (1 - fleiss_chance[defined]))
    ac1s = observed[:0]
    if category_count >= 2:
        gwet_chance = (1 - fleiss_chance) / (category_count - 1)
        ac1s = (observed - gwet_chance) / (1 - gwet_chance)
    return BootstrapIntervals(
        percentile_interval(observed, point.percent_agreement),
        percentile_interval(kappas, point.fleiss_kappa),
        percentile_interval(ac1s, point.gwet_ac1))


def percentile_interval(values: NDArray[np.float64], estimate: float | None
                        ) -> Interval | None:
    """The 2.5th and 97.5th percentiles (linear interpolation), widened if need be to hold
    the estimate itself: an interval that left out its own figure would only confuse."""
    import numpy as np

    if estimate is None or not len(values):
        return None
    low, high = (float(end) for end in np.quantile(values, (0.025, 0.975)))
    return (min(low, estimate), max(high, estimate))
