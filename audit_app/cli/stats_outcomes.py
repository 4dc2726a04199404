"""`audit-app stats`: the criterion x outcome-code table (`by_outcome` in JSON; printed with
--by-outcome). `run_stats` hooks in with one line, like the population block."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from audit_app.cli.output import Output, format_table
from audit_app.core.findings import Findings
from audit_app.core.outcome_table import SMALL_CELL, OutcomeTable, cell_text
from audit_app.services.database import Database
from audit_app.services.outcome_findings import outcome_table_for


class OutcomeOutput(Output):
    """The command's own output, with the table added (always in JSON; in text on request)."""

    def __init__(self, output: Output, table: OutcomeTable, show_text: bool) -> None:
        super().__init__(as_json=output.as_json, stdout=output.stdout)
        self._output = output
        self.table = table
        self.show_text = show_text

    def result(self, payload: Any, text: str | Iterable[str]) -> None:
        if isinstance(payload, dict):
            payload = {**payload, "by_outcome": self.table.to_dict()}
        lines = [text] if isinstance(text, str) else list(text)
        if self.show_text:
            lines += ["", *outcome_text(self.table)]
        self._output.result(payload, lines)


def with_outcomes(output: Output, db: Database, findings: Findings, *,
                  show_text: bool) -> Output:
    return OutcomeOutput(output, outcome_table_for(db, findings), show_text)


def outcome_text(table: OutcomeTable) -> list[str]:
    if not table.outcomes:
        return ["By outcome code: no sampled cases."]
    heads = [f"{name} ({count} case{'' if count == 1 else 's'})"
             for name, count in zip(table.outcomes, table.cases, strict=True)]
    return ["Compliance (fully met) by outcome code: met of scored cases; "
            f"'small' where fewer than {SMALL_CELL} cases were scored:",
            format_table(("Criterion", *heads),
                         [(row.code, *(cell_text(cell) for cell in row.cells))
                          for row in table.rows])]
