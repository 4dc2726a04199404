"""`audit-app escalation add|list|respond|close`: urgent safeguarding escalations, open
ones first, overdue after the panel's period (`--period DAYS` sets it)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.wording import plural

if TYPE_CHECKING:
    from audit_app.core.panel_record import EscalationRow


def add_arguments(escalation: argparse.ArgumentParser, common: argparse.ArgumentParser
                  ) -> None:
    steps = escalation.add_subparsers(dest="escalation_command", metavar="ACTION",
                                      required=True)
    add = steps.add_parser("add", parents=[common], help="record an urgent escalation")
    add.add_argument("--audit", type=int, required=True, metavar="ID")
    add.add_argument("--case", required=True, metavar="REFERENCE")
    add.add_argument("--reason", required=True, help="why it is urgent")
    add.add_argument("--to-role", default="", help="who it went to (role)")
    add.add_argument("--to-agency", default="", help="their agency")
    add.add_argument("--sent", metavar="YYYY-MM-DD", help="when it was sent (default today)")
    listing = steps.add_parser("list", parents=[common], help="show escalations, open first")
    listing.add_argument("--audit", type=int, required=True, metavar="ID")
    listing.add_argument("--period", type=int, metavar="DAYS",
                         help="set the days a response may take before it is overdue")
    respond = steps.add_parser("respond", parents=[common], help="record the response")
    respond.add_argument("--id", type=int, required=True, help="the escalation's number")
    respond.add_argument("--response", required=True)
    respond.add_argument("--date", metavar="YYYY-MM-DD", help="when (default today)")
    close = steps.add_parser("close", parents=[common], help="close an escalation")
    close.add_argument("--id", type=int, required=True, help="the escalation's number")
    close.add_argument("--date", metavar="YYYY-MM-DD", help="when (default today)")


def run_escalation(args: argparse.Namespace, output: Output,
                   parser: argparse.ArgumentParser) -> int:
    from audit_app.cli.record_args import parse_day
    from audit_app.services import escalations

    with opened(args) as db:
        command = args.escalation_command
        if command == "add":
            number = escalations.add_escalation(
                db, audit_id=args.audit, case_reference=args.case, reason=args.reason,
                sent_to_role=args.to_role, sent_to_agency=args.to_agency,
                sent_on=parse_day(args.sent, "sent date") or dt.date.today())
            output.result({"escalation_id": number, "audit_id": args.audit},
                          f"Escalation {number} recorded on audit {args.audit}.")
        elif command == "respond":
            escalations.respond_escalation(db, escalation_id=args.id, response=args.response,
                                           response_on=parse_day(args.date))
            output.result({"escalation_id": args.id, "responded": True},
                          f"Escalation {args.id}: response recorded.")
        elif command == "close":
            escalations.close_escalation(db, escalation_id=args.id,
                                         closed_on=parse_day(args.date))
            output.result({"escalation_id": args.id, "closed": True},
                          f"Escalation {args.id} closed.")
        else:
            from audit_app.services.follow_up import set_follow_up_periods

            if args.period is not None:
                set_follow_up_periods(db, audit_id=args.audit, escalation_days=args.period)
            _list(escalations.list_escalations(db, audit_id=args.audit), output)
    return 0


def _list(shown: Sequence[EscalationRow], output: Output) -> None:
    from audit_app.cli.record_args import shown_day

    today = dt.date.today()
    payload = [{"escalation_id": r.escalation_id, "case_reference": r.case_reference,
                "reason": r.reason, "sent_to_role": r.sent_to_role,
                "sent_to_agency": r.sent_to_agency, "sent_on": r.sent_on,
                "respond_by": r.respond_by, "response": r.response,
                "response_on": r.response_on, "closed_on": r.closed_on,
                "closed_by": r.closed_by, "open": r.is_open, "overdue": r.is_overdue(today)}
               for r in shown]
    table = format_table(
        ["No.", "Case", "Reason", "Sent to", "Sent", "Standing", "Response", "Closed"],
        [[r.escalation_id, r.case_reference, r.reason, r.sent_to, shown_day(r.sent_on),
          r.standing(today), r.response, shown_day(r.closed_on)] for r in shown])
    still_open = sum(r.is_open for r in shown)
    output.result(payload, [table, f"{plural(len(shown), 'escalation')}, {still_open} open."] if shown
                  else "No escalations recorded.")
