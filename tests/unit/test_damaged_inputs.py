"""Damaged inputs on the command line: one plain line, exit 2, nothing written or logged.

Each kind of damage has its own test: a database file that is not one, or is truncated;
a URL with an unknown scheme or a driver the app does not ship; a full disk during an
export (a real tmpfs that fills, and a file-size limit that makes writes fail with
EFBIG); and a read-only command given a database path that does not exist.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit_app.cli import ERROR_LOG_NAME, main
from audit_app.db.migrate import backup_sqlite
from audit_app.paths import user_data_dir
from audit_app.services.database import open_database
from audit_app.services.demo import create_demo

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_plain_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("audit-app: error: ") and "Traceback" not in err
    assert "unexpected error" not in err
    return lines[0]


def nothing_logged() -> bool:
    return not (user_data_dir() / ERROR_LOG_NAME).exists()


def leftovers(folder: Path) -> list[str]:
    """Anything the app's private writes could leave: partial files and scratch folders."""
    return sorted(p.name for p in folder.rglob("*") if ".cfa-partial-" in p.name
                  or p.name.startswith("openpyxl"))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_database(path)
    try:
        create_demo(db, population=2000, sample_size=40)
    finally:
        db.close()
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "db" / "demo.sqlite3"
    backup_sqlite(demo_file, copy)
    return copy


