"""How far members agree: percent agreement, Cohen's and Fleiss' kappa, Gwet's AC1.

Each unit (a case scored on one criterion) maps each member to the category they chose.
Only units rated by at least two members count: a lone answer says nothing about
agreement. Units may have different numbers of ratings; the formulas are those of
Fleiss (1971) generalised to a varying number of raters, as in Gwet's *Handbook of
Inter-Rater Reliability* (4th ed.) and the irrCAC package. Kappa is not defined (None)
when chance agreement is total (every answer the same).

Intervals: percent agreement on one criterion (one unit per case) has a Wilson interval
over the double-rated cases; everything pooled over criteria, and kappa and AC1
everywhere, has a case-bootstrap interval (`agreement_bootstrap`). Verbal readings
(Landis and Koch, 1977) are given only with at least `MIN_CASES_TO_READ` cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit_app.core.agreement_bootstrap import (
    BOOTSTRAP_SEED,
    RESAMPLES,
    BootstrapIntervals,
    CaseKey,
    Interval,
    UnitSummary,
    case_bootstrap,
    summed_estimates,
)
from audit_app.core.statistics import wilson_share_interval

Unit = Mapping[str, str]  # member -> category
MIN_CASES_TO_READ = 10
NOT_DEFINED = "not defined"
TOO_FEW_TO_READ = "too few cases to read"
NO_CASE_RATED_TWICE = "no case rated by two members"
CASES_NOT_RECORDED = "not read: cases not recorded"


@dataclass(frozen=True)
class Agreement:
    units: int  # units (case x criterion) rated by at least two members
    raters: int
    percent_agreement: float | None
    cohen_kappa: float | None  # only where exactly two members rated
    fleiss_kappa: float | None
    gwet_ac1: float | None
    # Cases rated by at least two members (n); None where findings kept before it was
    # recorded pooled several criteria, so that n is not known.
    cases: int | None = None
    percent_interval: Interval | None = None
    kappa_interval: Interval | None = None
    ac1_interval: Interval | None = None
    resamples: int = 0  # case-bootstrap resamples behind the kappa and AC1 intervals
    seed: int | None = None  # the bootstrap's seed: the same answers give the same intervals

    @property
    def rated(self) -> bool:
        """Whether any case was rated by two or more members."""
        return self.units > 0

    @property
    def reading(self) -> str:
        """Landis and Koch's words for kappa, only where enough cases support them."""
        if not self.rated:
            return NO_CASE_RATED_TWICE
        if self.cases is None:
            return CASES_NOT_RECORDED
        if self.cases < MIN_CASES_TO_READ:
            return TOO_FEW_TO_READ
        return describe_kappa(self.fleiss_kappa)

    def to_dict(self) -> dict[str, object]:
        return {"units": self.units, "raters": self.raters,
                "percent_agreement": self.percent_agreement, "cohen_kappa": self.cohen_kappa,
                "fleiss_kappa": self.fleiss_kappa, "gwet_ac1": self.gwet_ac1,
                "cases": self.cases, "percent_interval": _list(self.percent_interval),
                "kappa_interval": _list(self.kappa_interval),
                "ac1_interval": _list(self.ac1_interval), "resamples": self.resamples,
                "seed": self.seed}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Agreement:
        """Also reads dicts stored before n, intervals and the seed were recorded: there a
        criterion's units are its cases; every criterion pooled ("all") has no known n."""
        cases, seed = values.get("cases"), values.get("seed")
        if "cases" not in values and values.get("criterion") != "all":
            cases = values["units"]
        return cls(int(values["units"]), int(values["raters"]),
                   _measure_or_none(values["percent_agreement"]),
                   _measure_or_none(values["cohen_kappa"]),
                   _measure_or_none(values["fleiss_kappa"]), _measure_or_none(values["gwet_ac1"]),
                   cases=None if cases is None else int(cases),
                   percent_interval=_interval(values.get("percent_interval")),
                   kappa_interval=_interval(values.get("kappa_interval")),
                   ac1_interval=_interval(values.get("ac1_interval")),
                   resamples=int(values.get("resamples") or 0),
                   seed=None if seed is None else int(seed))


