"""The workbook's RAG status and interval whiskers, and its By outcome sheet.

The Criteria sheet gains a Status column (Green, Amber or Red against the panel's
thresholds), filled by those thresholds, and two plainly headed helper columns holding
each rate's distance to the ends of its 95% interval, which the Summary chart draws as
whiskers. The Summary sheet gains the overall status beside the overall rate, and the
Method sheet one line saying how status is read. The By outcome sheet holds aggregates
only (counts and rates per criterion and outcome code), so a partner copy may carry it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from audit_app.core.findings import Findings
from audit_app.core.outcome_table import SMALL_CELL, OutcomeTable
from audit_app.io.findings_sheets import (
    CRITERIA_RATE_COLUMNS,
    CRITERIA_WARNING_COLUMN,
    INTERVAL_HIGH,
    INTERVAL_LOW,
    criteria_sheet,
)
from audit_app.io.findings_workbook import add_compliance_chart, format_by_thresholds, format_rates
from audit_app.io.workbook_tables import PERCENT, Column, TableSheet

OVERALL_RATE_LABEL = "Overall compliance (fully met)"
SMALL_CELL_NOTE = f"Small: fewer than {SMALL_CELL} cases scored; no status given"
BY_OUTCOME_METHOD = (
    "By outcome", "Compliance per criterion among the sampled cases with each Home Office "
    "outcome code: fully met of scored cases (one answer per case), with a 95% Wilson "
    f"interval. Cells on fewer than {SMALL_CELL} scored cases are marked small and given "
    "no status; an outcome with no case scored on a criterion has no row.")


@dataclass(frozen=True)
class CriteriaCells:
    """1-based column numbers on the Criteria sheet that the chart reads."""

    code: int
    rate: int
    status: int
    below: int
    above: int


def status_criteria_sheet(findings: Findings) -> tuple[TableSheet, CriteriaCells]:
    """The Criteria sheet with Status and the interval helper columns appended."""
    thresholds = findings.thresholds
    base = criteria_sheet(findings, lambda _sheet, _row: None)
    first_new = len(base.columns) + 1
    cells = CriteriaCells(3, CRITERIA_RATE_COLUMNS[0], first_new, first_new + 1, first_new + 2)
    extra = (Column("Status", 9), Column("Interval below the rate", 11, PERCENT),
             Column("Interval above the rate", 11, PERCENT))

    def extended(row: Sequence[Any], rate: float | None,
                 interval: tuple[float, float] | None) -> tuple[Any, ...]:
        if rate is None or interval is None:
            return (*row, "", None, None)
        return (*row, thresholds.status(rate), rate - interval[0], interval[1] - rate)

    rows = [extended(row, c.compliance.rate, c.compliance.interval)
            for row, c in zip(base.rows, findings.criteria, strict=True)]

    def finish(sheet: Any, last_row: int) -> None:
        format_rates(sheet, rate_columns=(), warning_column=CRITERIA_WARNING_COLUMN,
                     last_row=last_row)
        format_by_thresholds(sheet, rate_column=cells.rate, status_column=cells.status,
                             green_from=thresholds.green_from, amber_from=thresholds.amber_from,
                             last_row=last_row)

    sheet = replace(base, columns=(*base.columns, *extra), rows=rows, finish=finish)
    return sheet, cells


def chart_finisher(cells: CriteriaCells, criteria_count: int) -> Any:
    """The Summary sheet's chart: bars from the Criteria rates, whiskers from the helpers."""
    def chart(sheet: Any, _last_row: int) -> None:
        add_compliance_chart(sheet, source_sheet="Criteria", code_column=cells.code,
                             rate_column=cells.rate, first_row=2,
                             last_row=criteria_count + 1, anchor="D2",
                             whisker_columns=(cells.below, cells.above))
    return chart


def with_overall_status(rows: list[tuple[Any, Any]], findings: Findings
                        ) -> list[tuple[Any, Any]]:
    """The Summary rows with the overall status just after the overall rate."""
    thresholds = findings.thresholds
    status = thresholds.status(findings.headline.overall.rate) or "–"
    added = [("Status (panel's thresholds)", status),
             ("Thresholds", thresholds.describe())]
    labels = [label for label, _value in rows]
    at = labels.index(OVERALL_RATE_LABEL) + 1 if OVERALL_RATE_LABEL in labels else len(rows)
    return [*rows[:at], *added, *rows[at:]]


def status_method_lines(findings: Findings) -> list[tuple[str, str]]:
    return [("RAG status", findings.thresholds.method_line()), BY_OUTCOME_METHOD]


def by_outcome_sheet(table: OutcomeTable, findings: Findings, *, withheld: bool) -> TableSheet:
    """One row per criterion and outcome code with a scored case; small cells marked,
    never coloured."""
    thresholds = findings.thresholds
    columns = (Column("Criterion", 10), Column("Question", 40, wrap=True),
               Column("Outcome", 14, wrap=True),
               Column("Cases sampled with this outcome", 14), Column("Met", 7),
               Column("Scored", 8), Column("Compliance (fully met)", 12, PERCENT),
               Column(INTERVAL_LOW, 11, PERCENT), Column(INTERVAL_HIGH, 11, PERCENT),
               Column("Status", 9), Column("Small cell", 24, wrap=True))
    rows: list[tuple[Any, ...]] = []
    if not withheld:
        cases = dict(zip(table.outcomes, table.cases, strict=True))
        for row in table.rows:
            for cell in row.cells:
                compliance = cell.compliance
                if not compliance.denominator:
                    continue  # no case with this outcome scored here: nothing to show
                interval = compliance.interval
                rows.append((row.code, row.question, cell.outcome, cases[cell.outcome],
                             compliance.met, compliance.denominator, compliance.rate,
                             interval[0] if interval else None,
                             interval[1] if interval else None,
                             "" if cell.small else thresholds.status(compliance.rate),
                             SMALL_CELL_NOTE if cell.small else ""))

    def finish(sheet: Any, last_row: int) -> None:
        format_by_thresholds(sheet, rate_column=7, status_column=10,
                             green_from=thresholds.green_from, amber_from=thresholds.amber_from,
                             last_row=last_row, skip_column=11)

    empty = ("(withheld: outcome codes are not in this copy)" if withheld
             else "(no sampled cases)")
    return TableSheet("By outcome", columns, rows, len(rows), finish=finish, empty_text=empty,
                      frozen_columns=1)
