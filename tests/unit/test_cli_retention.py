"""`audit-app retention close | reopen`: a closed audit refuses writes with one plain line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import assert_one_line_error, run_cli, run_json
from tests.helpers.extract_files import write_csv


def test_close_refuses_writes_and_reopen_lets_them_through(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    db = str(tmp_path / "demo.sqlite3")
    audit = str(run_json(capsys, "--db", db, "demo")["audit_id"])
    extract = write_csv(tmp_path / "extract.csv", [["Crime Ref", "HO Outcome"], ["NEW/1", "16"]])

    code, out, err = run_cli(capsys, "--db", db, "retention", "close", "--audit", audit)
    assert code == 0 and err == ""
    assert out.strip() == f"Audit {audit} is closed: it can be read and exported but not changed."
    refused = {
        "so no new sample can be drawn": ("sample", "--audit", audit, "--size", "10"),
        "so its population can no longer be imported": ("import", str(extract), "--audit", audit),
        "so no scoring sheets can be made": ("scoresheet", "export", "--audit", audit,
                                             "--reviewer", "A. Member",
                                             "--out", str(tmp_path / "sheet.xlsx")),
    }
    for words, argv in refused.items():
        code, out, err = run_cli(capsys, "--db", db, *argv)
        assert code == 2 and out == "", argv
        assert_one_line_error(err, "This audit was closed on ", words,
                              "The chair can reopen it under Retention.")
    assert not (tmp_path / "sheet.xlsx").exists()
    assert run_json(capsys, "--db", db, "audit", "list")[0]["status"] == "closed"

    assert run_json(capsys, "--db", db, "retention", "reopen", "--audit", audit) == {
        "audit_id": int(audit), "status": "open"}
    code, out, _ = run_cli(capsys, "--db", db, "retention", "reopen", "--audit", audit)
    assert code == 2
    drawn = run_json(capsys, "--db", db, "sample", "--audit", audit, "--size", "10")
    assert drawn["sample"]["size"] == 10


def test_a_purged_audit_cannot_be_reopened_or_written(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    db = str(tmp_path / "demo.sqlite3")
    audit = str(run_json(capsys, "--db", db, "demo")["audit_id"])
    run_json(capsys, "--db", db, "retention", "close", "--audit", audit)
    run_json(capsys, "--db", db, "retention", "set", "--audit", audit, "--until", "2020-03-31")
    run_json(capsys, "--db", db, "retention", "purge", "--audit", audit)

    code, out, err = run_cli(capsys, "--db", db, "retention", "reopen", "--audit", audit)
    assert code == 2 and out == ""
    assert_one_line_error(err, "This audit's case data was deleted on ", "it cannot be reopened")
    code, _, err = run_cli(capsys, "--db", db, "sample", "--audit", audit, "--size", "10")
    assert code == 2
    assert_one_line_error(err, "deleted on ", "under the retention rule; nothing more can be added")
    code, _, err = run_cli(capsys, "--db", db, "sample", "verify", "--audit", audit)
    assert code == 2
    assert_one_line_error(err, "the draw cannot be re-checked: its cases are gone")
