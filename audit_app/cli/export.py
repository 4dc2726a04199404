"""`audit-app export`: the findings workbook, and the release check behind a partner copy.

A partner copy is pseudonymised unless `--keep-references`; it is written only after the
release check: the report goes to `--release-report` (private, it shows the original
text), and if some text still looks personal nothing else is written unless
`--accept-residue` is given. `--approved-by` names who approves the release: the change
log records that name; the workbook names them by role unless member names are kept.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from audit_app.cli.common import opened
from audit_app.cli.output import Output, to_jsonable
from audit_app.core.errors import UserError

if TYPE_CHECKING:  # the services load SQLAlchemy: only when the command runs
    from audit_app.services.database import Database

PARTNER_ONLY = (("release_report", "--release-report"), ("approved_by", "--approved-by"),
                ("accept_residue", "--accept-residue"), ("keep_member_names",
                                                         "--keep-member-names"),
                ("keep_references", "--keep-references"))


def add_arguments(export: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    export.add_argument("--audit", type=int, required=True, metavar="ID")
    export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    export.add_argument("--compare-with", type=int, metavar="ID",
                        help="add a Comparison sheet: each criterion against an earlier audit")
    export.add_argument("--for-partner", action="store_true",
                        help="a copy for a partner agency: only fields known safe and columns "
                             "marked shareable, free text scrubbed, members named by role")
    export.add_argument("--release-report", type=Path, metavar="FILE",
                        help="where the release check goes (.csv or .xlsx; shows the original "
                             "text, so it stays on this laptop); needed for a partner copy")
    export.add_argument("--approved-by", metavar="NAME",
                        help="who approves the release (recorded in the change log); needed "
                             "for a partner copy")
    export.add_argument("--accept-residue", action="store_true",
                        help="write the partner copy even though some text still looks "
                             "personal, once you have read the release report")
    export.add_argument("--pseudonymise", action="store_true",
                        help="replace crime references with stable pseudonyms (a partner "
                             "copy does this unless --keep-references)")
    export.add_argument("--keep-references", action="store_true",
                        help="keep real crime references in a partner copy")
    export.add_argument("--keep-officer-names", action="store_true",
                        help="keep officer and supervisor names in a partner copy")
    export.add_argument("--keep-member-names", action="store_true",
                        help="name panel members in a partner copy (by default 'Member 1', ...)")


def run_export(args: argparse.Namespace, output: Output,
               parser: argparse.ArgumentParser) -> int:
    _check_arguments(args)
    with opened(args) as database:
        if args.for_partner:
            return _partner_copy(database, args, output)
        return _internal_copy(database, args, output)


def _check_arguments(args: argparse.Namespace) -> None:
    if args.compare_with is not None and args.compare_with == args.audit:
        raise UserError(f"Audit {args.audit} cannot be compared with itself: give an earlier "
                        "audit to --compare-with")
    if not args.for_partner:
        for attribute, option in PARTNER_ONLY:
            if getattr(args, attribute):
                raise UserError(f"{option} is only for a partner copy: add --for-partner")
        return
    if args.release_report is None:
        raise UserError("A partner copy needs --release-report FILE (.csv or .xlsx): the "
                        "release check of its free text is written there first")
    if not (args.approved_by or "").strip():
        raise UserError("A partner copy needs --approved-by NAME: the person who approves "
                        "its release")
    if args.release_report.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError("The release report must be a .csv or .xlsx file")
    if args.release_report.resolve() == Path(args.out).resolve():
        raise UserError("The release report and the workbook need different file names")
    if args.pseudonymise and args.keep_references:
        raise UserError("Choose one of --pseudonymise and --keep-references")


def _internal_copy(db: Database, args: argparse.Namespace, output: Output) -> int:
    from audit_app.services.export import export_workbook

    result = export_workbook(db, audit_id=args.audit, path=args.out,
                             pseudonymise=args.pseudonymise,
                             keep_officer_names=args.keep_officer_names,
                             compare_with=args.compare_with)
    output.result(result, [f"Wrote {result.path}: {len(result.sheets)} sheets, "
                           f"{result.case_rows} case rows"])
    return 0


def _partner_copy(db: Database, args: argparse.Namespace, output: Output) -> int:
    from audit_app.services.export import check_partner_release, export_workbook
    from audit_app.services.release import (
        ReleaseApproval,
        describe_check,
        write_release_report,
    )

    options = {"pseudonymise": not args.keep_references,
               "keep_officer_names": args.keep_officer_names,
               "keep_member_names": args.keep_member_names}
    # The release check reads every sheet the copy will hold, the comparison's too.
    check = check_partner_release(db, audit_id=args.audit, compare_with=args.compare_with,
                                  **options)
    report = write_release_report(check, args.release_report)
    if check.suspect_count and not args.accept_residue:
        count = check.suspect_count
        raise UserError(f"{count} piece{'s' if count != 1 else ''} of text still "
                        f"look{'s' if count == 1 else ''} personal; read {report.name}, then "
                        "add --accept-residue to release anyway")
    approval = ReleaseApproval.of(check, args.approved_by)
    result = export_workbook(db, audit_id=args.audit, path=args.out, for_partner=True,
                             approval=approval, compare_with=args.compare_with, **options)
    lines = [f"Wrote {result.path}: {len(result.sheets)} sheets, {result.case_rows} case rows",
             f"Release check: {describe_check(check)} Approved by {approval.approved_by}.",
             f"Release report: {report} (shows the original text: keep it on this laptop)"]
    if result.dropped_columns:
        lines.append("Left out: " + ", ".join(result.dropped_columns))
    output.result({**to_jsonable(result), "release_report": report,
                   "texts_checked": check.text_count,
                   "replacements": check.replacement_count,
                   "still_suspect": check.suspect_count,
                   "approved_by": approval.approved_by,
                   "approved_at": approval.approved_at}, lines)
    return 0
