"""The findings workbook: what the panel shares with CPS partners, as an Excel file.

Sheets: Summary (with a chart), Criteria, Breakdown, Cases, Answers, Learning, Actions,
Agreement and Method. For a partner, personal fields and officer names are left out,
references can be swapped for stable pseudonyms, and every piece of free text is
scanned for the names the import holds, which are redacted and listed for the user.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from audit_app.core.answers import Answer
from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY, FieldKind, outcome_label
from audit_app.core.progress import CancelCheck, ProgressCallback
from audit_app.core.redaction import KnownName, Redactor, pseudonym
from audit_app.db.models import AuditRecord
from audit_app.io.findings_workbook import add_compliance_chart, format_rates
from audit_app.io.workbook_tables import (
    PERCENT,
    Column,
    TableSheet,
    WorkbookProperties,
    write_tables,
)
from audit_app.services.audits import get_audit
from audit_app.services.database import Database, current_user
from audit_app.services.export_sheets import (
    CRITERIA_RATE_COLUMNS,
    CRITERIA_WARNING_COLUMN,
    agreement_sheet,
    breakdown_sheet,
    comparison_sheet,
    criteria_sheet,
    learning_sheet,
    method_sheet,
    summary_rows,
)
from audit_app.services.findings import (
    AuditData,
    Findings,
    compare_audits,
    findings_from_data,
    load_audit_data,
)
from audit_app.services.sampling import SampleSummary, get_sample_summary

# Sheets that list cases, answers or text about them: empty once an audit is purged.
CASE_LEVEL_SHEETS = ("Cases", "Answers", "Learning")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sheets: list[str]
    case_rows: int
    dropped_columns: list[str] = field(default_factory=list)
    names_found: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PrivacyRules:
    """What a partner export leaves out or rewrites."""

    for_partner: bool
    pseudonymise: bool
    keep_officer_names: bool
    dropped_fields: tuple[str, ...]
    dropped_extra: tuple[str, ...]

    def keeps_field(self, key: str) -> bool:
        return key not in self.dropped_fields


def export_workbook(db: Database, *, audit_id: int, path: Path, for_partner: bool = False,
                    pseudonymise: bool = False, keep_officer_names: bool = False,
                    compare_with: int | None = None, progress: ProgressCallback | None = None,
                    cancelled: CancelCheck | None = None) -> ExportResult:
    """Write the findings workbook to `path` (atomically); nothing in the database changes
    except, on a first pseudonymised export, the audit's stored pseudonym secret.
    `compare_with` (an earlier audit's id) adds a Comparison sheet."""
    data = load_audit_data(db, audit_id=audit_id, cancelled=cancelled)
    findings = findings_from_data(data)
    sample = get_sample_summary(db, audit_id=audit_id)
    rules = _privacy_rules(data, for_partner=for_partner, pseudonymise=pseudonymise,
                           keep_officer_names=keep_officer_names)
    references = ({case.reference: pseudonym(case.reference, _pseudonym_secret(db, audit_id))
                   for case in data.cases} if pseudonymise else {})
    redact = _redactor(data, rules, references)
    sheets = _sheets(data, findings, sample, rules, references, redact)
    if compare_with is not None:
        earlier = get_audit(db, compare_with)
        rows = compare_audits(db, audit_id=audit_id, earlier_audit_id=compare_with)
        sheets.insert(-1, comparison_sheet(rows, redact(earlier.name)))
    properties = WorkbookProperties(
        title=f"Findings: {redact(data.audit_name)}",
        subject=f"{data.framework.title} v{data.framework.version}",
        creator=current_user(), keywords="case file audit; scrutiny panel; findings",
        description=("Partner copy: personal details removed" if for_partner
                     else "Internal copy: contains personal details; do not share"))
    titles = write_tables(Path(path), sheets, properties, progress=progress, cancelled=cancelled)
    dropped = [FIELDS_BY_KEY[key].label for key in rules.dropped_fields]
    dropped += list(rules.dropped_extra)
    return ExportResult(Path(path), titles, len(data.cases), dropped, sorted(redact.found))


def _privacy_rules(data: AuditData, *, for_partner: bool, pseudonymise: bool,
                   keep_officer_names: bool) -> PrivacyRules:
    if not for_partner:
        return PrivacyRules(False, pseudonymise, True, (), ())
    dropped = tuple(f.key for f in CASE_FIELDS
                    if f.personal or (f.officer_name and not keep_officer_names))
    extra_columns = {key for case in data.cases for key in case.extra}
    personal = {name.lower() for name in data.personal_columns}
    dropped_extra = tuple(sorted(k for k in extra_columns if k.lower() in personal))
    return PrivacyRules(True, pseudonymise, keep_officer_names, dropped, dropped_extra)


def _pseudonym_secret(db: Database, audit_id: int) -> str:
    """The audit's stored secret, made on first use so pseudonyms stay stable."""
    with db.transaction() as session:
        audit = session.get(AuditRecord, audit_id)
        assert audit is not None  # load_audit_data has already checked
        if not audit.pseudonym_salt:
            audit.pseudonym_salt = secrets.token_hex(32)
        return audit.pseudonym_salt


def _redactor(data: AuditData, rules: PrivacyRules, references: dict[str, str]) -> Redactor:
    if not rules.for_partner:
        redactor = Redactor([])
    else:
        names: list[KnownName] = []
        for case in data.cases:
            for key in rules.dropped_fields:
                value = case.fields.get(key)
                if value:
                    role = key.removesuffix("_name") if FIELDS_BY_KEY[key].personal else "officer"
                    names.append(KnownName(str(value), role))
            for column in rules.dropped_extra:
                if case.extra.get(column):
                    names.append(KnownName(str(case.extra[column]), "personal"))
        redactor = Redactor(names)
    if references:
        redactor.replace_references(references)
    return redactor


def _sheets(data: AuditData, findings: Findings, sample: SampleSummary | None, rules: PrivacyRules,
            references: dict[str, str], redact: Redactor) -> list[TableSheet]:
    criteria_count = len(findings.criteria)

    def chart(sheet: Any, last_row: int) -> None:
        add_compliance_chart(sheet, source_sheet="Criteria", code_column=3,
                             rate_column=CRITERIA_RATE_COLUMNS[0], first_row=2,
                             last_row=criteria_count + 1, anchor="D2")

    def traffic_lights(sheet: Any, last_row: int) -> None:
        format_rates(sheet, rate_columns=CRITERIA_RATE_COLUMNS,
                     warning_column=CRITERIA_WARNING_COLUMN, last_row=last_row)

    summary = summary_rows(data, findings, redact)
    sheets = [
        TableSheet("Summary", (Column("Item", 34), Column("Value", 40)), summary, len(summary),
                   finish=chart, mixed_formats=True),
        criteria_sheet(findings, traffic_lights),
        breakdown_sheet(findings),
        _cases_sheet(data, findings, rules, references,
                     sample.strata_fields if sample is not None else ()),
        _answers_sheet(data, references, redact),
        learning_sheet(findings, references, redact),
        _actions_sheet(findings, references, redact),
        agreement_sheet(data, findings),
        method_sheet(data, sample, rules.keeps_field, redact),
    ]
    if data.case_data_deleted is not None:
        gone = "(deleted with the case data under the retention rule)"
        sheets = [replace(sheet, empty_text=gone) if sheet.title in CASE_LEVEL_SHEETS else sheet
                  for sheet in sheets]
    return sheets


def _case_value(key: str, value: Any) -> Any:
    kind = FIELDS_BY_KEY[key].kind
    if value is None:
        return None
    if kind is FieldKind.FLAG:
        return "Yes" if value else "No"
    if key == "outcome_code":
        return outcome_label(value)
    if kind in (FieldKind.RISK, FieldKind.SUPPORT):
        return str(value).capitalize()
    return value


def _cases_sheet(data: AuditData, findings: Findings, rules: PrivacyRules,
                 references: dict[str, str], strata_fields: Sequence[str]) -> TableSheet:
    fields = [f for f in CASE_FIELDS if f.key != "reference" and rules.keeps_field(f.key)]
    extra_columns = sorted({k for case in data.cases for k in case.extra}
                           - set(rules.dropped_extra))
    cases_by_id = {case.case_id: case for case in data.cases}
    # Strata built on a dropped field would repeat its values: leave the label out then.
    show_stratum = all(rules.keeps_field(key) for key in strata_fields)
    columns = [Column("Sample position", 9), Column("Reference", 16),
               Column("Urgent safeguarding", 12), Column("Status", 12), Column("Verdict", 22),
               Column("Reviewers", 24), Column("Compliance (fully met)", 12, PERCENT),
               Column("Met", 7), Column("Partly met", 8), Column("Not met", 8),
               Column("Not evidenced", 10), Column("N/A", 7), Column("Stratum", 18)]
    columns += [Column(f.label, 20, None) if f.kind is FieldKind.TEXT else
                Column(f.label, 13, "yyyy-mm-dd" if f.kind is FieldKind.DATE else None)
                for f in fields]
    columns += [Column(_unique_title(name, columns), 16) for name in extra_columns]

    def rows() -> Iterator[Sequence[Any]]:
        for finding in findings.cases:
            case = cases_by_id[finding.case_id]
            counts = finding.compliance
            yield [finding.position, references.get(case.reference, case.reference),
                   "URGENT" if finding.urgent_safeguarding else "", finding.status,
                   finding.verdict, ", ".join(finding.reviewers), counts.rate, counts.met,
                   counts.partly_met, counts.not_met, counts.not_evidenced,
                   counts.not_applicable, case.stratum if show_stratum else "",
                   *[_case_value(f.key, case.fields.get(f.key)) for f in fields],
                   *[case.extra.get(name) for name in extra_columns]]

    return TableSheet("Cases", columns, rows(), len(findings.cases))


def _unique_title(name: str, columns: Sequence[Column]) -> str:
    """Excel table headers must be unique: an extract column named like ours gets a suffix."""
    taken = {column.title.lower() for column in columns}
    title = name.strip() or "Column"
    while title.lower() in taken:
        title += " (extract)"
    return title


def _answers_sheet(data: AuditData, references: dict[str, str], redact: Redactor) -> TableSheet:
    reviews = {review.review_id: review for review in data.reviews}
    cases = {case.case_id: case for case in data.cases}
    sections = {c.code: s.code for s in data.framework.sections for c in s.criteria}
    labels = {answer: answer.label for answer in Answer}
    columns = (Column("Reference", 16), Column("Section", 8), Column("Criterion", 10),
               Column("Reviewer", 20), Column("Role", 11), Column("Answer", 16),
               Column("Note", 50), Column("Automatic N/A", 10))
    case_positions = {case.case_id: case.position for case in data.cases}

    criterion_order = {c.code: index for index, c in enumerate(data.framework.criteria)}
    review_order = {r.review_id: (case_positions[r.case_id], r.kind != "consensus", r.reviewer)
                    for r in data.reviews}

    def rows() -> Iterator[Sequence[Any]]:
        # Case by case in sample order, criteria in framework order, the panel's answer first.
        ordered = sorted(data.answers, key=lambda a: (
            review_order[a.review_id][0], criterion_order.get(a.criterion_code, 0),
            review_order[a.review_id]))
        for answer in ordered:
            review = reviews[answer.review_id]
            reference = cases[review.case_id].reference
            yield (references.get(reference, reference), sections.get(answer.criterion_code, ""),
                   answer.criterion_code, review.reviewer,
                   "Panel (agreed)" if review.kind == "consensus" else "Member",
                   labels[answer.value], redact(answer.note),
                   "Yes" if answer.automatic else "")

    return TableSheet("Answers", columns, rows(), len(data.answers))


def _actions_sheet(findings: Findings, references: dict[str, str], redact: Redactor
                   ) -> TableSheet:
    columns = (Column("Reference", 16), Column("Criterion", 10), Column("Action", 50),
               Column("Owner", 20), Column("Due", 12, "yyyy-mm-dd"), Column("Status", 10),
               Column("Response", 40))
    rows = [(references.get(a.case_reference, a.case_reference), a.criterion_code,
             redact(a.description), redact(a.owner), a.due_date, a.status, redact(a.response))
            for a in findings.actions]
    return TableSheet("Actions", columns, rows, len(rows))
