"""`audit-app package export|open|import|passphrase|conflicts|resolve`: review packages
for panel members working offline, and the conflicts they bring back."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.errors import UserError

if TYPE_CHECKING:  # the services load SQLAlchemy: only when a command runs
    from audit_app.services.database import Database

PASSPHRASE_ENV = "AUDIT_APP_PASSPHRASE"
PASSPHRASE_ROUTE = ("Give it to members by another route, such as a phone call, never with "
                    "the package.")


def add_arguments(package: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    actions = package.add_subparsers(dest="package_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", parents=[common],
                                help="write a package of the sample for one member")
    export.add_argument("--audit", type=int, required=True, metavar="ID")
    export.add_argument("--reviewer", required=True, metavar="NAME")
    export.add_argument("--out", type=Path, required=True, metavar="FILE.cfapkg")
    export.add_argument("--fields", metavar="FIELD[,FIELD]",
                        help="case fields to include (default: all but names)")
    opening = actions.add_parser("open", parents=[common],
                                 help="on a member's laptop: open a package to score it")
    opening.add_argument("file", type=Path, metavar="FILE")
    merge = actions.add_parser("import", parents=[common],
                               help="on the chair's database: merge a member's package")
    merge.add_argument("file", type=Path, metavar="FILE")
    passphrase = actions.add_parser(
        "passphrase", parents=[common], help="set or change the audit's package passphrase",
        description="Set or change the passphrase that seals the audit's review packages. "
                    + PASSPHRASE_ROUTE)
    passphrase.add_argument("--audit", type=int, required=True, metavar="ID")
    for sealed in (export, opening, merge, passphrase):
        sealed.add_argument("--passphrase-file", type=Path, metavar="FILE",
                            help=f"read the package passphrase from the first line of FILE "
                                 f"(else ${PASSPHRASE_ENV}, else you are asked)")
    conflicts = actions.add_parser("conflicts", parents=[common],
                                   help="list answers both sides changed")
    conflicts.add_argument("--audit", type=int, required=True, metavar="ID")
    resolve = actions.add_parser("resolve", parents=[common], help="settle one conflict")
    resolve.add_argument("conflict_id", type=int, metavar="CONFLICT_ID")
    resolve.add_argument("--keep", choices=["master", "package"], required=True)
    resolve.add_argument("--chair", required=True, metavar="NAME")


def read_passphrase(args: argparse.Namespace, *, new: bool) -> str:
    """From --passphrase-file, else $AUDIT_APP_PASSPHRASE, else asked at the terminal
    (twice for a new one). With none of these there is no way to ask: one plain line."""
    if args.passphrase_file is not None:
        path: Path = args.passphrase_file
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise UserError(f"The passphrase file {path.name} is not plain text") from None
        except OSError as exc:
            raise UserError(f"Cannot read the passphrase file {path}: "
                            f"{exc.strerror or exc}") from None
        if not lines or not lines[0]:
            raise UserError(f"The passphrase file {path.name} has no passphrase on its "
                            "first line")
        return lines[0]
    from_environment = os.environ.get(PASSPHRASE_ENV)
    if from_environment:
        return from_environment
    if sys.stdin is None or not sys.stdin.isatty():
        raise UserError(f"A package passphrase is needed: give --passphrase-file FILE or set "
                        f"{PASSPHRASE_ENV}")
    if not new:
        return getpass.getpass("Package passphrase: ")
    from audit_app.services.package_keys import MIN_PASSPHRASE_LENGTH, passphrase_problem

    entered = getpass.getpass(f"New package passphrase (at least {MIN_PASSPHRASE_LENGTH} "
                              "characters): ")
    problem = passphrase_problem(entered)
    if problem:
        raise UserError(f"{problem}; nothing was changed")
    if getpass.getpass("Type it again: ") != entered:
        raise UserError("The two passphrases are not the same; nothing was changed")
    return entered


def _export_package(args: argparse.Namespace, output: Output, db: Database) -> None:
    from audit_app.services import packages
    from audit_app.services.package_keys import has_package_passphrase

    first = not has_package_passphrase(db, audit_id=args.audit)
    passphrase = read_passphrase(args, new=first)
    fields = [f.strip() for f in args.fields.split(",")] if args.fields else None
    made = packages.export_package(db, audit_id=args.audit, reviewer=args.reviewer,
                                   path=args.out, fields=fields, passphrase=passphrase)
    lines = [f"Wrote {made.path}: {made.cases} cases and {made.answers} answers for "
             f"{made.reviewer}, sealed with the audit's package passphrase."]
    if first:
        lines.append(f"That passphrase is now this audit's package passphrase. "
                     f"{PASSPHRASE_ROUTE}")
    output.result(made, lines)


def _set_passphrase(args: argparse.Namespace, output: Output, db: Database) -> None:
    from audit_app.services.package_keys import set_package_passphrase

    changed = set_package_passphrase(db, audit_id=args.audit,
                                     passphrase=read_passphrase(args, new=True))
    text = [f"{'Changed' if changed else 'Set'} the package passphrase of audit {args.audit}. "
            + PASSPHRASE_ROUTE]
    if changed:
        text.append("Packages already sent out still open with the passphrase they were "
                    "made with.")
    output.result({"audit_id": args.audit, "changed": changed}, text)


def run_package(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.services import packages

    with opened(args) as db:
        if args.package_command == "export":
            _export_package(args, output, db)
        elif args.package_command == "passphrase":
            _set_passphrase(args, output, db)
        elif args.package_command == "open":
            audit = packages.open_package(db, path=args.file,
                                          passphrase=read_passphrase(args, new=False))
            output.result(audit, f"Opened audit {audit.id}: {audit.name}, {audit.sample_size} "
                                 "cases to score. Export a package from it to send back, "
                                 "with the same passphrase.")
        elif args.package_command == "import":
            merged = packages.import_package(db, path=args.file,
                                             passphrase=read_passphrase(args, new=False))
            text = (f"{args.file.name} was already imported; nothing changed."
                    if merged.already_imported else
                    f"Merged {merged.reviewer}'s package into audit {merged.audit_id}: "
                    f"{merged.applied} applied, {merged.unchanged} unchanged, "
                    f"{merged.conflicts} conflicts to decide.")
            output.result(merged, text)
        elif args.package_command == "conflicts":
            rows = packages.list_conflicts(db, audit_id=args.audit)
            output.result(rows, format_table(
                ["Id", "Case", "Reviewer", "Item", "Master", "Package"],
                [[c.id, c.case_reference, c.reviewer, packages.item_label(c.item),
                  packages.describe_item(c.master),
                  packages.describe_item(c.package)]
                 for c in rows]) if rows else "No open conflicts.")
        else:
            settled = packages.resolve_conflict(db, conflict_id=args.conflict_id, keep=args.keep,
                                                chair=args.chair)
            output.result(settled, f"Conflict {settled.id} settled: kept the {args.keep} value.")
    return 0
