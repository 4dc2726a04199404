"""`audit-app retention purge` backs up the whole database first, as the app does, says
where, and deletes nothing if the backup cannot be written."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from audit_app.cli import main
from audit_app.paths import user_data_dir
from audit_app.services import backups
from tests.helpers.templates import cli_quietly, copy_sqlite, own_data_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cases_in(path: Path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM case_file").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture(scope="module")
def _due_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once (speed only); each test gets its own copy of the database."""
    folder = tmp_path_factory.mktemp("due-for-purge")
    db = folder / "demo.sqlite3"
    with own_data_dir(folder / "user-data"):
        for argv in (("demo",), ("retention", "close", "--audit", "1"),
                     ("retention", "set", "--audit", "1", "--until", "2020-03-31")):
            cli_quietly("--db", str(db), *argv)
    return db


@pytest.fixture
def due_for_purge(_due_template: Path, tmp_path: Path) -> Path:
    return copy_sqlite(_due_template, tmp_path / "demo.sqlite3")


def test_purge_backs_up_first_and_says_where(capsys: pytest.CaptureFixture[str],
                                             due_for_purge: Path) -> None:
    before = cases_in(due_for_purge)
    code, out, err = run(capsys, "--db", str(due_for_purge), "retention", "purge", "--audit", "1")
    assert code == 0, err
    [taken] = backups.list_backups()
    assert out.splitlines() == [
        f"Audit 1: {before} cases deleted; the aggregate findings are kept.",
        f"The database as it was just before is backed up to {taken.path}; 'audit-app restore' "
        "can bring it back."]
    assert cases_in(taken.path) == before > 0 and cases_in(due_for_purge) == 0
    assert stat.S_IMODE(taken.path.stat().st_mode) == 0o600


def test_purge_json_names_the_backup(capsys: pytest.CaptureFixture[str],
                                     due_for_purge: Path) -> None:
    code, out, err = run(capsys, "--db", str(due_for_purge), "retention", "purge", "--audit", "1",
                         "--json")
    assert code == 0, err
    purged = json.loads(out)
    assert purged["backup"] == str(backups.list_backups()[0].path)
    assert purged["cases_deleted"] > 0


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs is Linux")
def test_purge_is_refused_when_the_backup_cannot_be_written(capsys: pytest.CaptureFixture[str],
                                                            due_for_purge: Path) -> None:
    before = cases_in(due_for_purge)
    folder = user_data_dir() / "backups"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        code, out, err = run(capsys, "--db", str(due_for_purge), "retention", "purge",
                             "--audit", "1")
        assert list(folder.iterdir()) == []
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
    assert code == 2 and out == ""
    assert err.startswith("audit-app: error: Nothing was deleted: the backup taken before a "
                          "purge failed. The disk is full, so the backup was not written")
    assert len(err.splitlines()) == 1
    assert cases_in(due_for_purge) == before
    code, out, _ = run(capsys, "--db", str(due_for_purge), "audit", "list", "--json")
    assert json.loads(out)[0]["status"] == "closed"
