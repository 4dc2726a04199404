"""Compliance per criterion for each Home Office outcome code in the sample.

One cell per criterion and outcome code: met of scored cases (one answer per case on a
criterion, so Wilson's interval applies), with n. Cells resting on fewer than
`SMALL_CELL` cases are marked as small rather than given a status colour: a rate on
three cases says little. Cases with no outcome code recorded get their own column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit_app.core.answers import Answer
from audit_app.core.statistics import Compliance, tally

SMALL_CELL = 5  # fewer scored cases than this: the cell is marked, not coloured
NOT_RECORDED = "Outcome not recorded"


def outcome_name(code: int | None) -> str:
    return NOT_RECORDED if code is None else f"Outcome {code}"


@dataclass(frozen=True)
class OutcomeCell:
    outcome: str
    compliance: Compliance  # the answers of this outcome's cases on one criterion

    @property
    def small(self) -> bool:
        return self.compliance.denominator < SMALL_CELL

    def to_dict(self) -> dict[str, Any]:
        interval = self.compliance.interval
        return {"outcome": self.outcome, "met": self.compliance.met,
                "scored": self.compliance.denominator, "compliance": self.compliance.rate,
                "ci_low": interval[0] if interval else None,
                "ci_high": interval[1] if interval else None, "small": self.small}


@dataclass(frozen=True)
class OutcomeRow:
    code: str
    question: str
    cells: tuple[OutcomeCell, ...]  # in the table's outcome order


@dataclass(frozen=True)
class OutcomeTable:
    outcomes: tuple[str, ...]  # column names, e.g. "Outcome 15", in code order
    cases: tuple[int, ...]  # sampled cases with each outcome code
    rows: tuple[OutcomeRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"outcomes": [{"outcome": name, "cases": count}
                             for name, count in zip(self.outcomes, self.cases, strict=True)],
                "small_cell": SMALL_CELL,
                "criteria": [{"criterion": row.code, "cells": [c.to_dict() for c in row.cells]}
                             for row in self.rows]}


def outcome_table(case_outcomes: Mapping[int, int | None],
                  criteria: Sequence[tuple[str, str]],
                  effective: Mapping[tuple[int, str], Answer]) -> OutcomeTable:
    """`case_outcomes`: each sampled case's id -> its outcome code (None: not recorded);
    `criteria`: (code, question) in framework order; `effective`: the answer that counts
    for (case id, criterion code), as the findings chose it."""
    codes = sorted({code for code in case_outcomes.values()},
                   key=lambda code: (code is None, code or 0))
    groups = {code: [case for case, its in case_outcomes.items() if its == code]
              for code in codes}
    rows = tuple(OutcomeRow(criterion, question, tuple(
        OutcomeCell(outcome_name(code), tally(effective[(case, criterion)]
                                              for case in groups[code]
                                              if (case, criterion) in effective))
        for code in codes)) for criterion, question in criteria)
    return OutcomeTable(tuple(outcome_name(code) for code in codes),
                        tuple(len(groups[code]) for code in codes), rows)


def cell_text(cell: OutcomeCell) -> str:
    """'67% (4 of 6)', 'small: 2 of 3', or '–' where no case was scored."""
    scored = cell.compliance.denominator
    if not scored:
        return "–"
    counts = f"{cell.compliance.met} of {scored}"
    if cell.small:
        return f"small: {counts}"
    return f"{cell.compliance.rate:.0%} ({counts})"