def _not_a_database(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    before = path.read_bytes()
    code, out, err = run(capsys, "--db", str(path), "audit", "list")
    line = one_plain_line(err)
    assert code == 2 and out == ""
    assert "is not a Case File Audit database, or it is damaged" in line
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "nothing beside it"
    assert nothing_logged()


def test_a_text_file_given_as_the_database(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("Spoke to the victim on Tuesday; she lives at 4 Elm Road\n" * 50,
                    encoding="utf-8")
    _not_a_database(capsys, path)
    assert "Elm Road" not in capsys.readouterr().err


def test_a_truncated_database(capsys: pytest.CaptureFixture[str], demo_db: Path,
                              tmp_path: Path) -> None:
    truncated = tmp_path / "cut" / "truncated.sqlite3"
    truncated.parent.mkdir()
    truncated.write_bytes(demo_db.read_bytes()[:4096])
    _not_a_database(capsys, truncated)


def test_a_database_damaged_inside(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    """Its first page is sound, so it opens; damaged pages further in are found on reading."""
    with demo_db.open("r+b") as handle:
        for offset in range(40960, demo_db.stat().st_size, 40960):
            handle.seek(offset)
            handle.write(b"\xff" * 64)
    _not_a_database(capsys, demo_db)


@pytest.mark.parametrize("url", ["foo://x", "mysql://user:s3cret@db.example/audits",
                                 "postgresql+pg8000://user:s3cret@db.example/audits"])
def test_a_url_the_app_cannot_use(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, err = run(capsys, "--db", url, "audit", "list")
    line = one_plain_line(err)
    assert code == 2 and out == ""
    assert "SQLite database file" in line or "postgresql://USER@HOST/NAME" in line
    assert "s3cret" not in line and "db.example" not in line
    assert nothing_logged()


READ_ONLY = [
    ("audit", "list"), ("framework", "list"), ("framework", "show", "da-nfa-review"),
    ("framework", "export", "da-nfa-review", "{out}/fw.yaml"),
    ("sample", "show", "--audit", "1"), ("sample", "verify", "--audit", "1"),
    ("sample", "--audit", "1", "--size", "5"),
    ("stats", "--audit", "1"), ("export", "--audit", "1", "--out", "{out}/f.xlsx"),
    ("scoresheet", "export", "--audit", "1", "--reviewer", "Ann", "--out", "{out}/s.xlsx"),
    ("scoresheet", "import", "{out}/s.xlsx"),
    ("backup",), ("backup", "--list"), ("restore", "{out}/b.sqlite3"),
    ("package", "conflicts", "--audit", "1"),
    ("retention", "close", "--audit", "1"), ("retention", "purge", "--audit", "1"),
]


@pytest.mark.parametrize("argv", READ_ONLY, ids=lambda argv: " ".join(argv[:2]))
def test_a_command_on_a_database_that_does_not_exist_creates_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...]) -> None:
    missing = tmp_path / "mistyped" / "folder" / "audit.sqlite3"
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    data_before = sorted(p.name for p in user_data_dir().rglob("*"))
    code, out, err = run(capsys, "--db", str(missing),
                         *[a.format(out=out_dir) for a in argv])
    line = one_plain_line(err)
    assert code == 2 and out == ""
    assert f"There is no database at {missing}." in line
    assert not (tmp_path / "mistyped").exists()
    assert list(out_dir.iterdir()) == []
    assert sorted(p.name for p in user_data_dir().rglob("*")) == data_before
    assert nothing_logged()


def test_the_commands_that_make_a_database_still_do(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "new" / "audit.sqlite3"
    code, _, err = run(capsys, "--db", str(path), "audit", "create", "--name", "Spring",
                       "--framework", "da-nfa-review")
    assert code == 0, err
    code, out, err = run(capsys, "--db", str(path), "audit", "list")
    assert code == 0 and "Spring" in out


# --- a full disk ---------------------------------------------------------------------

@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                              str(folder)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


FULL_DISK_COMMANDS = {
    "export": ("export", "--audit", "1", "--out", "{out}/findings.xlsx"),
    "scoresheet export": ("scoresheet", "export", "--audit", "1", "--reviewer", "Ann Reviewer",
                          "--out", "{out}/sheet.xlsx"),
}


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs is Linux")
@pytest.mark.parametrize("command", list(FULL_DISK_COMMANDS))
def test_a_full_disk_during_an_export(capsys: pytest.CaptureFixture[str], demo_db: Path,
                                      tmp_path: Path, command: str) -> None:
    with small_disk(tmp_path / "stick", "24k") as stick:
        argv = [a.format(out=stick) for a in FULL_DISK_COMMANDS[command]]
        code, out, err = run(capsys, "--db", str(demo_db), *argv)
        line = one_plain_line(err)
        assert code == 2 and out == ""
        assert "The disk is full, so" in line and "was not written" in line
        assert list(stick.iterdir()) == []
    assert leftovers(user_data_dir()) == [] and leftovers(demo_db.parent) == []
    assert nothing_logged()


LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from audit_app.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.skipif(os.name != "posix", reason="file-size limits are POSIX")
@pytest.mark.parametrize("command", list(FULL_DISK_COMMANDS))
def test_a_file_size_limit_during_an_export_reads_as_a_full_disk(demo_db: Path, tmp_path: Path,
                                                                 command: str) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    data_dir = Path(os.environ["AUDIT_APP_DATA_DIR"])
    argv = [a.format(out=out_dir) for a in FULL_DISK_COMMANDS[command]]
    done = subprocess.run([sys.executable, "-c", LIMITED, str(48 * 1024), "--db", str(demo_db),
                           *argv], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    line = one_plain_line(done.stderr)
    assert done.returncode == 2 and done.stdout == ""
    assert "The disk is full, so" in line
    assert list(out_dir.iterdir()) == []
    assert leftovers(data_dir) == [] and leftovers(demo_db.parent) == []
    assert not (data_dir / ERROR_LOG_NAME).exists()


def test_a_database_error_never_quotes_what_the_driver_said(tmp_path: Path) -> None:
    """The driver's words can hold the statement's values (names, notes): never passed on."""
    from sqlalchemy import text

    from audit_app.services.database import StorageError

    db = open_database(tmp_path / "audit.sqlite3")
    try:
        with pytest.raises(StorageError) as raised, db.reading() as session:
            session.execute(text('SELECT * FROM "Jane Doe, 4 Elm Road"'))
    finally:
        db.close()
    assert "Jane Doe" not in str(raised.value) and "Elm Road" not in str(raised.value)
    assert str(raised.value).startswith("The database reported a problem and nothing was changed")
