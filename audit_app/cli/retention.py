"""`audit-app retention set|close|reopen|purge`: close an audit, purge its case data when due."""

from __future__ import annotations

import argparse
import datetime as dt

from audit_app.cli.common import opened
from audit_app.cli.output import Output
from audit_app.core.errors import UserError
from audit_app.core.statuses import AuditStatus


def add_arguments(retention: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    ret_actions = retention.add_subparsers(dest="retention_command", metavar="ACTION",
                                           required=True)
    keep = ret_actions.add_parser("set", parents=[common], help="set the retention date")
    keep.add_argument("--audit", type=int, required=True, metavar="ID")
    keep.add_argument("--until", required=True, metavar="YYYY-MM-DD")
    close = ret_actions.add_parser("close", parents=[common],
                                   help="close the audit: read-only until reopened")
    close.add_argument("--audit", type=int, required=True, metavar="ID")
    reopen = ret_actions.add_parser("reopen", parents=[common],
                                    help="reopen a closed audit (not once purged)")
    reopen.add_argument("--audit", type=int, required=True, metavar="ID")
    purge = ret_actions.add_parser("purge", parents=[common],
                                   help="delete the case data, keeping aggregate findings")
    purge.add_argument("--audit", type=int, required=True, metavar="ID")


def run_retention(args: argparse.Namespace, output: Output,
                  parser: argparse.ArgumentParser) -> int:
    from audit_app.services import retention

    with opened(args) as db:
        if args.retention_command == "set":
            try:
                until = dt.date.fromisoformat(args.until)
            except ValueError:
                raise UserError(f"'{args.until}' is not a date like 2027-03-31") from None
            retention.set_retention(db, audit_id=args.audit, retain_until=until)
            output.result({"audit_id": args.audit, "retain_until": until},
                          f"Audit {args.audit}: case data kept until {until:%d %B %Y}.")
        elif args.retention_command == "close":
            retention.close_audit(db, audit_id=args.audit)
            output.result({"audit_id": args.audit, "status": AuditStatus.CLOSED.value},
                          f"Audit {args.audit} is closed: it can be read and exported but "
                          "not changed.")
        elif args.retention_command == "reopen":
            retention.reopen_audit(db, audit_id=args.audit)
            output.result({"audit_id": args.audit, "status": AuditStatus.OPEN.value},
                          f"Audit {args.audit} is open again.")
        else:
            # Backs up first (as the app does) and deletes nothing if the backup fails.
            purged = retention.purge_audit(db, audit_id=args.audit)
            where = (f"The database as it was just before is backed up to {purged.backup}; "
                     "'audit-app restore' can bring it back." if purged.backup is not None else
                     "This is a shared server database, which the app cannot back up: its "
                     "administrator's backups are the only copy of what was deleted.")
            output.result(purged, [f"Audit {args.audit}: {purged.cases_deleted} cases deleted; "
                                   "the aggregate findings are kept.", where])
    return 0
