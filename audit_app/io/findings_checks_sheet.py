"""The workbook's Checks sheet: cases whose parts do not agree, for the panel to moderate.

One row per flag (`core.consistency`): the reference (pseudonymised when the copy is, through
the same mapping as the Cases sheet), the kind of check, the sentence, and the key criteria
involved with their questions. Every cell is fixed wording, a verdict label, an outcome code
or a criterion's code and question from the framework: no case text, so a partner copy
carries the same rows with nothing to scrub.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from audit_app.core.findings import Findings
from audit_app.core.framework import Framework
from audit_app.io.findings_case_sheets import REFERENCE_WIDTH
from audit_app.io.workbook_tables import Column, TableSheet

COLUMNS = (Column("Reference", REFERENCE_WIDTH), Column("Check", 30, wrap=True),
           Column("Detail", 50, wrap=True), Column("Key criteria not met", 50, wrap=True))
NONE_FOUND = ("(none: no appropriate verdict with a key criterion not met, and no outcome "
              "code at odds with the extract)")


def checks_sheet(findings: Findings, framework: Framework, references: Mapping[str, str]
                 ) -> TableSheet:
    """`references` maps a reference to its pseudonym (empty when the copy keeps them)."""
    questions = {criterion.code: criterion.question for criterion in framework.criteria}
    rows: list[Sequence[Any]] = [
        (references.get(flag.reference, flag.reference), flag.kind.label, flag.detail,
         "; ".join(f"{code} {questions.get(code, '')}".strip() for code in flag.criteria))
        for flag in findings.checks]
    return TableSheet("Checks", COLUMNS, rows, len(rows), empty_text=NONE_FOUND,
                      frozen_columns=1)
