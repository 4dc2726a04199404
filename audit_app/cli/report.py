"""`audit-app report --year YYYY --out FILE.docx`: the panel's yearly report.

The audits held in the year side by side: each criterion's rate with its 95% interval per
audit, themes over time, and the actions with their responses. Pseudonymised by default.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from audit_app.cli.common import opened
from audit_app.cli.output import Output, to_jsonable


def add_arguments(report: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    report.add_argument("--year", type=int, required=True, metavar="YYYY")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.docx")
    report.add_argument("--real-references", action="store_true",
                        help="real crime references and free text as written (by default "
                             "pseudonyms, personal details removed)")


def run_report(args: argparse.Namespace, output: Output,
               parser: argparse.ArgumentParser) -> int:
    from audit_app.services.panel_year_report import write_year_report_file

    with opened(args) as db:
        result = write_year_report_file(db, year=args.year, path=args.out,
                                        pseudonymise=not args.real_references)
    output.result(to_jsonable(result), result.summary)
    return 0
