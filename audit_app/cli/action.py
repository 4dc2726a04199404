"""`audit-app action add|list|update`: the panel's actions register.

The register lists the audit's actions and the open ones brought forward from earlier
audits of the same framework, open first with overdue ones at the top.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.statuses import ActionStatus
from audit_app.core.themes import theme_name
from audit_app.core.wording import plural

if TYPE_CHECKING:
    from audit_app.services.database import Database


def add_arguments(action: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    steps = action.add_subparsers(dest="action_command", metavar="ACTION", required=True)
    add = steps.add_parser("add", parents=[common], help="record an action the panel agreed")
    add.add_argument("--audit", type=int, required=True, metavar="ID")
    add.add_argument("--text", required=True, help="what is to be done")
    _details(add)
    add.add_argument("--case", default="", metavar="REFERENCE", help="the case it arose from")
    add.add_argument("--criterion", default="", metavar="CODE", help="the criterion it concerns")
    listing = steps.add_parser("list", parents=[common], help="show the actions register")
    listing.add_argument("--audit", type=int, required=True, metavar="ID")
    listing.add_argument("--open", action="store_true", help="only actions still open")
    update = steps.add_parser("update", parents=[common], help="change an action")
    update.add_argument("--id", type=int, required=True, help="the action's number")
    update.add_argument("--text", help="what is to be done")
    _details(update)
    # Words on the command line, not stored codes: in-progress, not in_progress.
    update.add_argument("--status", choices=[s.value.replace("_", "-") for s in ActionStatus])
    update.add_argument("--response", help="the agency's response")
    update.add_argument("--response-date", metavar="YYYY-MM-DD",
                        help="when it responded (default: today, with --response)")


def _details(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--agency", help="the agency the action is for (Police, CPS ...)")
    parser.add_argument("--owner", help="who will do it")
    parser.add_argument("--due", metavar="YYYY-MM-DD", help="when it is due")
    parser.add_argument("--theme", metavar="KEY", help="its theme (see: audit-app theme list)")


def run_action(args: argparse.Namespace, output: Output,
               parser: argparse.ArgumentParser) -> int:
    from audit_app.cli.record_args import parse_day
    from audit_app.services import actions

    with opened(args) as db:
        if args.action_command == "add":
            action_id = actions.add_action(
                db, audit_id=args.audit, description=args.text, owner=args.owner or "",
                due_date=parse_day(args.due, "due date"), case_reference=args.case,
                criterion_code=args.criterion, agency=args.agency or "",
                theme_key=args.theme or "")
            output.result({"action_id": action_id, "audit_id": args.audit},
                          f"Action {action_id} recorded on audit {args.audit}.")
        elif args.action_command == "update":
            _update(db, args, output)
        else:
            _list(db, args, output)
    return 0


def _status(word: str | None) -> str | None:
    return None if word is None else ActionStatus(word.replace("-", "_")).value


def _update(db: Database, args: argparse.Namespace, output: Output) -> None:
    from audit_app.cli.record_args import parse_day
    from audit_app.services import actions

    changes: dict[str, object] = {
        name: value for name, value in (("description", args.text), ("owner", args.owner),
                                        ("agency", args.agency), ("status", _status(args.status)),
                                        ("response", args.response),
                                        ("theme_key", args.theme)) if value is not None}
    if args.due is not None:
        changes["due_date"] = parse_day(args.due, "due date")
    if args.response_date is not None:
        changes["response_date"] = parse_day(args.response_date, "response date")
    elif args.response:
        changes["response_date"] = dt.date.today()
    actions.update_action(db, action_id=args.id, **changes)  # type: ignore[arg-type]
    output.result({"action_id": args.id, "changed": sorted(changes)},
                  f"Action {args.id} updated." if changes else
                  f"Action {args.id}: nothing to change.")


def _list(db: Database, args: argparse.Namespace, output: Output) -> None:
    from audit_app.cli.record_args import shown_day
    from audit_app.services import actions, themes

    today = dt.date.today()
    rows = [row for row in actions.list_actions(db, audit_id=args.audit, today=today)
            if row.is_open or not args.open]
    names = {theme.key: theme.name for theme in themes.list_themes()}
    payload = [{"action_id": r.action_id, "description": r.description, "agency": r.agency,
                "owner": r.owner, "due_date": r.due_date, "follow_up_by": r.follow_up_by,
                "status": r.status, "overdue": r.is_overdue(today), "response": r.response,
                "response_date": r.response_date, "theme": r.theme_key,
                "criterion": r.criterion_code, "case_reference": r.case_reference,
                "brought_forward_from": r.brought_forward_from} for r in rows]
    table = format_table(
        ["No.", "Action", "Agency", "Owner", "Due", "Status", "Response", "Theme or criterion",
         "Brought forward from"],
        [[r.action_id, r.description, r.agency, r.owner, shown_day(r.follow_up_by),
          ActionStatus(r.status).label + (" (overdue)" if r.is_overdue(today) else ""),
          (r.response + (f" ({shown_day(r.response_date)})" if r.response_date else "")),
          theme_name(names, r.theme_key) or (f"Criterion {r.criterion_code}"
                                             if r.criterion_code else ""),
          r.brought_forward_from] for r in rows])
    overdue = sum(r.is_overdue(today) for r in rows)
    output.result(payload, [table, f"{plural(len(rows), 'action')}, {overdue} overdue."] if rows
                  else "No actions recorded.")
