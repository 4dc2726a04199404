"""`audit-app gui` (and `audit-app` with no command): open the desktop app."""

from __future__ import annotations

import argparse

from audit_app.cli.output import Output


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """No options beyond --db and --json."""


def run_gui(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    from audit_app.ui.app import run_gui as start_gui  # Qt loads only here

    return int(start_gui(args.db))
