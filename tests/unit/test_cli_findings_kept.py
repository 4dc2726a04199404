"""`audit-app stats` on a purged audit: the kept figures, and a line saying why only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import run_cli, run_json


def test_stats_of_a_purged_audit_show_the_kept_findings(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    demo_db = str(tmp_path / "demo.sqlite3")
    assert run_json(capsys, "--db", demo_db, "demo")["audit_id"] == 1
    before = run_json(capsys, "--db", demo_db, "stats", "--audit", "1")
    _, text_before, _ = run_cli(capsys, "--db", demo_db, "stats", "--audit", "1")
    run_json(capsys, "--db", demo_db, "retention", "close", "--audit", "1")
    run_json(capsys, "--db", demo_db, "retention", "set", "--audit", "1", "--until",
             "2020-03-31")
    run_json(capsys, "--db", demo_db, "retention", "purge", "--audit", "1")

    after = run_json(capsys, "--db", demo_db, "stats", "--audit", "1")
    assert after["headline"] == before["headline"]
    assert after["criteria"] == before["criteria"]
    assert after["verdicts"] == before["verdicts"] and after["agreement"] == before["agreement"]
    assert after["cases"] == [] and after["learning_points"] == []
    assert after["case_data_deleted"]["retain_until"] == "2020-03-31"

    code, text, err = run_cli(capsys, "--db", demo_db, "stats", "--audit", "1")
    assert code == 0 and err == ""
    lines = text.splitlines()
    assert lines[1].startswith("The case data was deleted on ")
    assert "under the retention rule, which kept it until 31 March 2020." in lines[1]
    assert "These are the findings kept at that time" in lines[1]
    overall = next(line for line in text_before.splitlines() if line.startswith("Overall"))
    assert overall in lines and "no scored answers" not in overall
    # The urgent case's reference went with the case data; the count stays.
    assert "URGENT" not in text and "Urgent safeguarding was flagged on 1 case(s)." in lines
    assert before["criteria"][0]["code"] in text
