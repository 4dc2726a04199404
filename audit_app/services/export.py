"""The findings workbook: what the panel shares with CPS partners, as an Excel file.

The use case only: it reads one read-only snapshot (`export_snapshot`), works out the
findings and the copy's privacy rules, and hands them to `io.findings_book`, which lays
out the sheets, and `io.workbook_tables`, which writes them. A partner copy is default deny
(`core.copy_rules`): only fields known safe, columns marked shareable, and the panel's
scores and verdicts; members are named by role; every piece of free text is scrubbed. It
is written only with an approved release check (`check_partner_release`, then
`export_workbook(..., approval=...)`).
The workbook's author is always the product, never the account that ran it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from audit_app.core.audit_rows import AuditData
from audit_app.core.errors import UserError
from audit_app.core.findings import Findings
from audit_app.core.findings_compute import findings_from_data
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.io.findings_book import FindingsBook, findings_properties, findings_sheets
from audit_app.io.findings_case_sheets import TextScrub
from audit_app.io.workbook_tables import TableSheet, WorkbookProperties, write_tables
from audit_app.services.audits import get_audit
from audit_app.services.change_log import log_change
from audit_app.services.comparison import compare_audits
from audit_app.services.database import Database, current_actor
from audit_app.services.export_privacy import (
    PrivacyRules,
    RememberingScrubber,
    TextSources,
    dropped_labels,
    ensure_pseudonym_secret,
    privacy_rules,
    reference_swapper,
    text_sources,
)
from audit_app.services.export_snapshot import read_snapshot
from audit_app.services.findings import load_audit_data
from audit_app.services.outcome_findings import outcome_table_from_data
from audit_app.services.panel_record import record_for_book
from audit_app.services.population_picture import get_population_picture
from audit_app.services.release import (
    ReleaseApproval,
    ReleaseCheck,
    ReleaseCheckBuilder,
    check_builder,
)
from audit_app.services.sampling import get_sample_summary

ROWS_PER_CHECK = 2000


@dataclass(frozen=True)
class _Checked:
    """The last release check's rows, findings and scrubber. The approved export that
    follows reads its own snapshot; where that holds the same rows it reuses the findings
    (they depend on the rows alone), and where the scrubber would be built from the same
    names and references it reuses the scrubber and the texts it has already scrubbed."""

    data: AuditData
    findings: Findings
    scrubber: RememberingScrubber


_checked: list[_Checked] = []  # one entry, taken by the next export


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
    data: AuditData
    findings: Findings


def check_partner_release(db: Database, *, audit_id: int, pseudonymise: bool = True,
                          keep_officer_names: bool = False, keep_member_names: bool = False,
                          compare_with: int | None = None,
                          progress: ProgressCallback | None = None,
                          cancelled: CancelCheck | None = None) -> ReleaseCheck:
    """Every piece of free text a partner copy would hold, scrubbed, with what was replaced
    and what still looks personal. Writes nothing (except, on first use, the audit's stored
    pseudonym secret, so the check and the copy show the same pseudonyms)."""
    if pseudonymise:
        ensure_pseudonym_secret(db, audit_id)
    with read_snapshot(db) as snapshot:
        plan = _plan(snapshot, audit_id=audit_id, for_partner=True, pseudonymise=pseudonymise,
                     keep_officer_names=keep_officer_names, keep_member_names=keep_member_names,
                     compare_with=compare_with, approval=None, cancelled=cancelled)
    assert plan.builder is not None and isinstance(plan.builder.scrubber, RememberingScrubber)
    _checked[:] = [_Checked(plan.data, plan.findings, plan.builder.scrubber)]
    total = sum(sheet.row_count for sheet in plan.sheets) or 1
    done = 0
    for sheet in plan.sheets:
        for _row in sheet.rows:  # rows scrub their text as they are made
            done += 1
            if done % ROWS_PER_CHECK == 0:
                check_cancelled(cancelled)
                report(progress, done, total)
    report(progress, total, total)
    return plan.builder.build()


def export_workbook(db: Database, *, audit_id: int, path: Path, for_partner: bool = False,
                    pseudonymise: bool = False, keep_officer_names: bool = False,
                    keep_member_names: bool = False, compare_with: int | None = None,
                    approval: ReleaseApproval | None = None,
                    progress: ProgressCallback | None = None,
                    cancelled: CancelCheck | None = None,
                    exported_by: str | None = None) -> ExportResult:
    """Write the findings workbook to `path` (atomically). A partner copy needs `approval`
    of its release check, and records it in the change log; nothing else in the database
    changes except, on a first pseudonymised export, the audit's stored pseudonym secret.
    `compare_with` (an earlier audit's id) adds a Comparison sheet. `exported_by` is the
    panel member making it (by default whoever the app or command line is acting as)."""
    if for_partner and approval is None:
        raise UserError("A partner copy is written only once its release check is approved")
    if pseudonymise:
        ensure_pseudonym_secret(db, audit_id)  # its own unit of work, before the snapshot
    # Every sheet comes from one read-only snapshot; the rows are then written from memory.
    with read_snapshot(db) as snapshot:
        plan = _plan(snapshot, audit_id=audit_id, for_partner=for_partner,
                     pseudonymise=pseudonymise, keep_officer_names=keep_officer_names,
                     keep_member_names=keep_member_names, compare_with=compare_with,
                     approval=approval, cancelled=cancelled,
                     checked=_checked.pop() if for_partner and _checked else None,
                     exported_by=exported_by or current_actor())
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
          approval: ReleaseApproval | None, cancelled: CancelCheck | None,
          checked: _Checked | None = None, exported_by: str = "") -> _Plan:
    """Gather one copy's content through `db` (the export's snapshot) and lay it out;
    `checked` is the release check's, reused where it was built from the same inputs."""
    data = load_audit_data(db, audit_id=audit_id, cancelled=cancelled)
    findings = checked.findings if checked is not None and checked.data == data \
        else findings_from_data(data)
    rules = privacy_rules(data, for_partner=for_partner, pseudonymise=pseudonymise,
                          keep_officer_names=keep_officer_names,
                          keep_member_names=keep_member_names)
    sources = text_sources(db, data, rules)
    builder = _check_builder(sources, checked) if for_partner else None
    scrub: TextScrub = (builder.scrub if builder is not None
                        else reference_swapper(sources.text_references)
                        if sources.text_references else _unchanged)
    earlier_name, comparison = "", None
    if compare_with is not None:
        earlier_name = get_audit(db, compare_with).name
        comparison = compare_audits(db, audit_id=audit_id, earlier_audit_id=compare_with)
    book = FindingsBook(
        data, findings, outcome_table_from_data(data, findings),
        get_sample_summary(db, audit_id=audit_id), get_population_picture(db, audit_id=audit_id),
        rules, sources.pseudonyms, scrub,
        release_lines=(approval.method_lines(name_shown=keep_member_names)
                       if for_partner and approval is not None else []),
        comparison=comparison, earlier_name=earlier_name,
        exported_by=exporter_shown(exported_by, rules),
        record=record_for_book(db, audit_id=audit_id))
    sheets = findings_sheets(book)
    return _Plan(sheets, findings_properties(book), rules,
                 builder if for_partner else None, len(data.cases), data, findings)


def _check_builder(sources: TextSources, checked: _Checked | None) -> ReleaseCheckBuilder:
    """A release check builder whose scrubber scrubs each distinct text once: the check's
    own scrubber when it was built from the same names and references."""
    if checked is not None and checked.scrubber.sources == sources:
        return ReleaseCheckBuilder(checked.scrubber)
    return ReleaseCheckBuilder(RememberingScrubber(check_builder(sources).scrubber, sources))


def exporter_shown(name: str, rules: PrivacyRules) -> str:
    """Who made the copy, as it may name them: a partner copy names a member by their
    label ("Member 2") unless member names are kept, and anyone else by role."""
    if not name or not rules.for_partner or rules.keep_member_names:
        return name
    return rules.member_labels.get(name, "A panel member")


def _unchanged(_place: str, text: str) -> str:
    return text


__all__ = ["ExportResult", "ReleaseApproval", "ReleaseCheck", "check_partner_release",
           "export_workbook"]
