"""Every file holding case data is the user's alone: 0600 files in 0700 folders (POSIX).

The umask is opened to 022 around each test, so a mode comes from the app's own code and
not from the test runner's umask (or an earlier test's `restrict_umask`).
"""

from __future__ import annotations

import os
import stat
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from audit_app.cli import ERROR_LOG_NAME, _write_bug_log
from audit_app.db.engine import make_engine
from audit_app.db.migrate import alembic_config, upgrade_database
from audit_app.io.extract_problem_report import write_problems_csv
from audit_app.io.private_files import private_output
from audit_app.paths import user_data_dir
from audit_app.services import backups
from audit_app.services.database import open_database
from audit_app.services.demo import create_demo
from audit_app.services.export import export_workbook
from audit_app.services.scoresheet import export_scoresheet

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture(autouse=True)
def _open_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_its_wal_and_shm_and_its_new_folders_are_private(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)
    path = tmp_path / "new" / "deeper" / "audit.sqlite3"
    db = open_database(path)
    try:
        create_demo(db, population=30, sample_size=4)
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists(), "WAL mode should keep both beside the database"
        assert {p.name: mode(p) for p in (path, wal, shm)} == {
            path.name: 0o600, wal.name: 0o600, shm.name: 0o600}
    finally:
        db.close()
    assert mode(tmp_path / "new") == mode(tmp_path / "new" / "deeper") == 0o700
    assert mode(tmp_path) == 0o755, "a folder the app did not make keeps its mode"


def test_an_existing_database_left_readable_by_others_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    open_database(path).close()
    os.chmod(path, 0o644)
    db = open_database(path)
    try:
        assert mode(path) == 0o600
    finally:
        db.close()


def test_the_data_folder_and_backups_are_private(tmp_path: Path) -> None:
    os.chmod(user_data_dir(), 0o755)  # as an older version left it
    assert mode(user_data_dir()) == 0o700
    db = open_database(tmp_path / "audit.sqlite3")
    try:
        taken = backups.take_backup(db)
    finally:
        db.close()
    assert mode(taken.path) == 0o600 and mode(taken.path.parent) == 0o700
    os.chmod(taken.path, 0o644)
    assert [b.path for b in backups.list_backups()] == [taken.path]
    assert mode(taken.path) == 0o600, "an old backup is tightened when the app lists it"
    assert sorted(p.name for p in taken.path.parent.iterdir()) == [taken.path.name]


def test_the_copy_taken_before_an_upgrade_is_private(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001_initial")
    with engine.begin() as connection:
        connection.execute(text("SELECT 1"))
    os.chmod(path, 0o644)
    copy = upgrade_database(engine)
    engine.dispose()
    assert copy is not None and mode(copy) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cfa-partial-")]


def test_workbooks_scoresheets_and_problem_reports_are_private(tmp_path: Path) -> None:
    db = open_database(tmp_path / "audit.sqlite3")
    try:
        audit = create_demo(db, population=60, sample_size=4)
        findings = export_workbook(db, audit_id=audit.id, path=tmp_path / "findings.xlsx")
        sheet = export_scoresheet(db, audit_id=audit.id, reviewer="Ann Reviewer",
                                  path=tmp_path / "sheet.xlsx")
    finally:
        db.close()

    class Problem:
        row, column, value, message, severity = 3, "Crime Ref", "=1+1", "not a date", "error"

    report = tmp_path / "problems.csv"
    write_problems_csv([Problem()], report)
    assert {p.name: mode(p) for p in (findings.path, sheet, report)} == {
        "findings.xlsx": 0o600, "sheet.xlsx": 0o600, "problems.csv": 0o600}


def test_the_command_lines_error_log_is_private() -> None:
    try:
        raise RuntimeError("a bug")
    except RuntimeError as exc:
        logged = _write_bug_log(exc, ["stats"])
    assert logged == user_data_dir() / ERROR_LOG_NAME and mode(logged) == 0o600
    os.chmod(logged, 0o644)
    try:
        raise RuntimeError("another")
    except RuntimeError as exc:
        assert _write_bug_log(exc, ["stats"]) == logged
    assert mode(logged) == 0o600, "a log an older version left open is tightened"


@pytest.mark.skipif(sys.platform == "darwin", reason="checked on Linux")
def test_restrict_umask_makes_any_other_file_private(tmp_path: Path) -> None:
    from audit_app.io.private_files import restrict_umask

    restrict_umask()
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    assert mode(tmp_path / "plain.txt") == 0o600 and mode(tmp_path / "folder") == 0o700


class _Stop(Exception):
    """The failure a property test injects part way through a write."""


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.one_of(st.none(), st.binary(max_size=64)), new=st.binary(max_size=4096),
       fail_after=st.one_of(st.none(), st.integers(min_value=0, max_value=4096)))
def test_an_output_is_whole_and_private_or_the_old_file_is_untouched(
        tmp_path: Path, old: bytes | None, new: bytes, fail_after: int | None) -> None:
    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    target = folder / "out.bin"
    if old is not None:
        target.write_bytes(old)
        os.chmod(target, 0o644)
    failing = fail_after is not None and fail_after <= len(new)
    try:
        with private_output(target) as partial, open(partial, "wb") as handle:
            handle.write(new[:fail_after] if failing else new)
            if failing:
                raise _Stop
    except _Stop:
        pass
    if failing:
        assert (target.read_bytes() if target.exists() else None) == old
    else:
        assert target.read_bytes() == new and mode(target) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ([] if old is None and failing
                                                        else ["out.bin"])
    assert list((user_data_dir() / "pending").iterdir()) == []
