"""An export that is killed, cancelled or fails leaves nothing: no output, no partial file,
no scratch file with case data in the shared temp folder or anywhere else."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit_app.core.errors import Cancelled
from audit_app.db.migrate import backup_sqlite
from audit_app.io.workbook_tables import Column, TableSheet, WorkbookProperties, write_tables
from audit_app.paths import user_data_dir
from audit_app.services.database import open_database
from audit_app.services.demo import create_demo
from audit_app.services.export import export_workbook

ROOT = Path(__file__).resolve().parents[2]
PARTIAL = ".cfa-partial-"


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if PARTIAL in p.name or p.name.startswith("openpyxl"))


@pytest.fixture
def shared_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temp folder, as this process and its children see it: watched."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Big enough that writing its workbook takes a few seconds."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    db = open_database(path)
    try:
        create_demo(db, population=6000, sample_size=1500)
    finally:
        db.close()
    return path


@pytest.fixture
def big_db(big_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "db" / "big.sqlite3"
    backup_sqlite(big_file, copy)
    return copy


def _streaming(data_dir: Path) -> bool:
    """A sheet is being streamed into a scratch folder: the export is under way."""
    return any(p.is_file() for folder in data_dir.glob(f"{PARTIAL}*-scratch")
               for p in folder.iterdir())


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_a_killed_export_leaves_nothing_after_the_next_start(big_db: Path, tmp_path: Path,
                                                             shared_temp: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "findings.xlsx"
    data_dir = user_data_dir()
    child = subprocess.Popen(
        [sys.executable, "-m", "audit_app", "--db", str(big_db), "export", "--audit", "1",
         "--out", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while not _streaming(data_dir):
            assert child.poll() is None, "the export ended before it could be killed"
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        assert child.stderr is not None
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert not out.exists()
    assert leftovers(data_dir), "the kill should have left a scratch folder to clean"

    # The next start of any command removes what the killed run left.
    done = subprocess.run([sys.executable, "-m", "audit_app", "--db", str(big_db), "audit",
                           "list"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert leftovers(data_dir) == [] and leftovers(out_dir) == []
    assert list(out_dir.iterdir()) == []
    assert list(shared_temp.iterdir()) == []
    assert list((data_dir / "pending").iterdir()) == []


def test_a_cancelled_export_leaves_nothing(big_db: Path, tmp_path: Path,
                                          shared_temp: Path) -> None:
    out = tmp_path / "out.xlsx"
    asked: list[int] = []

    def cancel_once_streaming() -> bool:
        asked.append(1)
        return _streaming(user_data_dir())

    db = open_database(big_db)
    try:
        with pytest.raises(Cancelled):
            export_workbook(db, audit_id=1, path=out, cancelled=cancel_once_streaming)
    finally:
        db.close()
    assert asked
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", "system-temp"]
    assert leftovers(user_data_dir()) == [] and leftovers(tmp_path) == []
    assert list(shared_temp.iterdir()) == []


def test_a_failing_export_streams_privately_and_leaves_nothing(tmp_path: Path,
                                                               shared_temp: Path) -> None:
    seen_mid_write: list[tuple[int, int]] = []

    def rows() -> Iterator[list[object]]:
        for index in range(5000):
            if index == 4000:
                scratch = [p for p in user_data_dir().rglob("openpyxl.*") if p.is_file()]
                assert scratch, "the streamed sheet should be in the private scratch folder"
                seen_mid_write.append((stat.S_IMODE(scratch[0].stat().st_mode),
                                       stat.S_IMODE(scratch[0].parent.stat().st_mode)))
                assert list(shared_temp.iterdir()) == []
                raise RuntimeError("the data source failed")
            yield [f"Case {index}", "Spoke to the victim at home"]

    sheet = TableSheet("Cases", [Column("Reference"), Column("Note")], rows(), 5000)
    out = tmp_path / "out" / "cases.xlsx"
    out.parent.mkdir()
    with pytest.raises(RuntimeError, match="data source failed"):
        write_tables(out, [sheet], WorkbookProperties(title="Cases"))
    if os.name == "posix":
        assert seen_mid_write == [(0o600, 0o700)]
    assert list(out.parent.iterdir()) == []
    assert leftovers(user_data_dir()) == []
    assert list(shared_temp.iterdir()) == []


def test_a_failed_export_keeps_the_file_it_would_have_replaced(big_db: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "findings.xlsx"
    out.write_bytes(b"last month's workbook")
    db = open_database(big_db)
    try:
        with pytest.raises(Cancelled):
            export_workbook(db, audit_id=1, path=out, cancelled=lambda: True)
    finally:
        db.close()
    assert out.read_bytes() == b"last month's workbook"
    assert leftovers(tmp_path) == []
