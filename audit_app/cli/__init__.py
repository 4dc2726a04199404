"""The headless front: `audit-app COMMAND ...`, calling the same services as the desktop app.

Problems the user can fix print one plain line on stderr and exit 2; a bug prints one
line saying where the details were logged and exits 1. No traceback ever reaches the
terminal. Qt is imported only by the `gui` command.

Each command lives in its own module, `audit_app/cli/<command>.py` (`import` is in
`import_extract.py`), holding its arguments and its handler; `COMMANDS` below says where.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Sequence
from contextlib import suppress
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from audit_app import __version__
from audit_app.cli.common import common_options, name_the_actor
from audit_app.cli.output import Output
from audit_app.core.errors import UserError

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from audit_app.cli.common import Command

PROG = "audit-app"
EXIT_OK = 0
EXIT_BUG = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
ERROR_LOG_NAME = "case-file-audit-errors.log"  # the name io.error_log writes (kept light)


class CommandEntry(NamedTuple):
    """Where a command lives: `audit_app.cli.<module>` holds `add_arguments` and `handler`."""

    module: str
    handler: str
    help: str  # its line in `audit-app --help`


# Every command, in the order `--help` lists them. Only the command being run has its
# module imported (and through it the services), so --version and --help stay quick.
COMMANDS: dict[str, CommandEntry] = {
    "gui": CommandEntry("gui", "run_gui", "open the desktop app (the default)"),
    "demo": CommandEntry("demo", "run_demo", "create a demo audit of synthetic cases"),
    "audit": CommandEntry("audit", "run_audit",
                          "create or list audits, or set their thresholds"),
    "framework": CommandEntry("framework", "run_framework", "criteria frameworks"),
    "import": CommandEntry("import_extract", "run_import",
                           "import a population extract (XLSX or CSV)"),
    "sample": CommandEntry("sample", "run_sample", "draw or show the sample"),
    "scoresheet": CommandEntry("scoresheet", "run_scoresheet", "offline scoresheets for reviewers"),
    "stats": CommandEntry("stats", "run_stats", "compliance findings"),
    "export": CommandEntry("export", "run_export", "write the findings workbook"),
    "minutes": CommandEntry("minutes", "run_minutes", "write the meeting's minutes (Word)"),
    "feedback": CommandEntry("feedback", "run_feedback",
                             "write feedback letters, one per supervisor or team (Word)"),
    "summary": CommandEntry("summary", "run_summary", "write the one-page summary sheet (Word)"),
    "report": CommandEntry("report", "run_report", "write the yearly report (Word)"),
    "package": CommandEntry("package", "run_package",
                            "review packages for members working offline"),
    "backup": CommandEntry("backup", "run_backup",
                           "back up the database (SQLite), keeping the newest copies"),
    "restore": CommandEntry("restore", "run_restore",
                            "replace the database with a backup (SQLite)"),
    "retention": CommandEntry("retention", "run_retention",
                              "close an audit and purge its case data when due"),
    "training": CommandEntry("training", "run_training",
                             "calibration cases for new members, with a reference key"),
    "action": CommandEntry("action", "run_action", "the panel's actions register"),
    "escalation": CommandEntry("escalation", "run_escalation",
                               "urgent safeguarding escalations"),
    "request": CommandEntry("request", "run_request",
                            "questions carried until more information comes"),
    "theme": CommandEntry("theme", "run_theme", "learning themes: list, add, tag and count"),
    "meeting": CommandEntry("meeting", "run_meeting",
                            "panel meetings: attendance, declarations of interest, the agenda"),
}
DEFAULT_COMMAND = "gui"


def command_module(name: str) -> ModuleType:
    """The module that holds command `name`, imported now."""
    return import_module(f"{__name__}.{COMMANDS[name].module}")


def command_handler(name: str) -> Command:
    handler: Command = getattr(command_module(name), COMMANDS[name].handler)
    return handler


def build_parser(in_full: Collection[str] | None = None, *,
                 only: bool = False) -> argparse.ArgumentParser:
    """The parser. Commands not `in_full` get only their name and help line, enough for
    `--help` and for refusing an unknown command, so their modules are not imported;
    None builds every command in full. `only`: the commands `in_full` and no others (the
    others' 25 subparsers cost about 14 ms, a tenth of the app's start)."""
    import argparse  # here, not above: a bare --version never builds a parser

    common = common_options()
    parser = argparse.ArgumentParser(
        prog=PROG, parents=[common],
        description="Case File Audit: review samples of closed case files. "
                    "With no command, opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, entry in COMMANDS.items():
        if only and in_full is not None and name not in in_full:
            continue
        command = commands.add_parser(name, parents=[common], help=entry.help)
        if in_full is None or name in in_full:
            command_module(name).add_arguments(command, common)
    return parser


def command_named(argv: Sequence[str]) -> str | None:
    """The command word in `argv`, found as argparse finds it: the first word that is not
    an option or the value of --db or --as (which argparse also accepts shortened, as --d)."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if not word.startswith("-") or word == "-":
            return word
        if len(word) > 2 and "=" not in word and ("--db".startswith(word)
                                                  or "--as".startswith(word)):
            next(words, None)  # the database path or the name, whatever it looks like
    return None


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


def _print_version() -> int:
    """What argparse's --version prints, where it prints it (stdout, else stderr)."""
    with suppress(AttributeError, OSError):  # argparse ignores these too
        (sys.stdout or sys.stderr).write(f"{PROG} {__version__}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 bug, 2 usage or user error)."""
    arguments = list(argv) if argv is not None else sys.argv[1:]
    if arguments == ["--version"]:  # asked often, by scripts too: answered without argparse
        return _print_version()
    named = command_named(arguments)
    # Unless --help is asked, a known command (none: the app) gets its own subparser alone.
    only = not any(word == "-h" or (len(word) > 2 and "--help".startswith(word)) for word in arguments)
    wanted = named if named in COMMANDS else DEFAULT_COMMAND if named is None and only else None
    parser = build_parser(in_full=[wanted] if wanted else [], only=only and wanted is not None)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_request:  # --help, --version and usage errors
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_USER_ERROR
    # Absent unless given (see common_options), before or after the command name.
    args.db = getattr(args, "db", None)
    args.json = getattr(args, "json", False)
    command = args.command or DEFAULT_COMMAND
    output = Output(as_json=bool(args.json))
    try:
        _start_privately()
        name_the_actor(args)
        return command_handler(command)(args, output, parser)
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
