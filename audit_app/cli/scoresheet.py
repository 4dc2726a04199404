"""`audit-app scoresheet export|import`: offline workbooks for reviewers."""

from __future__ import annotations

import argparse
from pathlib import Path

from audit_app.cli.common import opened
from audit_app.cli.output import Output


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    ss_actions = parser.add_subparsers(dest="scoresheet_command", metavar="ACTION",
                                       required=True)
    ss_export = ss_actions.add_parser("export", parents=[common], help="write a reviewer's workbook")
    ss_export.add_argument("--audit", type=int, required=True, metavar="ID")
    ss_export.add_argument("--reviewer", required=True, metavar="NAME")
    ss_export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    ss_import = ss_actions.add_parser("import", parents=[common], help="read a completed workbook")
    ss_import.add_argument("file", type=Path, metavar="FILE")


def run_scoresheet(args: argparse.Namespace, output: Output,
                   parser: argparse.ArgumentParser) -> int:
    from audit_app.services.scoresheet import export_scoresheet, import_scoresheet

    with opened(args) as db:
        if args.scoresheet_command == "export":
            path = export_scoresheet(db, audit_id=args.audit, reviewer=args.reviewer,
                                     path=args.out)
            output.result({"path": path}, f"Wrote {path} for {args.reviewer}")
            return 0
        result = import_scoresheet(db, path=args.file)
    output.result(result, f"Read {args.file}: {result}")
    return 0
