"""`audit-app meeting add|list|attend|declare|show`: the panel's meetings from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.errors import UserError

if TYPE_CHECKING:
    from audit_app.core.meeting import AgendaPage
    from audit_app.services.database import Database
    from audit_app.services.meetings import MeetingDetail


def add_arguments(meeting: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    actions = meeting.add_subparsers(dest="meeting_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common],
                             help="a meeting on an audit, its agenda the sample's cases")
    add.add_argument("--audit", type=int, required=True, metavar="ID")
    add.add_argument("--date", metavar="YYYY-MM-DD", help="the day it is held (default today)")
    add.add_argument("--title", default="", help="its title (default 'Panel meeting' and the date)")
    add.add_argument("--chair", default="", metavar="NAME", help="who chairs it")
    listing = actions.add_parser("list", parents=[common], help="the meetings held")
    listing.add_argument("--audit", type=int, metavar="ID", help="only this audit's meetings")
    attend = actions.add_parser("attend", parents=[common],
                                help="record a member or guest as present or sending apologies")
    attend.add_argument("--meeting", type=int, required=True, metavar="ID")
    attend.add_argument("--member", required=True, metavar="NAME")
    attend.add_argument("--apologies", action="store_true", help="sent apologies (not present)")
    attend.add_argument("--role", default="", help="their role, such as Chair or Observer")
    attend.add_argument("--agency", default="", help="the agency they come from")
    attend.add_argument("--guest", action="store_true", help="a guest, who does not score")
    declare = actions.add_parser("declare", parents=[common],
                                 help="a member's interest in a case: they will not score it")
    declare.add_argument("--meeting", type=int, required=True, metavar="ID")
    declare.add_argument("--case", required=True, metavar="REFERENCE")
    declare.add_argument("--member", required=True, metavar="NAME")
    declare.add_argument("--reason", required=True, help="why (for the minutes)")
    show = actions.add_parser("show", parents=[common],
                              help="a meeting's attendance, declarations and agenda")
    show.add_argument("--meeting", type=int, required=True, metavar="ID")


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"'{text}' is not a date like 2027-03-31") from None


def run_meeting(args: argparse.Namespace, output: Output,
                parser: argparse.ArgumentParser) -> int:
    from audit_app.services import meetings

    with opened(args) as db:
        if args.meeting_command == "add":
            made = meetings.create_meeting(db, audit_id=args.audit, held_on=_day(args.date),
                                           title=args.title, chair=args.chair)
            output.result(made, f"Meeting {made.meeting_id} on {made.held_on:%d %B %Y}: "
                                f"{made.cases} cases on the agenda.")
        elif args.meeting_command == "list":
            found = meetings.list_meetings(db, audit_id=args.audit)
            output.result(found, format_table(
                ["Meeting", "Audit", "Held on", "Title", "Chair", "Cases"],
                [(m.meeting_id, m.audit_id, f"{m.held_on:%d %b %Y}", m.title, m.chair or "–",
                  m.cases) for m in found]) if found else "No meetings yet.")
        elif args.meeting_command == "attend":
            row = meetings.record_attendance(
                db, meeting_id=args.meeting, member=args.member, present=not args.apologies,
                role=args.role, agency=args.agency, guest=args.guest)
            output.result(row, f"{row.member}: {row.presence.lower()} at meeting {args.meeting}.")
        elif args.meeting_command == "declare":
            _declare(db, args, output)
        else:
            show_meeting(meetings.get_meeting(db, meeting_id=args.meeting), output)
    return 0


def _declare(db: Database, args: argparse.Namespace, output: Output) -> None:
    from audit_app.services import meetings

    detail = meetings.get_meeting(db, meeting_id=args.meeting)
    case_id = next((row.case_id for row in detail.agenda if row.reference == args.case.strip()),
                   None)
    if case_id is None:
        raise UserError(f"No case with that reference on the agenda of meeting {args.meeting}")
    row = meetings.declare_interest(db, audit_id=detail.meeting.audit_id, case_id=case_id,
                                    member=args.member, reason=args.reason,
                                    meeting_id=args.meeting)
    output.result(row, f"{row.member} declared an interest in case {row.reference} and will "
                       "not score it.")


def _carried_line(page: AgendaPage) -> str:
    carried = page.carried
    assert carried is not None
    standing = (f"settled on {carried.settled_on:%d %B %Y}: {carried.answer}"
                if carried.settled_on else
                f"to be answered by {carried.answerer or 'someone not recorded'}")
    request = f" (request {carried.request_id})" if carried.request_id else ""
    return (f"  Case {page.reference or '(case data deleted)'}, carried from {carried.source}: "
            f"{carried.question.strip()} – {standing}{request}")


def show_meeting(detail: MeetingDetail, output: Output) -> None:
    meeting = detail.meeting
    lines = [f"{meeting.title} (meeting {meeting.meeting_id}, audit {meeting.audit_id}), "
             f"held on {meeting.held_on:%d %B %Y}" + (f", chaired by {meeting.chair}"
                                                       if meeting.chair else ""), "",
             "Attendance:"]
    lines += [format_table(["Name", "Role", "Agency", "Attendance"],
                           [(a.member, a.role or "–", a.agency or "–",
                             a.presence + (" (guest)" if a.guest else ""))
                            for a in detail.attendance])
              if detail.attendance else "  Nobody recorded yet."]
    lines += ["", "Declarations of interest:"]
    lines += [f"  {d.member}, case {d.reference}: {d.reason}" for d in detail.declarations] \
        or ["  None."]
    carried = [page for page in detail.pages if page.carried is not None]
    if carried:  # the first agenda pages, until settled (`request settle`)
        lines += ["", "Carried in, the first pages of the agenda:"]
        lines += [_carried_line(page) for page in carried]
    lines += ["", "Agenda:", format_table(
        ["#", "Case", "Status", "Carried because"],
        [(row.position, row.reference, row.status.label, row.carried_reason or "")
         for row in detail.agenda])]
    output.result(detail, lines)
