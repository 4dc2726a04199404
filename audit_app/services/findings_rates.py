"""Pooled rates for the findings: overall, each section and each breakdown group, with
the case as the unit (`core.clustered`), and answers awaiting moderation shown as bounds.

Kept apart from `services.findings` so that module does not grow; it imports these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from audit_app.core.answers import Answer
from audit_app.core.case_fields import outcome_label
from audit_app.core.clustered import CaseCounts, PooledRate, pool, settled_bounds
from audit_app.core.framework import Framework
from audit_app.core.statistics import Compliance, tally

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

    @property
    def cases_scored(self) -> int | None:
        return self.pooled.cases

    def to_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "group": self.group, "cases": self.cases,
                **pooled_dict(self.compliance, self.pooled)}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> BreakdownRow:
        return cls(str(values["dimension"]), str(values["group"]), int(values["cases"]),
                   Compliance.from_dict(values), PooledRate.from_dict(values))


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
    total = Compliance()
    per_case = []
    for case_id in case_ids:
        counts = tally(effective[(case_id, code)] for code in codes
                       if (case_id, code) in effective)
        total += counts
        per_case.append(CaseCounts(counts.met, counts.denominator,
                                   sum(1 for code in codes if (case_id, code) in awaiting)))
    return total, pool(per_case)


def breakdown_rows(framework: Framework, cases: Sequence[SampledCaseLike],
                   effective: Mapping[tuple[int, str], Answer],
                   awaiting: set[tuple[int, str]]) -> tuple[BreakdownRow, ...]:
    """One row per section, then per value of each breakdown field."""
    case_ids = [case.case_id for case in cases]
    rows = []
    for section in framework.sections:
        codes = [criterion.code for criterion in section.criteria]
        compliance, pooled = pooled_over(case_ids, codes, effective, awaiting)
        rows.append(BreakdownRow("Section", f"{section.code} {section.title}", len(case_ids),
                                 compliance, pooled))
    all_codes = [criterion.code for criterion in framework.criteria]
    for key, title in BREAKDOWN_FIELDS:
        groups: dict[str, list[int]] = defaultdict(list)
        for case in cases:
            value = case.fields.get(key)
            label = ("(blank)" if value is None or value == "" else
                     outcome_label(value) if key == "outcome_code" else str(value))
            groups[label].append(case.case_id)
        for label in sorted(groups):
            compliance, pooled = pooled_over(groups[label], all_codes, effective, awaiting)
            rows.append(BreakdownRow(title, label, len(groups[label]), compliance, pooled))
    return tuple(rows)
