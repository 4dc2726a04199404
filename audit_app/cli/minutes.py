"""`audit-app minutes --audit ID --out FILE.docx`: the minutes of the panel's meeting.

Pseudonymised by default (the audit's case pseudonyms, personal details scrubbed from free
text), of the audit's latest meeting unless `--meeting ID` names another;
`--real-references` writes the panel's internal copy. An existing file is replaced,
as `export` replaces a workbook; the new file is written whole or not at all.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from audit_app.cli.common import opened
from audit_app.cli.output import Output, to_jsonable


def add_arguments(minutes: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    minutes.add_argument("--audit", type=int, required=True, metavar="ID")
    minutes.add_argument("--out", type=Path, required=True, metavar="FILE.docx")
    minutes.add_argument("--meeting", type=int, metavar="ID",
                         help="the meeting the minutes are of (by default the audit's latest; "
                              "see: audit-app meeting list)")
    minutes.add_argument("--real-references", action="store_true",
                         help="the panel's internal copy: real crime references and free text "
                              "as written (by default pseudonyms, personal details removed)")


def run_minutes(args: argparse.Namespace, output: Output,
                parser: argparse.ArgumentParser) -> int:
    from audit_app.services.panel_documents import write_minutes_file

    with opened(args) as db:
        result = write_minutes_file(db, audit_id=args.audit, path=args.out,
                                    pseudonymise=not args.real_references,
                                    meeting_id=args.meeting)
    output.result(to_jsonable(result), result.summary)
    return 0
