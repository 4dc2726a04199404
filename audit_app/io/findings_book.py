"""The findings workbook's sheets in order, from what the export service gathered.

Sheets: Summary (with a chart), Criteria, Breakdown, By outcome, Cases, Checks, Answers,
Learning, Actions, (Escalations), (Themes), Agreement, Population, (Comparison) and
Method. The service reads one snapshot and decides the copy's privacy rules and scrub;
this module lays the sheets out.
The workbook's author is always the product, never the account that ran it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from audit_app.core.audit_rows import AuditData
from audit_app.core.copy_rules import PRODUCT_NAME, PrivacyRules
from audit_app.core.findings import Findings
from audit_app.core.outcome_table import OutcomeTable
from audit_app.core.panel_record import RecordForBook
from audit_app.core.population_picture import PopulationPicture
from audit_app.io.findings_case_sheets import (
    TextScrub,
    answers_sheet,
    cases_sheet,
    learning_sheet,
    scrub_text,
)
from audit_app.io.findings_checks_sheet import checks_sheet
from audit_app.io.findings_method_sheets import (
    Comparison,
    SampleRecord,
    comparison_sheet,
    method_sheet,
)
from audit_app.io.findings_population_sheet import population_sheet
from audit_app.io.findings_record_sheets import actions_sheet, escalations_sheet, themes_sheet
from audit_app.io.findings_sheets import agreement_sheet, breakdown_sheet, summary_rows
from audit_app.io.findings_status import (
    by_outcome_sheet,
    chart_finisher,
    status_criteria_sheet,
    status_method_lines,
    with_overall_status,
)
from audit_app.io.workbook_tables import Column, TableSheet, WorkbookProperties

# Sheets that list cases, answers or text about them, or are counted afresh from them:
# empty once an audit is purged.
CASE_LEVEL_SHEETS = ("Cases", "Answers", "Learning", "By outcome", "Checks")
DELETED_TEXT = "(deleted with the case data under the retention rule)"


@dataclass(frozen=True)
class FindingsBook:
    """Everything one copy of the workbook shows, read from one snapshot."""

    data: AuditData
    findings: Findings
    outcomes: OutcomeTable
    sample: SampleRecord | None
    picture: PopulationPicture
    rules: PrivacyRules
    references: dict[str, str]  # reference -> pseudonym (empty when references are kept)
    scrub: TextScrub  # every piece of free text goes through it
    release_lines: Sequence[tuple[str, str]] = ()
    comparison: Comparison | None = None
    earlier_name: str = ""  # the compared audit's name
    exported_by: str = ""  # the panel member who made this copy, as this copy names them
    record: RecordForBook | None = None  # escalations, theme counts and tags


def findings_sheets(book: FindingsBook) -> list[TableSheet]:
    """The sheets of one copy; case-level rows are generators, streamed once."""
    data, findings, rules, references, scrub = (book.data, book.findings, book.rules,
                                                book.references, book.scrub)
    summary = with_overall_status(summary_rows(data, findings, rules, scrub, references,
                                               book.exported_by), findings)
    criteria, criteria_cells = status_criteria_sheet(findings)  # RAG status and whiskers
    strata_fields = book.sample.strata_fields if book.sample is not None else ()
    sheets = [
        TableSheet("Summary", (Column("Item", 34, wrap=True), Column("Value", 40, wrap=True)),
                   summary, len(summary),
                   finish=chart_finisher(criteria_cells, len(findings.criteria)),
                   mixed_formats=True, one_page=True),
        criteria,
        breakdown_sheet(findings),
        by_outcome_sheet(book.outcomes, findings, withheld=not rules.keeps_field("outcome_code")),
        cases_sheet(data, findings, rules, references, strata_fields, scrub),
        checks_sheet(findings, data.framework, references),
        answers_sheet(data, rules, references, scrub),
        learning_sheet(data, findings, rules, references, scrub,
                       book.record.tags if book.record is not None else None),
        actions_sheet(findings, references, scrub, book.record),
        agreement_sheet(data, findings),
        population_sheet(book.picture, rules, references),
        method_sheet(data, book.sample, rules, references, scrub,
                     [*status_method_lines(findings), *book.release_lines]),
    ]
    after_actions = [sheet.title for sheet in sheets].index("Actions") + 1
    sheets[after_actions:after_actions] = _record_sheets(book)
    if data.case_data_deleted is not None:
        sheets = [replace(sheet, empty_text=DELETED_TEXT) if sheet.title in CASE_LEVEL_SHEETS
                  else sheet for sheet in sheets]
    if book.comparison is not None:
        earlier = scrub_text(scrub, "Comparison sheet, earlier audit name", book.earlier_name)
        sheets.insert(-1, comparison_sheet(book.comparison, earlier, scrub))
    return sheets


def _record_sheets(book: FindingsBook) -> list[TableSheet]:
    """Escalations and Themes, after Actions, once the panel has recorded any."""
    record = book.record
    if record is None:
        return []
    sheets = []
    if record.escalations:
        sheets.append(escalations_sheet(record, book.rules, book.references, book.scrub))
    if record.has_tags:
        sheets.append(themes_sheet(record, book.scrub))
    return sheets


def findings_properties(book: FindingsBook) -> WorkbookProperties:
    data = book.data
    title = scrub_text(book.scrub, "Workbook title, audit name", data.audit_name)
    return WorkbookProperties(
        title=f"Findings: {title}",
        subject=f"{data.framework.title} v{data.framework.version}",
        creator=PRODUCT_NAME, keywords="case file audit; scrutiny panel; findings",
        description=("Partner copy: personal details removed" if book.rules.for_partner
                     else "Internal copy: contains personal details; do not share"))
