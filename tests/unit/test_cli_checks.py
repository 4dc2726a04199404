"""`audit-app stats` lists the consistency checks for moderation, in text and in JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import run_cli, run_json


def test_stats_lists_checks_in_text_and_json(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    demo_db = str(tmp_path / "demo.sqlite3")
    run_json(capsys, "--db", demo_db, "demo")
    payload = run_json(capsys, "--db", demo_db, "stats", "--audit", "1")
    checks = payload["checks"]
    assert checks, "the demo extract holds an outcome 15 case with the victim withdrawn"
    assert {check["check"] for check in checks} <= {
        "Appropriate, with a key criterion not met",
        "Outcome 15, victim recorded as not supporting", "Outcome 16, victim recorded as supporting"}
    code, text, err = run_cli(capsys, "--db", demo_db, "stats", "--audit", "1")
    assert code == 0 and err == ""
    lines = text.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("Checks for moderation"))
    assert lines[heading].startswith(f"Checks for moderation: {len(checks)} on ")
    for offset, check in enumerate(checks, start=1):
        assert lines[heading + offset] == f"  {check['reference']}: {check['detail']}"
    assert "_" not in "\n".join(lines[heading:heading + len(checks) + 1])

    run_json(capsys, "--db", demo_db, "retention", "close", "--audit", "1")
    run_json(capsys, "--db", demo_db, "retention", "set", "--audit", "1", "--until", "2020-03-31")
    run_json(capsys, "--db", demo_db, "retention", "purge", "--audit", "1")
    assert run_json(capsys, "--db", demo_db, "stats", "--audit", "1")["checks"] == []
    _, after, _ = run_cli(capsys, "--db", demo_db, "stats", "--audit", "1")
    assert "Checks for moderation" not in after
    assert all(check["reference"] not in after for check in checks)
