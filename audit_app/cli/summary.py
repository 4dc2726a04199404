"""`audit-app summary --audit ID --out FILE.docx`: the one-page summary for the panel pack."""

from __future__ import annotations

import argparse
from pathlib import Path

from audit_app.cli.common import opened
from audit_app.cli.output import Output, to_jsonable


def add_arguments(summary: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    summary.add_argument("--audit", type=int, required=True, metavar="ID")
    summary.add_argument("--out", type=Path, required=True, metavar="FILE.docx")
    summary.add_argument("--real-references", action="store_true",
                         help="the panel's internal copy: real crime references (by default "
                              "pseudonyms)")


def run_summary(args: argparse.Namespace, output: Output,
                parser: argparse.ArgumentParser) -> int:
    from audit_app.services.panel_documents import write_summary_file

    with opened(args) as db:
        result = write_summary_file(db, audit_id=args.audit, path=args.out,
                                    pseudonymise=not args.real_references)
    output.result(to_jsonable(result), result.summary)
    return 0
