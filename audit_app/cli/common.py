"""What every command shares: the --db, --json and --as options, and opening the database.

Light on purpose: `audit_app.cli` imports this before it knows which command runs, so the
services (and SQLAlchemy behind them) are imported only inside `opened`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # argparse only once a parser is built; SQLAlchemy only when a command runs
    import argparse
    from collections.abc import Callable

    from audit_app.cli.output import Output
    from audit_app.services.database import Database

    Command = Callable[[argparse.Namespace, Output, argparse.ArgumentParser], int]


# The commands that may make a new database when --db names none. Every other command
# works on an existing one, so a mistyped path is refused and nothing is created.
MAY_CREATE_DATABASE = frozenset({("demo", None), ("audit", "create"), ("import", None),
                                 ("gui", None), ("package", "open"), ("framework", "import")})


def common_options() -> argparse.ArgumentParser:
    """--db, --json and --as, accepted before or after the command name.

    SUPPRESS keeps a subcommand from overwriting a value given before the command.
    """
    import argparse

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
                        help="database file or postgresql:// URL (default: $AUDIT_APP_DB, "
                             "else audit.sqlite3 in your data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON on stdout")
    common.add_argument("--as", dest="as_name", metavar="NAME", default=argparse.SUPPRESS,
                        help="the panel member the changes are recorded as (default: "
                             "$AUDIT_APP_USER, else \"Command line\")")
    return common


def may_create_database(args: argparse.Namespace) -> bool:
    action = getattr(args, f"{args.command}_command", None)  # e.g. args.audit_command
    return (args.command, action) in MAY_CREATE_DATABASE


def name_the_actor(args: argparse.Namespace) -> None:
    """Changes are recorded as --as, else $AUDIT_APP_USER, else "Command line": never the
    computer's login name."""
    from audit_app.services.acting import COMMAND_LINE, name_actor

    named = " ".join((getattr(args, "as_name", None) or "").split())
    if args.command in (None, "gui") and not named:
        return  # the app names the member chosen in "Reviewing as…", else an unnamed one
    name_actor(named or " ".join(os.environ.get("AUDIT_APP_USER", "").split()) or COMMAND_LINE)


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Database]:
    from audit_app.services.database import open_database

    database = open_database(args.db, create=may_create_database(args))
    try:
        yield database
    finally:
        database.close()
