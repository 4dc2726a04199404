"""`audit-app feedback --audit ID --out FOLDER [--by supervisor|team]`: one letter each.

Each supervisor (or team) gets one letter with their cases' verdicts, learning and good
practice. Files are numbered (feedback-01-supervisor.docx, ...) so no file name on a shared
drive names anyone; the addressee's name is inside their own letter only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from audit_app.cli.common import opened
from audit_app.cli.output import Output, to_jsonable


def add_arguments(feedback: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    feedback.add_argument("--audit", type=int, required=True, metavar="ID")
    feedback.add_argument("--out", type=Path, required=True, metavar="FOLDER",
                          help="the folder for the letters (made if it does not exist)")
    feedback.add_argument("--by", choices=("supervisor", "team"), default="supervisor",
                          help="one letter per finalising supervisor (the default) or per team")
    feedback.add_argument("--real-references", action="store_true",
                          help="real crime references and free text as written (by default "
                               "pseudonyms, personal details removed)")


def run_feedback(args: argparse.Namespace, output: Output,
                 parser: argparse.ArgumentParser) -> int:
    from audit_app.services.panel_documents import write_feedback_files

    with opened(args) as db:
        result = write_feedback_files(db, audit_id=args.audit, folder=args.out, by=args.by,
                                      pseudonymise=not args.real_references)
    # The letters' file names, not their addressees: the terminal may be on a projector.
    payload = to_jsonable(result)
    payload.pop("addressees", None)
    output.result(payload, [result.summary, *(f"  {path.name}" for path in result.paths)])
    return 0
