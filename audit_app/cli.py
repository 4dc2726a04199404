"""The headless front: `audit-app COMMAND ...`, calling the same services as the desktop app.

Problems the user can fix print one plain line on stderr and exit 2; a bug prints one
line saying where the details were logged and exits 1. No traceback ever reaches the
terminal. Qt is imported only by the `gui` command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from audit_app import __version__, cli_export
from audit_app.cli_commands import COMMANDS
from audit_app.cli_output import Output
from audit_app.cli_panel import PANEL_COMMANDS, add_panel_parsers
from audit_app.cli_thresholds import add_thresholds_parser
from audit_app.core.errors import UserError

PROG = "audit-app"
EXIT_OK = 0
EXIT_BUG = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
ERROR_LOG_NAME = "case-file-audit-errors.log"  # the name io.error_log writes (kept light)


def _common_options() -> argparse.ArgumentParser:
    """--db and --json, accepted before or after the command name.

    SUPPRESS keeps a subcommand from overwriting a value given before the command.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
                        help="database file or postgresql:// URL (default: $AUDIT_APP_DB, "
                             "else audit.sqlite3 in your data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON on stdout")
    return common


def _add_sample_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                        common: argparse.ArgumentParser) -> None:
    sample = commands.add_parser("sample", parents=[common], help="draw or show the sample",
                                 description="Draw a sample (audit-app sample --audit ID --size N) "
                                             "or show the current one (audit-app sample show).")
    sample.add_argument("--audit", type=int, metavar="ID")
    sample.add_argument("--size", type=int, metavar="N")
    sample.add_argument("--method", choices=("random", "systematic", "stratified"), default=None)
    sample.add_argument("--by", metavar="FIELD[,FIELD]", default="",
                        help="stratify by these case fields (implies --method stratified)")
    sample.add_argument("--seed", type=int, help="reuse a seed to reproduce a draw")
    sample.add_argument("--allocation", choices=("proportional", "equal"), default="proportional")
    sample.add_argument("--where", metavar="EXPR", default="",
                        help="scope, e.g. \"outcome_code in (15, 16) and risk_level == 'high'\"")
    sample.add_argument("--include-always", metavar="EXPR", default="",
                        help="cases matching this rule are always in the sample")
    sample.add_argument("--exclude-reviewed", action="store_true",
                        help="leave out cases already reviewed in another audit")
    # Subcommands are optional so `sample --audit 1 --size 40` keeps drawing.
    actions = sample.add_subparsers(dest="sample_command", metavar="{show,verify,replace}",
                                    required=False)
    show = actions.add_parser("show", parents=[common], help="show the current sample")
    show.add_argument("--audit", type=int, metavar="ID", required=True)
    verify = actions.add_parser("verify", parents=[common],
                                help="re-draw from the stored record and confirm it matches")
    verify.add_argument("--audit", type=int, metavar="ID", required=True)
    replace = actions.add_parser("replace", parents=[common],
                                 help="replace a case that cannot be reviewed")
    replace.add_argument("--audit", type=int, metavar="ID", required=True)
    replace.add_argument("--reference", required=True, help="the crime reference to replace")
    replace.add_argument("--reason", required=True, help="why it cannot be reviewed")


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog=PROG, parents=[common],
        description="Case File Audit: review samples of closed case files. "
                    "With no command, opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("gui", parents=[common], help="open the desktop app (the default)")

    demo = commands.add_parser("demo", parents=[common],
                               help="create a demo audit of synthetic cases")
    demo.add_argument("--if-empty", action="store_true",
                      help="do nothing if the database already holds an audit")
    demo.add_argument("--seed", type=int, default=2026)

    audit = commands.add_parser("audit", parents=[common],
                                help="create or list audits, or set their thresholds")
    audit_actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    create = audit_actions.add_parser("create", parents=[common], help="start a new audit")
    create.add_argument("--name", required=True)
    create.add_argument("--framework", required=True, metavar="FRAMEWORK_ID",
                        help="framework id, optionally with @version")
    create.add_argument("--description", default="")
    audit_actions.add_parser("list", parents=[common], help="list audits")
    add_thresholds_parser(audit_actions, common)

    framework = commands.add_parser("framework", parents=[common], help="criteria frameworks")
    fw_actions = framework.add_subparsers(dest="framework_command", metavar="ACTION", required=True)
    fw_actions.add_parser("list", parents=[common], help="list frameworks and versions")
    fw_show = fw_actions.add_parser("show", parents=[common], help="print sections and criteria")
    fw_show.add_argument("framework_id", metavar="ID")
    fw_export = fw_actions.add_parser("export", parents=[common], help="write a framework as YAML")
    fw_export.add_argument("framework_id", metavar="ID")
    fw_export.add_argument("file", type=Path, metavar="FILE")
    fw_import = fw_actions.add_parser("import", parents=[common], help="add a framework from YAML")
    fw_import.add_argument("file", type=Path, metavar="FILE")

    population = commands.add_parser("import", parents=[common],
                                     help="import a population extract (XLSX or CSV)")
    population.add_argument("file", type=Path, metavar="FILE")
    population.add_argument("--audit", type=int, required=True, metavar="ID")
    population.add_argument("--sheet", metavar="NAME")
    population.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                            help="map a case field to a column header (repeatable)")
    population.add_argument("--personal", action="append", default=[], metavar="HEADER",
                            help="an unmapped column holding personal data, kept out of "
                                 "partner exports (repeatable)")
    population.add_argument("--mapping", metavar="PROFILE", help="use a saved mapping profile")
    population.add_argument("--save-mapping", metavar="PROFILE",
                            help="save this import's mapping under a name")
    population.add_argument("--valid-rows-only", action="store_true",
                            help="import the good rows and skip the bad ones")
    population.add_argument("--report", type=Path, metavar="FILE.csv",
                            help="write every problem found to a CSV file")
    population.add_argument("--shareable", action="append", default=[], metavar="COLUMN",
                            help="an unmapped column a partner may see; every other column "
                                 "stays out of partner exports (repeatable)")
    population.add_argument("--allow-removals", action="store_true",
                            help="import even if sampled or scored cases, or more than a "
                                 "tenth of the cases, are missing from this extract")

    _add_sample_parsers(commands, common)

    scoresheet = commands.add_parser("scoresheet", parents=[common],
                                     help="offline scoresheets for reviewers")
    ss_actions = scoresheet.add_subparsers(dest="scoresheet_command", metavar="ACTION",
                                           required=True)
    ss_export = ss_actions.add_parser("export", parents=[common], help="write a reviewer's workbook")
    ss_export.add_argument("--audit", type=int, required=True, metavar="ID")
    ss_export.add_argument("--reviewer", required=True, metavar="NAME")
    ss_export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    ss_import = ss_actions.add_parser("import", parents=[common], help="read a completed workbook")
    ss_import.add_argument("file", type=Path, metavar="FILE")

    stats = commands.add_parser("stats", parents=[common], help="compliance findings")
    stats.add_argument("--audit", type=int, required=True, metavar="ID")
    stats.add_argument("--compare-with", type=int, metavar="ID",
                       help="also compare each criterion with an earlier audit: both rates, "
                            "the change and its 95%% interval")
    stats.add_argument("--by-outcome", action="store_true",
                       help="also print compliance per criterion for each outcome code")

    cli_export.add_parser(commands, common)
    add_panel_parsers(commands, common)
    return parser


