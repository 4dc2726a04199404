"""`audit-app audit thresholds ID [--green N] [--amber N]`: show or set the RAG thresholds."""

from __future__ import annotations

import argparse

from audit_app.cli_output import Output
from audit_app.services.database import Database
from audit_app.services.thresholds import get_thresholds, set_thresholds


def add_thresholds_parser(audit_actions: argparse._SubParsersAction[argparse.ArgumentParser],
                          common: argparse.ArgumentParser) -> None:
    thresholds = audit_actions.add_parser(
        "thresholds", parents=[common], help="show or set the Green and Amber thresholds",
        description="Show an audit's RAG thresholds, or set them with --green and --amber "
                    "(whole percentages; below Amber is Red). Defaults: Green from 90, Amber "
                    "from 75.")
    thresholds.add_argument("audit_id", type=int, metavar="ID")
    thresholds.add_argument("--green", type=int, metavar="PERCENT",
                            help="a rate at or above this is Green")
    thresholds.add_argument("--amber", type=int, metavar="PERCENT",
                            help="a rate at or above this (and below Green) is Amber")


def run_thresholds(db: Database, args: argparse.Namespace, output: Output) -> int:
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