def _measure_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _list(interval: Interval | None) -> list[float] | None:
    return None if interval is None else [interval[0], interval[1]]


def _interval(value: Any) -> Interval | None:
    return None if value is None else (float(value[0]), float(value[1]))


def _double_rated(units: Sequence[Unit]) -> list[Counter[str]]:
    return [Counter(unit.values()) for unit in units if len(unit) >= 2]


def _category_order(unit_counts: Sequence[Counter[str]],
                    categories: Sequence[str] | None) -> list[str]:
    seen = sorted({category for counts in unit_counts for category in counts})
    scale = list(dict.fromkeys(categories or ()))
    return scale + [category for category in seen if category not in scale]


def _summary(counts: Counter[str], order: Sequence[str]) -> UnitSummary:
    total = sum(counts.values())
    agreeing = sum(n * (n - 1) for n in counts.values()) / (total * (total - 1))
    return UnitSummary(agreeing, tuple(counts[category] / total for category in order))


def _category_count(unit_counts: Sequence[Counter[str]], categories: Sequence[str] | None
                    ) -> int:
    seen = {category for counts in unit_counts for category in counts}
    return len(set(categories) | seen) if categories else len(seen)


def percent_agreement(units: Sequence[Unit]) -> float | None:
    """Mean share of agreeing member pairs over units rated at least twice."""
    counted = _double_rated(units)
    found = summed_estimates([_summary(c, _category_order(counted, None)) for c in counted], 2)
    return None if found is None else found.percent_agreement


def fleiss_kappa(units: Sequence[Unit]) -> float | None:
    counted = _double_rated(units)
    found = summed_estimates([_summary(c, _category_order(counted, None)) for c in counted], 2)
    return None if found is None else found.fleiss_kappa


def gwet_ac1(units: Sequence[Unit], categories: Sequence[str] | None = None) -> float | None:
    """Gwet's AC1; `categories` is the full scale (chance depends on how many there are)."""
    counted = _double_rated(units)
    order = _category_order(counted, categories)
    found = summed_estimates([_summary(c, order) for c in counted],
                             _category_count(counted, categories))
    return None if found is None else found.gwet_ac1


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two members' answers on the same units."""
    if not pairs:
        return None
    total = len(pairs)
    observed = sum(1 for first, second in pairs if first == second) / total
    first_counts = Counter(first for first, _ in pairs)
    second_counts = Counter(second for _, second in pairs)
    chance = sum(first_counts[c] * second_counts[c] for c in first_counts) / (total * total)
    return None if chance >= 1 else (observed - chance) / (1 - chance)


def measure_agreement(units: Sequence[Unit], categories: Sequence[str] | None = None, *,
                      resamples: int = RESAMPLES, seed: int = BOOTSTRAP_SEED) -> Agreement:
    """All the measures for one criterion's units (one unit per case)."""
    return measure_groups({"": dict(enumerate(units))}, categories, resamples=resamples,
                          seed=seed)[1][""]


