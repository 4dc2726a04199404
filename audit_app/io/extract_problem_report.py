"""Writing an import's problems as a CSV a person can open beside the extract and fix.

Values come from the user's own file, so any that Excel would run as a formula (one
starting =, +, - or @) gets a leading single quote and is shown as text.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from audit_app.io.private_files import private_output

REPORT_COLUMNS = ("row", "column", "value", "severity", "message")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ProblemLike(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def column(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def severity(self) -> str: ...


def inert(text: str) -> str:
    """Text that a spreadsheet will show, never evaluate."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_problems_csv(problems: Sequence[ProblemLike], path: Path) -> None:
    """UTF-8 with BOM so Excel shows accented names correctly; one problem per line."""
    # The report quotes the extract's values: private, and whole or not at all.
    with private_output(Path(path)) as partial, \
            partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        for problem in problems:
            writer.writerow([problem.row, inert(problem.column), inert(problem.value),
                             problem.severity, inert(problem.message)])