def _write_bug_log(exc: BaseException, argv: Sequence[str]) -> Path | None:
    """Append the traceback to the error log the desktop app also writes (one place for
    support to look); None if that fails too."""
    try:
        from audit_app.io.error_log import append_to_error_log

        return append_to_error_log(exc, heading=f"audit-app {__version__} argv={list(argv)!r}")
    except Exception:
        return None


def _silence_stdout() -> None:
    """Point stdout at devnull so Python's exit-time flush does not complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _complain(line: str) -> None:
    """One line on stderr; the windowed build has no stderr at all."""
    if sys.stderr is not None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _one_line(message: str) -> str:
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def _start_privately() -> None:
    """Every file this run makes is the user's alone, and a killed run's leftovers go."""
    from audit_app.io.private_files import clean_stale_partials, restrict_umask

    restrict_umask()  # a second line of defence behind each file's own 0600
    clean_stale_partials()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 bug, 2 usage or user error)."""
    parser = build_parser()
    arguments = list(argv) if argv is not None else sys.argv[1:]
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_request:  # --help, --version and usage errors
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_USER_ERROR
    # Absent unless given (see _common_options), before or after the command name.
    args.db = getattr(args, "db", None)
    args.json = getattr(args, "json", False)
    command = args.command or "gui"
    output = Output(as_json=bool(args.json))
    try:
        _start_privately()
        return {**COMMANDS, **PANEL_COMMANDS}[command](args, output, parser)
    except UserError as exc:
        _complain(f"{PROG}: error: {_one_line(str(exc))}")
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # Output piped into `head` or similar that stopped reading: not an error.
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        _complain(f"{PROG}: interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        log_path = _write_bug_log(exc, arguments)
        where = f"details were written to {log_path}" if log_path else "no log could be written"
        _complain(f"{PROG}: unexpected error ({type(exc).__name__}); {where}")
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
