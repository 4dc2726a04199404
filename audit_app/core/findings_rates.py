"""Pooled rates for the findings: overall, each section and each breakdown group, with
the case as the unit (`core.clustered`), and answers awaiting moderation shown as bounds.

Kept apart from `core.findings_compute` so that module stays small; it imports these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from audit_app.core.answers import Answer
from audit_app.core.case_fields import outcome_label
from audit_app.core.clustered import CaseCounts, PooledRate, pool, settled_bounds
from audit_app.core.findings_weights import (
    ALWAYS_INCLUDED_NOTE,
    PROPORTIONAL_NOTE,
    CaseWeights,
    case_weights,
    population_estimate,
    weighted_over,
)
from audit_app.core.framework import Framework
from audit_app.core.statistics import Compliance, tally
from audit_app.core.weighted import WeightedRate

__all__ = ["ALWAYS_INCLUDED_NOTE", "PROPORTIONAL_NOTE", "case_weights", "population_estimate"]

BREAKDOWN_FIELDS = (("area", "Area"), ("team", "Team"), ("outcome_code", "Outcome code"),
                    ("risk_level", "Risk level"))


class SampledCaseLike(Protocol):
    @property
    def case_id(self) -> int: ...

    @property
    def fields(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class BreakdownRow:
    dimension: str
    group: str
    cases: int  # cases sampled in the group
    compliance: Compliance  # answer counts, for tables
    pooled: PooledRate = field(default_factory=PooledRate)  # the case-level rate
    population: WeightedRate | None = None  # weighted, where inclusion chances differ

    @property
    def cases_scored(self) -> int | None:
        return self.pooled.cases

    def to_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "group": self.group, "cases": self.cases,
                **pooled_dict(self.compliance, self.pooled),
                "population_estimate": weighted_dict(self.population, "")["population_estimate"]}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> BreakdownRow:
        return cls(str(values["dimension"]), str(values["group"]), int(values["cases"]),
                   Compliance.from_dict(values), PooledRate.from_dict(values),
                   weighted_from_dict(values)[0])


def file_pack_text(compliance: Compliance) -> str:
    """The data-availability figure: of the answers where the criterion applied, how many
    could be scored from the file pack ("Not in the file pack" answers are the rest)."""
    return (f"answered from the file pack: {compliance.denominator} of "
            f"{compliance.file_pack_needed}")


def pooled_dict(compliance: Compliance, pooled: PooledRate) -> dict[str, Any]:
    """Counts from `Compliance`, with the interval and warning replaced by the case-level
    ones (a reader of `ci_low` must not get the answer-level interval for a pooled rate)."""
    return {**compliance.to_dict(), **pooled.to_dict()}


def criterion_bounds_dict(compliance: Compliance, awaiting: int) -> dict[str, Any]:
    bounds = settled_bounds(compliance.met, compliance.denominator, awaiting)
    return {"if_settled_low": bounds[0] if bounds else None,
            "if_settled_high": bounds[1] if bounds else None}


def pooled_over(case_ids: Iterable[int], codes: Sequence[str],
                effective: Mapping[tuple[int, str], Answer],
                awaiting: set[tuple[int, str]]) -> tuple[Compliance, PooledRate]:
    """Answer counts and the case-level pooled rate over these cases and criteria."""
    return pooled_from(case_tallies(case_ids, codes, effective, awaiting))


def case_tallies(case_ids: Iterable[int], codes: Sequence[str],
                 effective: Mapping[tuple[int, str], Answer],
                 awaiting: set[tuple[int, str]]) -> list[tuple[Compliance, CaseCounts]]:
    """Each case's answer counts over these criteria, in the order of `case_ids`."""
    tallies = []
    for case_id in case_ids:
        counts = tally(effective[(case_id, code)] for code in codes
                       if (case_id, code) in effective)
        tallies.append((counts, CaseCounts(counts.met, counts.denominator, sum(
            1 for code in codes if (case_id, code) in awaiting))))
    return tallies


def pooled_from(tallies: Iterable[tuple[Compliance, CaseCounts]]
                ) -> tuple[Compliance, PooledRate]:
    """The counts summed and the pooled rate over cases tallied by `case_tallies`."""
    total = Compliance()
    per_case = []
    for counts, case in tallies:
        total += counts
        per_case.append(case)
    return total, pool(per_case)


CaseTallies = Mapping[int, tuple[Compliance, CaseCounts]]  # by case id: `case_tallies`


def breakdown_rows(framework: Framework, cases: Sequence[SampledCaseLike],
                   effective: Mapping[tuple[int, str], Answer],
                   awaiting: set[tuple[int, str]], every_criterion: CaseTallies,
                   weights: CaseWeights | None = None) -> tuple[BreakdownRow, ...]:
    """One row per section, then per value of each breakdown field; with `weights`, each
    row also carries its population estimate. `every_criterion` is each case's tally over
    every criterion: a group's row sums its cases' tallies."""
    def weighted(ids: Sequence[int], codes: Sequence[str]) -> WeightedRate | None:
        return weighted_over(ids, codes, effective, weights) if weights else None

    case_ids = [case.case_id for case in cases]
    rows = []
    for section in framework.sections:
        codes = [criterion.code for criterion in section.criteria]
        compliance, pooled = pooled_over(case_ids, codes, effective, awaiting)
        rows.append(BreakdownRow("Section", f"{section.code} {section.title}", len(case_ids),
                                 compliance, pooled, weighted(case_ids, codes)))
    all_codes = [criterion.code for criterion in framework.criteria]
    for key, title in BREAKDOWN_FIELDS:
        groups: dict[str, list[int]] = defaultdict(list)
        for case in cases:
            value = case.fields.get(key)
            label = ("(blank)" if value is None or value == "" else
                     outcome_label(value) if key == "outcome_code" else str(value))
            groups[label].append(case.case_id)
        for label in sorted(groups):
            compliance, pooled = pooled_from(every_criterion[case_id]
                                             for case_id in groups[label])
            rows.append(BreakdownRow(title, label, len(groups[label]), compliance, pooled,
                                     weighted(groups[label], all_codes)))
    return tuple(rows)


def weighted_dict(estimate: WeightedRate | None, note: str) -> dict[str, Any]:
    interval = estimate.interval if estimate else None
    return {"weighting": note, "population_estimate": None if estimate is None else {
        "compliance": estimate.rate, "standard_error": estimate.standard_error,
        "ci_low": interval[0] if interval else None, "ci_high": interval[1] if interval else None,
        "cases_scored": estimate.cases}}


def weighted_from_dict(values: Mapping[str, Any]) -> tuple[WeightedRate | None, str]:
    estimate = values.get("population_estimate")
    if not estimate:
        return None, str(values.get("weighting") or "")
    low, high = estimate.get("ci_low"), estimate.get("ci_high")
    return WeightedRate(
        None if estimate.get("compliance") is None else float(estimate["compliance"]),
        None if estimate.get("standard_error") is None else float(estimate["standard_error"]),
        (float(low), float(high)) if low is not None and high is not None else None,
        int(estimate.get("cases_scored") or 0)), str(values.get("weighting") or "")
