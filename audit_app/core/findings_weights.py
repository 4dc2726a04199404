"""Population estimates: inverse inclusion-probability weights from the draw's record.

Under proportional allocation with no always-include rule every case had the same chance
of selection, and the sample's (unweighted) rates estimate the population's. Otherwise:

- a case the always-include rule picked stands only for itself (weight 1);
- a case drawn at random in stratum h stands for (N_h - a_h) / (n_h - a_h) cases, where
  N_h cases were in scope, a_h of them always included, and n_h - a_h drawn at random
  (a random or systematic draw without strata is one stratum).

The draw records how many cases the rule picked in each stratum ("always_included"); they
come first in the draw, so a sampled case at a position up to that count was rule-picked.
A replacement is taken in draw order from the stratum, so it counts as drawn at random.
Draws made before this record was kept say so and stay unweighted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from audit_app.core.answers import Answer
from audit_app.core.statistics import tally
from audit_app.core.weighted import WeightedCase, WeightedRate, inclusion_weights, weighted_pool

PROPORTIONAL_NOTE = ("Not weighted: every case had the same chance of selection, so the "
                     "sample's rate estimates the population's.")
ALWAYS_INCLUDED_NOTE = ("Not weighted: the always-include rule's cases are not recorded apart, "
                        "so inclusion probabilities are not known; the rate is the sample's.")
ONE_STRATUM = ""  # the weighting stratum of a draw that was not stratified


class StratifiedCaseLike(Protocol):
    @property
    def case_id(self) -> int: ...

    @property
    def position(self) -> int: ...

    @property
    def stratum(self) -> str: ...


@dataclass(frozen=True)
class CaseWeights:
    """Each weighted case's weighting stratum and weight, and the plain-English note."""

    by_case: Mapping[int, tuple[str, float]]
    note: str


def always_included(design: Mapping[str, Any]) -> dict[str, int] | None:
    """Cases the rule picked per stratum; None where an old draw did not record them."""
    record = design.get("always_included")
    if not isinstance(record, dict):
        return None if str(design.get("include_always") or "").strip() else {}
    return {str(name): int(count) for name, count in record.items()}


def rule_picked(design: Mapping[str, Any] | None, position: int) -> bool | None:
    """Whether the case at this draw position was picked by the always-include rule
    (None: not known, an old draw)."""
    picked = always_included(design or {})
    return None if picked is None else position <= sum(picked.values())


def case_weights(design: Mapping[str, Any] | None,
                 cases: Sequence[StratifiedCaseLike]) -> CaseWeights | None:
    """Weights where inclusion probabilities differ; None (with the reason in
    `weighting_note`) where figures stay unweighted."""
    if not design or _unweighted_note(design):
        return None
    picked = always_included(design) or {}
    certain = sum(picked.values())
    in_population = {str(k): int(v) for k, v in (design.get("strata_population") or {}).items()}
    stratified = _stratified(design)
    if not stratified:
        in_population = {ONE_STRATUM: sum(in_population.values())}
        picked = {ONE_STRATUM: certain}
    drawn: dict[str, int] = defaultdict(int)
    for case in cases:
        if case.position > certain:
            drawn[case.stratum if stratified else ONE_STRATUM] += 1
    weights = inclusion_weights(in_population, drawn, picked)
    by_case: dict[int, tuple[str, float]] = {}
    for case in cases:
        key = case.stratum if stratified else ONE_STRATUM
        if case.position <= certain:
            by_case[case.case_id] = (key, 1.0)
        elif key in weights:
            by_case[case.case_id] = (key, weights[key])
    return CaseWeights(by_case, _weighted_note(design, certain))


def weighting_note(design: Mapping[str, Any] | None) -> str:
    if not design:
        return ""
    return _unweighted_note(design) or _weighted_note(design, sum(
        (always_included(design) or {}).values()))


def weighted_over(case_ids: Iterable[int], codes: Sequence[str],
                  effective: Mapping[tuple[int, str], Answer],
                  weights: CaseWeights) -> WeightedRate:
    """The weighted rate over these cases and criteria. Every weighted case of the sample
    takes part (outside `case_ids` with nothing scored) so a group's variance is right."""
    chosen = set(case_ids)
    per_case = []
    for case_id, (stratum, weight) in weights.by_case.items():
        counts = tally(effective[(case_id, code)] for code in codes
                       if (case_id, code) in effective) if case_id in chosen else None
        per_case.append(WeightedCase(counts.met if counts else 0,
                                     counts.denominator if counts else 0, stratum, weight))
    return weighted_pool(per_case)


def population_estimate(design: Mapping[str, Any] | None, cases: Sequence[StratifiedCaseLike],
                        codes: Sequence[str], effective: Mapping[tuple[int, str], Answer]
                        ) -> tuple[WeightedRate | None, str]:
    """The overall weighted rate where weights apply, and a plain sentence saying whether
    and why figures are weighted."""
    weights = case_weights(design, cases)
    if weights is None:
        return None, weighting_note(design)
    return weighted_over([case.case_id for case in cases], codes, effective, weights), weights.note


def _stratified(design: Mapping[str, Any]) -> bool:
    # Quotas always draw by stratum; older draws did not record the method.
    return bool(design.get("quotas")) or (bool(design.get("strata_fields"))
                                          and design.get("method", "stratified") == "stratified")


def _unweighted_note(design: Mapping[str, Any]) -> str:
    picked = always_included(design)
    if picked is None:
        return ALWAYS_INCLUDED_NOTE
    unequal = _stratified(design) and (design.get("allocation") == "equal"
                                       or bool(design.get("quotas")))
    return "" if unequal or sum(picked.values()) else PROPORTIONAL_NOTE


def _weighted_note(design: Mapping[str, Any], certain: int) -> str:
    reasons = []
    if _stratified(design) and design.get("quotas"):
        reasons.append("with quotas, cases in some strata had more chance of selection")
    elif _stratified(design) and design.get("allocation") == "equal":
        reasons.append("with equal allocation, cases in smaller strata had more chance of "
                       "selection")
    if certain:
        reasons.append(f"the always-include rule put {certain} "
                       f"{'case' if certain == 1 else 'cases'} in for certain, and each "
                       "stands only for itself")
    return ("Weighted: " + "; ".join(reasons) + ". So each case drawn at random counts for "
            "the cases it stands for (cases in its stratum not always included ÷ cases drawn "
            "at random from it). Figures labelled \"sample\" are unweighted.")
