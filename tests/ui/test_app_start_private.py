"""Starting the app: a killed run's half-written files go, new files are private, and a
database file that is not one is explained in a plain message."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from audit_app.io.private_files import PARTIAL_MARK, PENDING_DIR_NAME
from audit_app.paths import user_data_dir
from audit_app.ui.app import open_main_window, run_gui


@pytest.fixture(autouse=True)
def _kept_umask_and_hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_app_cleans_what_a_killed_run_left(qtbot: QtBot, tmp_path: Path) -> None:
    partial = tmp_path / f"{PARTIAL_MARK}0123456789ab-findings.xlsx"
    partial.write_bytes(b"half a workbook of case data")
    pending = user_data_dir() / PENDING_DIR_NAME
    pending.mkdir()
    (pending / f"{_dead_pid()}-note").write_text(str(partial), encoding="utf-8")
    window = open_main_window(str(tmp_path / "audit.sqlite3"))
    assert window is not None
    qtbot.addWidget(window)
    assert not partial.exists() and list(pending.iterdir()) == []
    (tmp_path / "made-after-start.txt").write_text("x", encoding="utf-8")
    if os.name == "posix":
        assert (tmp_path / "made-after-start.txt").stat().st_mode & 0o077 == 0
    window.close()
    window.db.close()


def test_the_app_explains_a_file_that_is_not_a_database(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _p, title, text: shown.append(f"{title}: {text}"))
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("Spoke to the victim at 4 Elm Road\n", encoding="utf-8")
    assert run_gui(str(notes)) == 2
    assert len(shown) == 1 and "is not a Case File Audit database, or it is damaged" in shown[0]
    assert "Elm Road" not in shown[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]
