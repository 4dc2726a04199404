"""The findings workbook: what the panel shares with CPS partners, as an Excel file.

Sheets: Summary (with a chart), Criteria, Breakdown, By outcome, Cases, Answers, Learning,
Actions, Agreement, Population and Method. A partner copy is default deny
(`export_privacy`): only fields known safe, columns marked shareable, and the panel's
scores and verdicts; members are named by role; every piece of free text is scrubbed. It
is written only with an approved release check (`check_partner_release`, then
`export_workbook(..., approval=...)`).
The workbook's author is always the product, never the account that ran it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from audit_app.core.errors import UserError
from audit_app.core.findings_compute import findings_from_data
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.io.workbook_tables import Column, TableSheet, WorkbookProperties, write_tables
from audit_app.services.audits import get_audit
from audit_app.services.change_log import log_change
from audit_app.services.comparison import compare_audits
from audit_app.services.database import Database
from audit_app.services.export_case_sheets import (
    TextScrub,
    actions_sheet,
    answers_sheet,
    cases_sheet,
    learning_sheet,
)
from audit_app.services.export_checks import checks_sheet
from audit_app.services.export_population import population_sheet
from audit_app.services.export_privacy import (
    PRODUCT_NAME,
    PrivacyRules,
    dropped_labels,
    privacy_rules,
    reference_swapper,
    text_sources,
)
from audit_app.services.export_sheets import (
    agreement_sheet,
    breakdown_sheet,
    comparison_sheet,
    method_sheet,
    summary_rows,
)
from audit_app.services.export_status import (
    by_outcome_sheet,
    chart_finisher,
    status_criteria_sheet,
    status_method_lines,
    with_overall_status,
)
from audit_app.services.findings import load_audit_data
from audit_app.services.outcome_findings import outcome_table_from_data
from audit_app.services.release import (
    ReleaseApproval,
    ReleaseCheck,
    ReleaseCheckBuilder,
    check_builder,
)
from audit_app.services.sampling import get_sample_summary

# Sheets that list cases, answers or text about them, or are counted afresh from them:
# empty once an audit is purged.
CASE_LEVEL_SHEETS = ("Cases", "Answers", "Learning", "By outcome", "Checks")
ROWS_PER_CHECK = 2000


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sheets: list[str]
    case_rows: int
    dropped_columns: list[str] = field(default_factory=list)
    replacements: int = 0  # pieces of personal text replaced in a partner copy
    suspects: int = 0  # pieces of text approved while still looking personal


@dataclass
class _Plan:
    """The sheets and properties of one copy, built lazily so rows stream once."""

    sheets: list[TableSheet]
    properties: WorkbookProperties
    rules: PrivacyRules
    builder: ReleaseCheckBuilder | None
    case_rows: int


def check_partner_release(db: Database, *, audit_id: int, pseudonymise: bool = True,
                          keep_officer_names: bool = False, keep_member_names: bool = False,
                          compare_with: int | None = None,
                          progress: ProgressCallback | None = None,
                          cancelled: CancelCheck | None = None) -> ReleaseCheck:
    """Every piece of free text a partner copy would hold, scrubbed, with what was replaced
    and what still looks personal. Writes nothing (except, on first use, the audit's stored
    pseudonym secret, so the check and the copy show the same pseudonyms)."""
    plan = _plan(db, audit_id=audit_id, for_partner=True, pseudonymise=pseudonymise,
                 keep_officer_names=keep_officer_names, keep_member_names=keep_member_names,
                 compare_with=compare_with, approval=None, cancelled=cancelled)
    total = sum(sheet.row_count for sheet in plan.sheets) or 1
    done = 0
    for sheet in plan.sheets:
        for _row in sheet.rows:  # rows scrub their text as they are made
            done += 1
            if done % ROWS_PER_CHECK == 0:
                check_cancelled(cancelled)
                report(progress, done, total)
    report(progress, total, total)
    assert plan.builder is not None
    return plan.builder.build()


def export_workbook(db: Database, *, audit_id: int, path: Path, for_partner: bool = False,
                    pseudonymise: bool = False, keep_officer_names: bool = False,
                    keep_member_names: bool = False, compare_with: int | None = None,
                    approval: ReleaseApproval | None = None,
                    progress: ProgressCallback | None = None,
                    cancelled: CancelCheck | None = None) -> ExportResult:
    """Write the findings workbook to `path` (atomically). A partner copy needs `approval`
    of its release check, and records it in the change log; nothing else in the database
    changes except, on a first pseudonymised export, the audit's stored pseudonym secret.
    `compare_with` (an earlier audit's id) adds a Comparison sheet."""
    if for_partner and approval is None:
        raise UserError("A partner copy is written only once its release check is approved")
    plan = _plan(db, audit_id=audit_id, for_partner=for_partner, pseudonymise=pseudonymise,
                 keep_officer_names=keep_officer_names, keep_member_names=keep_member_names,
                 compare_with=compare_with, approval=approval, cancelled=cancelled)
    path = Path(path)
    titles = write_tables(path, plan.sheets, plan.properties, progress=progress,
                          cancelled=cancelled)
    check = plan.builder.build() if plan.builder is not None else None
    if approval is not None and check is not None:
        if not approval.matches(check):
            # The text changed between the check and the writing: what was read is not
            # what would leave, so nothing leaves.
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            raise UserError("The audit's text changed after the release check was approved; "
                            "run the check again")
        _log_release(db, audit_id, approval, path.name)
    return ExportResult(path, titles, plan.case_rows, dropped_labels(plan.rules),
                        check.replacement_count if check else 0,
                        check.suspect_count if check else 0)


def _log_release(db: Database, audit_id: int, approval: ReleaseApproval, file_name: str
                 ) -> None:
    with db.transaction() as session:
        log_change(session, actor=approval.approved_by, audit_id=audit_id, entity="export",
                   field="partner copy", new=file_name,
                   detail=f"Partner copy released; approved by {approval.approved_by} at "
                          f"{approval.approved_at:%Y-%m-%d %H:%M} UTC: "
                          f"{approval.counts_line()}")


def _plan(db: Database, *, audit_id: int, for_partner: bool, pseudonymise: bool,
          keep_officer_names: bool, keep_member_names: bool, compare_with: int | None,
          approval: ReleaseApproval | None, cancelled: CancelCheck | None) -> _Plan:
    data = load_audit_data(db, audit_id=audit_id, cancelled=cancelled)
    findings = findings_from_data(data)
    sample = get_sample_summary(db, audit_id=audit_id)
    rules = privacy_rules(data, for_partner=for_partner, pseudonymise=pseudonymise,
                          keep_officer_names=keep_officer_names,
                          keep_member_names=keep_member_names)
    sources = text_sources(db, data, rules)
    builder = check_builder(sources) if for_partner else None
    scrub: TextScrub = (builder.scrub if builder is not None
                        else reference_swapper(sources.text_references)
                        if sources.text_references else _unchanged)
    references = sources.pseudonyms
    release_lines = (approval.method_lines(name_shown=keep_member_names)
                     if for_partner and approval is not None else [])
    summary = with_overall_status(summary_rows(data, findings, rules, scrub, references),
                                  findings)
    criteria, criteria_cells = status_criteria_sheet(findings)  # RAG status and whiskers
    sheets = [
        TableSheet("Summary", (Column("Item", 34), Column("Value", 40)), summary, len(summary),
                   finish=chart_finisher(criteria_cells, len(findings.criteria)),
                   mixed_formats=True),
        criteria,
        breakdown_sheet(findings),
        by_outcome_sheet(outcome_table_from_data(data, findings), findings,
                         withheld=not rules.keeps_field("outcome_code")),
        cases_sheet(data, findings, rules, references,
                    sample.strata_fields if sample is not None else (), scrub),
        checks_sheet(findings, data.framework, references),
        answers_sheet(data, rules, references, scrub),
        learning_sheet(data, findings, rules, references, scrub),
        actions_sheet(findings, references, scrub),
        agreement_sheet(data, findings),
        population_sheet(db, audit_id, rules, references),
        method_sheet(data, sample, rules, references, scrub,
                     [*status_method_lines(findings), *release_lines]),
    ]
    if data.case_data_deleted is not None:
        gone = "(deleted with the case data under the retention rule)"
        sheets = [replace(sheet, empty_text=gone) if sheet.title in CASE_LEVEL_SHEETS else sheet
                  for sheet in sheets]
    if compare_with is not None:
        earlier = get_audit(db, compare_with)
        comparison = compare_audits(db, audit_id=audit_id, earlier_audit_id=compare_with)
        earlier_name = scrub("Comparison sheet, earlier audit name", earlier.name) \
            if earlier.name.strip() else earlier.name
        sheets.insert(-1, comparison_sheet(comparison, earlier_name))
    title = scrub("Workbook title, audit name", data.audit_name) if data.audit_name.strip() \
        else data.audit_name
    properties = WorkbookProperties(
        title=f"Findings: {title}",
        subject=f"{data.framework.title} v{data.framework.version}",
        creator=PRODUCT_NAME, keywords="case file audit; scrutiny panel; findings",
        description=("Partner copy: personal details removed" if for_partner
                     else "Internal copy: contains personal details; do not share"))
    return _Plan(sheets, properties, rules, builder if for_partner else None, len(data.cases))


def _unchanged(_place: str, text: str) -> str:
    return text


__all__ = ["ExportResult", "ReleaseApproval", "ReleaseCheck", "check_partner_release",
           "export_workbook"]
