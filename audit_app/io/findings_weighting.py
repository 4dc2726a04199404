"""Weighted figures and method wording for the workbook, kept apart from
`findings_sheets` so that module does not grow: the Breakdown sheet's population-estimate
columns, the "sample (unweighted)" label, and the Method sheet's weights and verdict lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from audit_app.core.findings import Findings
from audit_app.core.weighted import WeightedRate
from audit_app.io.workbook_tables import PERCENT, Column

WEIGHTED_COLUMNS = (Column("Population estimate (weighted)", 12, PERCENT),
                    Column("Population estimate, 95% low", 11, PERCENT),
                    Column("Population estimate, 95% high", 11, PERCENT))
UNWEIGHTED = "sample rate (unweighted)"

WEIGHTS_METHOD = (
    "Where allocation was not proportional (equal allocation or quotas) or an always-include "
    "rule put cases in for certain, population estimates (overall, each section and each "
    "group) use inverse inclusion-probability weights: a case the rule picked stands only "
    "for itself (weight 1); a case drawn at random stands for the cases in its stratum not "
    "always included ÷ the cases drawn at random from it. Variance is case-level, "
    "linearised and stratified, with a finite-population correction; a group's estimate "
    "keeps every sampled case in its stratum for the variance. Figures beside them marked "
    "\"sample\" or \"unweighted\" are the sample's own. With proportional allocation and no "
    "rule, every case had the same chance and nothing is weighted.")
VERDICT_METHOD = (
    "The headline verdict rate counts only verdicts the panel agreed (a consensus review): "
    "appropriate, with or without observations, ÷ cases agreed appropriate or inappropriate, "
    "with a 95% Wilson interval over those panel-agreed cases (one verdict per case). "
    "Provisional verdicts (members' only, not yet agreed) are shown apart and not counted. "
    "Cases agreed \"More information needed\" or \"Panel unable to agree\" are listed and "
    "left out of the rate.")


def weighted_columns(findings: Findings) -> tuple[Column, ...]:
    """The population-estimate columns, only where some row is weighted."""
    return WEIGHTED_COLUMNS if is_weighted(findings) else ()


def weighted_values(estimate: WeightedRate | None, shown: bool) -> list[Any]:
    if not shown:
        return []
    interval = estimate.interval if estimate else None
    return [estimate.rate if estimate else None, interval[0] if interval else None,
            interval[1] if interval else None]


def is_weighted(findings: Findings) -> bool:
    return (findings.headline.population is not None
            or any(row.population is not None for row in findings.breakdowns))


def sample_label(findings: Findings, label: str) -> str:
    """"Compliance (fully met)" -> "Compliance (fully met), sample rate (unweighted)"
    where a weighted figure stands beside it."""
    return f"{label}, {UNWEIGHTED}" if is_weighted(findings) else label


def labelled(columns: Sequence[Column], findings: Findings, name: str) -> tuple[Column, ...]:
    """The columns with `name` relabelled as the unweighted sample rate where weighted."""
    if not is_weighted(findings):
        return tuple(columns)
    return tuple(replace(c, title=f"{c.title}, {UNWEIGHTED}") if c.title == name else c
                 for c in columns)
