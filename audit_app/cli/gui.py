"""`audit-app gui` (and `audit-app` with no command): open the desktop app."""

from __future__ import annotations

import argparse

from audit_app.cli.output import Output


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """No options beyond --db and --json."""


def run_gui(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    # What the first paint needs besides Qt (the audit list's peek: sqlite3, datetime,
    # dataclasses), imported before Qt: once loaded, PySide reads the source of every module
    # imported after it (its `__feature__` check), 23 fewer modules and about 5 ms this way.
    import logging  # noqa: F401  (PySide loads it too)

    import audit_app.services.audit_list_peek  # noqa: F401
    from audit_app.ui.app import run_gui as start_gui  # Qt loads only here

    return int(start_gui(args.db))
