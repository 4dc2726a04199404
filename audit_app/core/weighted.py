"""Population estimates from a stratified sample with unequal inclusion probabilities.

Under proportional allocation every case has the same chance of selection and the plain
(unweighted) pooled rate estimates the population. Under equal allocation, quotas, or
always-include rules, cases in small strata (and always-included cases) are over-
represented; each case then carries the weight 1 / inclusion probability = N_h / n_h,
or (N_h - a_h) / (n_h - a_h) where a_h cases of the stratum were always included
(always-included cases: weight 1, they stand only for themselves).

Estimator: r = sum_i w_i met_i / sum_i w_i scored_i, over scored cases.
Variance: linearised, stratified, with the case as the unit and a finite-population
correction per stratum (1 - n_h / N_h = 1 - 1 / w_h):

    z_i = w_i (met_i - r scored_i)
    var(r) = sum_h (1 - 1/w_h) n_h / (n_h - 1) sum_{i in h} (z_i - mean_h z)^2 / (sum w scored)^2

Always-included cases (w = 1) add no variance. A stratum with one scored case cannot show
spread and adds none (reported as `strata_without_variance`). The interval is on the logit
scale as for the unweighted pooled rate (`core.clustered`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from audit_app.core.clustered import logit_interval


@dataclass(frozen=True)
class WeightedCase:
    met: int
    scored: int
    stratum: str
    weight: float  # N_h / n_h; 1 for a case always included


@dataclass(frozen=True)
class WeightedRate:
    rate: float | None
    standard_error: float | None
    interval: tuple[float, float] | None
    cases: int
    strata_without_variance: int = 0


def stratum_weights(in_population: Mapping[str, int], in_sample: Mapping[str, int]
                    ) -> dict[str, float]:
    """N_h / n_h per stratum that has sampled cases."""
    return {name: in_population.get(name, 0) / count for name, count in in_sample.items()
            if count > 0 and in_population.get(name, 0) >= count}


def inclusion_weights(in_population: Mapping[str, int], drawn: Mapping[str, int],
                      always: Mapping[str, int]) -> dict[str, float]:
    """Weight of a randomly drawn case per stratum: (N_h - a_h) / (n_h - a_h), where a_h
    cases were always included and `drawn` counts the others (n_h - a_h). The
    always-included cases themselves weigh 1."""
    weights = {}
    for name, count in drawn.items():
        left = in_population.get(name, 0) - always.get(name, 0)
        if count > 0 and left >= count:
            weights[name] = left / count
    return weights


def weighted_pool(per_case: Iterable[WeightedCase]) -> WeightedRate:
    """The weighted rate over scored cases. Cases passed with nothing scored (not yet
    reviewed, or outside the group being estimated) add nothing to the rate but stay in
    their stratum for the variance (a residual of 0), as domain estimation requires."""
    sampled = list(per_case)
    cases = [case for case in sampled if case.scored > 0]
    weighted_scored = sum(c.weight * c.scored for c in cases)
    if not cases or weighted_scored <= 0:
        return WeightedRate(None, None, None, len(cases))
    rate = sum(c.weight * c.met for c in cases) / weighted_scored
    # Always-included cases (weight 1) are a certainty stratum of their own wherever drawn.
    by_stratum: dict[tuple[str, bool], list[WeightedCase]] = defaultdict(list)
    for case in sampled:
        by_stratum[(case.stratum, case.weight <= 1)].append(case)
    total = 0.0
    lonely = 0
    for members in by_stratum.values():
        if len(members) < 2:
            lonely += 1 if members[0].weight > 1 and members[0].scored > 0 else 0
            continue
        residuals = [c.weight * (c.met - rate * c.scored) for c in members]
        mean = sum(residuals) / len(residuals)
        count = len(members)
        correction = max(0.0, 1 - 1 / members[0].weight)  # finite-population correction
        total += correction * count / (count - 1) * sum((z - mean) ** 2 for z in residuals)
    standard_error = math.sqrt(total) / weighted_scored
    interval = (logit_interval(rate, standard_error)
                if len(cases) > 1 and 0 < rate < 1 and standard_error > 0 else None)
    return WeightedRate(rate, standard_error, interval, len(cases), lonely)
