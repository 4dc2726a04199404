"""`audit-app backup [--keep N] [--list]`: copies of the SQLite database, newest kept."""

from __future__ import annotations

import argparse

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.errors import UserError


def add_arguments(backup: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    backup.add_argument("--keep", type=int, default=10, metavar="N")
    backup.add_argument("--list", action="store_true", help="list backups instead")


def run_backup(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services import backups
    from audit_app.services.database import require_database

    if args.list:
        if args.db is not None:  # a mistyped --db is said, not answered with the backups
            require_database(args.db)
        found = backups.list_backups()
        output.result(found, format_table(
            ["Taken (UTC)", "Size (KB)", "File"],
            [[f"{b.taken_at:%Y-%m-%d %H:%M:%S}", b.size_bytes // 1024, b.path] for b in found])
            if found else "No backups yet.")
        return 0
    if args.keep < 1:
        raise UserError("--keep must be at least 1")
    with opened(args) as db:
        taken = backups.take_backup(db, keep=args.keep)
    output.result(taken, f"Backed up to {taken.path}")
    return 0