def measure_groups(groups: Mapping[str, Mapping[CaseKey, Unit]],
                   categories: Sequence[str] | None = None, *, resamples: int = RESAMPLES,
                   seed: int = BOOTSTRAP_SEED) -> tuple[Agreement, dict[str, Agreement]]:
    """Each group's measures (a group is one criterion: case -> unit) and every group
    pooled; the bootstrap resamples cases, so a case's units stay together."""
    double = {key: {case: unit for case, unit in units.items() if len(unit) >= 2}
              for key, units in groups.items()}
    # Units with the same answers (in any order of members) share one count and summary:
    # thousands of cases give only a handful of distinct units per criterion.
    answers = {key: {case: tuple(sorted(unit.values())) for case, unit in units.items()}
               for key, units in double.items()}
    distinct = dict.fromkeys(values for units in answers.values() for values in units.values())
    counted = {values: Counter(values) for values in distinct}  # in first-seen order
    every_count = list(counted.values())
    order = _category_order(every_count, categories)
    category_count = _category_count(every_count, categories)
    summary_of = {values: _summary(count, order) for values, count in counted.items()}
    summaries = {key: {case: summary_of[values] for case, values in units.items()}
                 for key, units in answers.items()}
    pooled_intervals, group_intervals = case_bootstrap(summaries, category_count,
                                                       resamples=resamples, seed=seed)
    per_group = {key: _measure(list(double[key].values()), list(summaries[key].values()),
                               category_count, group_intervals[key], resamples, seed,
                               per_case=True)
                 for key in groups}
    pooled_units = [unit for units in double.values() for unit in units.values()]
    pooled_summaries = [s for key in groups for s in summaries[key].values()]
    pooled = _measure(pooled_units, pooled_summaries, category_count, pooled_intervals,
                      resamples, seed, per_case=False,
                      cases=len({case for units in double.values() for case in units}))
    return pooled, per_group


def _measure(rated: Sequence[Unit], summaries: Sequence[UnitSummary], category_count: int,
             intervals: BootstrapIntervals | None, resamples: int, seed: int, *,
             per_case: bool, cases: int | None = None) -> Agreement:
    """`rated`: the double-rated units; `cases`: how many cases they come from (pooled)."""
    raters = sorted({rater for unit in rated for rater in unit})
    kappa_two: float | None = None
    if len(raters) == 2:
        first, second = raters
        kappa_two = cohen_kappa([(unit[first], unit[second]) for unit in rated])
    found = summed_estimates(summaries, category_count)
    if found is None:
        return Agreement(0, len(raters), None, None, None, None, cases=0)
    case_count = len(rated) if cases is None else cases
    # One unit per case: Wilson over the cases. Pooled over criteria: the case bootstrap.
    percent_interval = (wilson_share_interval(found.percent_agreement, case_count) if per_case
                        else intervals.percent_agreement if intervals else None)
    return Agreement(len(rated), len(raters), found.percent_agreement, kappa_two,
                     found.fleiss_kappa, found.gwet_ac1, cases=case_count,
                     percent_interval=_holding(percent_interval, found.percent_agreement),
                     kappa_interval=_holding(intervals.fleiss_kappa if intervals else None,
                                             found.fleiss_kappa),
                     ac1_interval=_holding(intervals.gwet_ac1 if intervals else None,
                                           found.gwet_ac1),
                     resamples=resamples if intervals else 0,
                     seed=seed if intervals else None)


def _holding(interval: Interval | None, value: float | None) -> Interval | None:
    """`interval`, widened to hold `value` exactly: criteria sharing one bootstrap sum
    their units in another order, so the figure can differ in its last bit."""
    if interval is None or value is None:
        return interval
    return (min(interval[0], value), max(interval[1], value))


def describe_kappa(value: float | None) -> str:
    """Landis and Koch's (1977) plain-English bands; "not defined" where kappa is not."""
    if value is None:
        return NOT_DEFINED
    if value < 0:
        return "poor"
    bands = ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial"))
    for upper, label in bands:
        if value <= upper:
            return label
    return "almost perfect"


def read_coefficient(value: float | None) -> str:
    """A kappa or AC1 value with its plain reading: "0.62 – substantial agreement",
    "−0.10 – poor agreement" (Landis and Koch's bands, `describe_kappa`)."""
    if value is None:
        return NOT_DEFINED
    shown = f"{value:.2f}".replace("-", "\u2212")  # a true minus sign reads better
    return f"{shown} \u2013 {describe_kappa(value)} agreement"
