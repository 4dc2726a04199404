"""`audit-app demo`: a demo audit of synthetic cases."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from audit_app.cli.common import opened
from audit_app.cli.output import Output

if TYPE_CHECKING:
    from audit_app.services.records import AuditSummary


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parser.add_argument("--if-empty", action="store_true",
                        help="do nothing if the database already holds an audit")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--with-history", action="store_true",
                        help="add last quarter's audit first, and the panel's record of both: "
                             "meetings, agreed verdicts, escalations, themes and actions")


def _audit_line(audit: AuditSummary) -> str:
    return (f"Audit {audit.id}: {audit.name} ({audit.framework_key} v{audit.framework_version}) "
            f"{audit.case_count} cases, sample {audit.sample_size}, "
            f"{audit.reviews_complete}/{audit.reviews_total} reviews complete")


def run_demo(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services.audits import list_audits
    from audit_app.services.demo import create_demo

    with opened(args) as db:
        if args.if_empty and list_audits(db):
            output.result({"created": False, "audit_id": None},
                          "The database already holds an audit; no demo audit was added.")
            return 0
        audit = create_demo(db, seed=args.seed, with_history=args.with_history)
        earlier = [a for a in list_audits(db) if a.id < audit.id] if args.with_history else []
    lines = [f"Created demo audit {audit.id}.", _audit_line(audit)]
    if earlier:
        lines += [f"Last quarter's audit, closed: {_audit_line(earlier[0])}"]
    output.result({"created": True, "audit_id": audit.id, "audit": audit,
                   "earlier_audit_id": earlier[0].id if earlier else None}, lines)
    return 0
