"""`audit-app restore FILE`: put a backup back, saving the database as it was first."""

from __future__ import annotations

import argparse
from pathlib import Path

from audit_app.cli.common import opened
from audit_app.cli.output import Output


def add_arguments(restore: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    restore.add_argument("file", type=Path, metavar="FILE")


def run_restore(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services import backups

    with opened(args) as db:
        safety = backups.restore_backup(db, backup=args.file)
    output.result({"restored": str(args.file), "previous_state_saved_as": safety.path},
                  [f"Restored {args.file}.",
                   f"The database as it was just before is saved as {safety.path}."])
    return 0
