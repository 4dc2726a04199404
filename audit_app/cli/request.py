"""`audit-app request add|list|settle`: the questions "More information needed" asks.

`list` shows the audit's own requests and the unsettled ones carried from earlier audits
of the same framework (their cases belong on this audit's agenda until settled).
"""

from __future__ import annotations

import argparse

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table


def add_arguments(request: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    steps = request.add_subparsers(dest="request_command", metavar="ACTION", required=True)
    add = steps.add_parser("add", parents=[common], help="record a question about a case")
    add.add_argument("--audit", type=int, required=True, metavar="ID")
    add.add_argument("--case", required=True, metavar="REFERENCE")
    add.add_argument("--question", required=True)
    add.add_argument("--role", default="", help="who will answer (role)")
    add.add_argument("--agency", default="", help="their agency")
    add.add_argument("--name", default="", help="their name")
    listing = steps.add_parser("list", parents=[common],
                               help="this audit's requests and those carried to it")
    listing.add_argument("--audit", type=int, required=True, metavar="ID")
    settle = steps.add_parser("settle", parents=[common], help="record the answer")
    settle.add_argument("--id", type=int, required=True, help="the request's number")
    settle.add_argument("--answer", required=True)
    settle.add_argument("--date", metavar="YYYY-MM-DD", help="when (default today)")


def run_request(args: argparse.Namespace, output: Output,
                parser: argparse.ArgumentParser) -> int:
    from audit_app.cli.record_args import parse_day, shown_day
    from audit_app.services import information_requests as requests

    with opened(args) as db:
        if args.request_command == "add":
            number = requests.add_request(
                db, audit_id=args.audit, case_reference=args.case, question=args.question,
                answerer_role=args.role, answerer_agency=args.agency, answerer_name=args.name)
            output.result({"request_id": number, "audit_id": args.audit},
                          f"Request {number} recorded on audit {args.audit}.")
        elif args.request_command == "settle":
            requests.settle_request(db, request_id=args.id, answer=args.answer,
                                    settled_on=parse_day(args.date))
            output.result({"request_id": args.id, "settled": True},
                          f"Request {args.id} settled.")
        else:
            own = requests.list_requests(db, audit_id=args.audit)
            carried = requests.carried_cases(db, audit_id=args.audit)
            rows = [*carried, *own]
            payload = {"carried": list(carried), "own": list(own)}
            table = format_table(
                ["No.", "Case", "From audit", "Question", "Who will answer", "Asked",
                 "Answer"],
                [[r.request_id, r.case_reference, r.audit_name, r.question, r.answerer,
                  shown_day(r.asked_on), r.answer or "(not yet settled)"] for r in rows])
            output.result(payload, [table, f"{len(carried)} carried from earlier audits, "
                                           f"{sum(not r.is_settled for r in own)} of this "
                                           "audit's still open."]
                          if rows else "No requests for more information.")
    return 0
