"""Driving the import wizard's first page: choose a file and wait for its preview."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from audit_app.ui.import_wizard import ImportWizard


def choose_extract(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    """Choose `path` as Browse does and wait until the background read has finished."""
    wizard.file_page.choose(str(path))
    qtbot.waitUntil(lambda: not wizard.file_page.loading, timeout=20_000)
