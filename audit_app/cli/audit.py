"""`audit-app audit create|list`: start an audit, or list them."""

from __future__ import annotations

import argparse

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    audit_actions = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    create = audit_actions.add_parser("create", parents=[common], help="start a new audit")
    create.add_argument("--name", required=True)
    create.add_argument("--framework", required=True, metavar="FRAMEWORK_ID",
                        help="framework id, optionally with @version")
    create.add_argument("--description", default="")
    audit_actions.add_parser("list", parents=[common], help="list audits")


def run_audit(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services.audits import create_audit, list_audits

    with opened(args) as db:
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
