"""What each `audit-app` command does: gather the arguments, call one service, print.

Services for import, scoresheets, findings, export and the GUI are imported inside their
command, so a quick `audit-app audit list` never loads openpyxl or Qt.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from audit_app.cli_output import Output, format_table
from audit_app.core.errors import UserError
from audit_app.services.database import Database, open_database
from audit_app.services.records import AuditSummary

Command = Callable[[argparse.Namespace, Output, argparse.ArgumentParser], int]


# The commands that may make a new database when --db names none. Every other command
# works on an existing one, so a mistyped path is refused and nothing is created.
MAY_CREATE_DATABASE = frozenset({("demo", None), ("audit", "create"), ("import", None),
                                 ("gui", None), ("package", "open"), ("framework", "import")})


def may_create_database(args: argparse.Namespace) -> bool:
    action = getattr(args, f"{args.command}_command", None)  # e.g. args.audit_command
    return (args.command, action) in MAY_CREATE_DATABASE


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Database]:
    database = open_database(args.db, create=may_create_database(args))
    try:
        yield database
    finally:
        database.close()


def _audit_line(audit: AuditSummary) -> str:
    return (f"Audit {audit.id}: {audit.name} ({audit.framework_key} v{audit.framework_version}) "
            f"{audit.case_count} cases, sample {audit.sample_size}, "
            f"{audit.reviews_complete}/{audit.reviews_total} reviews complete")


def run_gui(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.ui.app import run_gui as start_gui  # Qt loads only here

    return int(start_gui(args.db))


def run_demo(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services.audits import list_audits
    from audit_app.services.demo import create_demo

    with opened(args) as db:
        if args.if_empty and list_audits(db):
            output.result({"created": False, "audit_id": None},
                          "The database already holds an audit; no demo audit was added.")
            return 0
        audit = create_demo(db, seed=args.seed)
    output.result({"created": True, "audit_id": audit.id, "audit": audit},
                  [f"Created demo audit {audit.id}.", _audit_line(audit)])
    return 0


def run_audit(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services.audits import create_audit, list_audits

    with opened(args) as db:
        if args.audit_command == "thresholds":
            from audit_app.cli_thresholds import run_thresholds

            return run_thresholds(db, args, output)
        if args.audit_command == "create":
            audit = create_audit(db, name=args.name, framework=args.framework,
                                 description=args.description)
            output.result(audit, f"Created audit {audit.id}: {audit.name}")
            return 0
        audits = list_audits(db)
    table = format_table(
        ("ID", "Name", "Framework", "Cases", "Sample", "Reviews done", "Status"),
        [(a.id, a.name, f"{a.framework_key} v{a.framework_version}", a.case_count,
          a.sample_size, f"{a.reviews_complete}/{a.reviews_total}", a.status) for a in audits])
    output.result(audits, table if audits else "No audits yet. Try 'audit-app demo'.")
    return 0


def run_framework(args: argparse.Namespace, output: Output,
                  parser: argparse.ArgumentParser) -> int:
    from audit_app.core.framework import framework_to_dict
    from audit_app.services import frameworks

    with opened(args) as db:
        action = args.framework_command
        if action == "list":
            found = frameworks.list_frameworks(db)
            output.result(found, format_table(
                ("ID", "Version", "Title", "Sections", "Criteria", "Shipped"),
                [(f.key, f.version, f.title, f.section_count, f.criterion_count,
                  "yes" if f.builtin else "no") for f in found]))
        elif action == "show":
            framework = frameworks.get_framework(db, args.framework_id)
            lines = [f"{framework.title} ({framework.key} v{framework.version})"]
            if framework.description:
                lines.append(framework.description)
            for section in framework.sections:
                lines += ["", f"{section.code}  {section.title}"]
                for criterion in section.criteria:
                    lines.append(f"  {criterion.code:<6}{criterion.question}")
                    if criterion.applies_when:
                        lines.append(f"        applies when: {criterion.applies_when}")
            output.result(framework_to_dict(framework), lines)
        elif action == "export":
            path = frameworks.export_framework(db, args.framework_id, args.file)
            output.result({"path": path}, f"Wrote {path}")
        else:
            summary = frameworks.import_framework(db, args.file)
            output.result(summary, f"Framework {summary.key} v{summary.version} is available "
                                   f"({summary.criterion_count} criteria).")
    return 0


def _verify_or_replace(args: argparse.Namespace, output: Output) -> int:
    from audit_app.services.sampling import replace_case, verify_sample

    with opened(args) as db:
        if args.sample_command == "verify":
            verification = verify_sample(db, audit_id=args.audit)
            output.result(verification, list(verification.messages))
            if not verification.ok:
                raise UserError(f"The sample of audit {args.audit} does not match its record")
            return 0
        replacement = replace_case(db, audit_id=args.audit, reference=args.reference,
                                   reason=args.reason)
    text = (f"Replaced {args.reference} with {replacement.case.reference}" if replacement
            else f"Removed {args.reference}; no case is left in its stratum to replace it")
    output.result({"replaced": args.reference,
                   "replacement": replacement.case.reference if replacement else None}, text)
    return 0


def run_sample(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services.sampling import draw_sample, get_sample, get_sample_summary

    if args.sample_command in ("verify", "replace"):
        return _verify_or_replace(args, output)
    if args.sample_command is None and (args.audit is None or args.size is None):
        raise UserError("To draw a sample give --audit ID and --size N "
                        "(or 'audit-app sample show --audit ID')")
    with opened(args) as db:
        if args.sample_command == "show":
            summary = get_sample_summary(db, audit_id=args.audit)
            if summary is None:
                from audit_app.services.audits import get_audit

                get_audit(db, args.audit)  # an unknown audit says so
                raise UserError(f"Audit {args.audit} has no sample yet")
            rows = get_sample(db, audit_id=args.audit)
        else:
            strata = tuple(f.strip() for f in args.by.split(",") if f.strip())
            method = args.method or ("stratified" if strata else "random")
            summary = draw_sample(db, audit_id=args.audit, size=args.size, method=method,
                                  strata_fields=strata, seed=args.seed,
                                  allocation=args.allocation, where=args.where,
                                  include_always=args.include_always,
                                  exclude_reviewed=args.exclude_reviewed)
            rows = get_sample(db, audit_id=args.audit)
    lines = [f"Sample of {summary.size} for audit {summary.audit_id}",
             *summary.certificate_lines()]
    if summary.strata_fields:
        lines += ["", format_table(("Stratum", "In population", "In sample"), summary.strata)]
    if args.sample_command == "show":
        lines += ["", format_table(
            ("#", "Reference", "Stratum", "Outcome", "Status"),
            [(r.position, r.case.reference, r.stratum,
              r.case.fields.get("outcome_code"), r.status) for r in rows])]
    payload: dict[str, Any] = {"sample": summary,
                               "cases": [{"position": r.position, "reference": r.case.reference,
                                          "case_id": r.case.id, "stratum": r.stratum,
                                          "status": r.status} for r in rows]}
    output.result(payload, lines)
    return 0


def run_import(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.cli_import import import_command

    with opened(args) as db:
        return import_command(db, args, output)


def run_scoresheet(args: argparse.Namespace, output: Output,
                   parser: argparse.ArgumentParser) -> int:
    from audit_app.services.scoresheet import export_scoresheet, import_scoresheet

    with opened(args) as db:
        if args.scoresheet_command == "export":
            path = export_scoresheet(db, audit_id=args.audit, reviewer=args.reviewer,
                                     path=args.out)
            output.result({"path": path}, f"Wrote {path} for {args.reviewer}")
            return 0
        result = import_scoresheet(db, path=args.file)
    output.result(result, f"Read {args.file}: {result}")
    return 0


def run_stats(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.cli_findings import findings_text
    from audit_app.cli_outcomes import with_outcomes
    from audit_app.cli_population import with_population
    from audit_app.services.findings import compute_findings

    compare_with = getattr(args, "compare_with", None)
    if compare_with is not None and compare_with == args.audit:
        raise UserError(f"Audit {args.audit} cannot be compared with itself: give an earlier "
                        "audit to --compare-with")
    with opened(args) as db:
        findings = compute_findings(db, audit_id=args.audit)
        output = with_population(output, db, audit_id=args.audit)
        output = with_outcomes(output, db, findings, show_text=args.by_outcome)
        if compare_with is None:
            output.result(findings.to_dict(), findings_text(findings))
            return 0
        from audit_app.cli_compare import comparison_text
        from audit_app.services.comparison import comparison_of

        comparison = comparison_of(findings, compute_findings(db, audit_id=compare_with))
    output.result({**findings.to_dict(), "comparison": comparison.to_dict()},
                  [*findings_text(findings), "", *comparison_text(comparison)])
    return 0


def run_export(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app import cli_export

    return cli_export.run(args, output, parser)


COMMANDS: dict[str, Command] = {
    "gui": run_gui, "demo": run_demo, "audit": run_audit, "framework": run_framework,
    "sample": run_sample, "import": run_import, "scoresheet": run_scoresheet,
    "stats": run_stats, "export": run_export,
}
