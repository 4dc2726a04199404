"""`audit-app audit create|list|thresholds`: start an audit, list them, or show and set
the status thresholds the panel reads its figures against."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table

if TYPE_CHECKING:  # the services load only when the command runs
    from audit_app.services.database import Database


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    audit_actions = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    create = audit_actions.add_parser("create", parents=[common], help="start a new audit")
    create.add_argument("--name", required=True)
    create.add_argument("--framework", required=True, metavar="FRAMEWORK_ID",
                        help="framework id, optionally with @version")
    create.add_argument("--description", default="")
    audit_actions.add_parser("list", parents=[common], help="list audits")
    add_thresholds_parser(audit_actions, common)


def run_audit(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    if args.audit_command == "list":
        return _list_audits(args, output)
    from audit_app.services.audits import create_audit

    with opened(args) as db:
        if args.audit_command == "thresholds":
            return run_thresholds(db, args, output)
        if args.audit_command == "create":
            audit = create_audit(db, name=args.name, framework=args.framework,
                                 description=args.description)
            output.result(audit, f"Created audit {audit.id}: {audit.name}")
            return 0
    return 2  # argparse allows no other action


def _list_audits(args: argparse.Namespace, output: Output) -> int:
    from audit_app.services.audit_list_peek import peek_audit_list

    # A current SQLite file is read with the standard library, as the app's first paint
    # does: the same summaries (a test holds them equal) without loading SQLAlchemy.
    audits = peek_audit_list(args.db)
    if audits is None:
        from audit_app.services.audits import list_audits

        with opened(args) as db:
            audits = list_audits(db)
    table = format_table(
        ("ID", "Name", "Framework", "Cases", "Sample", "Reviews done", "Status"),
        [(a.id, a.name, f"{a.framework_key} v{a.framework_version}", a.case_count,
          a.sample_size, f"{a.reviews_complete}/{a.reviews_total}", a.status) for a in audits])
    output.result(audits, table if audits else "No audits yet. Try 'audit-app demo'.")
    return 0


def add_thresholds_parser(audit_actions: argparse._SubParsersAction[argparse.ArgumentParser],
                          common: argparse.ArgumentParser) -> None:
    thresholds = audit_actions.add_parser(
        "thresholds", parents=[common], help="show or set the Green and Amber thresholds",
        description="Show an audit's status thresholds (Green, Amber, Red), or set them with "
                    "--green and --amber (whole percentages; below Amber is Red). Defaults: "
                    "Green from 90, Amber from 75.")
    thresholds.add_argument("audit_id", type=int, metavar="ID")
    thresholds.add_argument("--green", type=int, metavar="PERCENT",
                            help="a rate at or above this is Green")
    thresholds.add_argument("--amber", type=int, metavar="PERCENT",
                            help="a rate at or above this (and below Green) is Amber")


def run_thresholds(db: Database, args: argparse.Namespace, output: Output) -> int:
    from audit_app.services.thresholds import get_thresholds, set_thresholds

    if args.green is None and args.amber is None:
        thresholds = get_thresholds(db, audit_id=args.audit_id)
        verb = "are"
    else:
        thresholds = set_thresholds(db, audit_id=args.audit_id, green_from=args.green,
                                    amber_from=args.amber)
        verb = "are now"
    output.result({"audit_id": args.audit_id, **thresholds.to_dict()},
                  f"Audit {args.audit_id} thresholds {verb}: {thresholds.describe()}.")
    return 0
