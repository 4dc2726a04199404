"""`audit-app meeting`: add, list, attend, declare and show, in words and as JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_app.services.database import open_database
from audit_app.services.demo import create_demo
from tests.helpers.cli import assert_one_line_error, run_cli, run_json

MEMBER = "Rowan Pennick"


@pytest.fixture
def database(tmp_path: Path) -> str:
    path = tmp_path / "meeting.sqlite3"
    db = open_database(path, create=True)
    try:
        create_demo(db, seed=7, population=200, sample_size=8)
    finally:
        db.close()
    return str(path)


def test_a_meeting_from_the_command_line(capsys: pytest.CaptureFixture[str],
                                         database: str) -> None:
    made = run_json(capsys, "--db", database, "meeting", "add", "--audit", "1",
                    "--date", "2026-11-30", "--chair", "Avery Quillon")
    assert made["cases"] == 8 and made["held_on"] == "2026-11-30"
    meeting = str(made["meeting_id"])
    code, out, _err = run_cli(capsys, "--db", database, "meeting", "attend", "--meeting",
                              meeting, "--member", MEMBER, "--role", "Member", "--agency",
                              "IDVA service")
    assert code == 0 and out.strip() == f"{MEMBER}: present at meeting {meeting}."
    shown = run_json(capsys, "--db", database, "meeting", "show", "--meeting", meeting)
    first = shown["agenda"][0]["reference"]
    code, out, _err = run_cli(capsys, "--db", database, "meeting", "declare", "--meeting",
                              meeting, "--case", first, "--member", MEMBER, "--reason",
                              "Worked with the officer")
    assert code == 0 and "will not score it" in out
    code, out, _err = run_cli(capsys, "--db", database, "meeting", "show", "--meeting", meeting)
    assert code == 0
    assert f"{MEMBER}, case {first}: Worked with the officer" in out
    assert "To discuss" in out and "_" not in out
    listed = run_json(capsys, "--db", database, "meeting", "list", "--audit", "1")
    assert [row["meeting_id"] for row in listed] == [int(meeting)]


def test_bad_input_is_one_plain_line_and_changes_nothing(capsys: pytest.CaptureFixture[str],
                                                         database: str) -> None:
    code, _out, err = run_cli(capsys, "--db", database, "meeting", "add", "--audit", "1",
                              "--date", "30/11/2026")
    assert code == 2
    assert_one_line_error(err, "is not a date")
    code, _out, err = run_cli(capsys, "--db", database, "meeting", "declare", "--meeting", "9",
                              "--case", "X", "--member", MEMBER, "--reason", "r")
    assert code == 2
    assert_one_line_error(err, "No meeting 9")
    assert run_json(capsys, "--db", database, "meeting", "list") == []
