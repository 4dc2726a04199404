"""The command line's human output names no internal identifier and no OS account.

The main commands run on a demo database; what they print (stdout and stderr) is checked
as the app's screens are: no snake_case identifiers, no login name. Changes are recorded
as the person named with --as, else $AUDIT_APP_USER, else "Command line".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audit_app.services import change_log
from audit_app.services.acting import COMMAND_LINE
from audit_app.services.database import open_database
from tests.helpers.cli import run_cli, run_json
from tests.helpers.conflicts import PASSPHRASE, make_conflicts
from tests.helpers.extract_workbook import write_extract
from tests.helpers.visible_text import Text, internal_names, os_account_names

ACCOUNT = "quillfeatherz"  # a login name nothing else could print


@pytest.fixture
def accounts(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    names = os_account_names() | {ACCOUNT}
    for key in ("USER", "LOGNAME", "USERNAME"):
        monkeypatch.setenv(key, ACCOUNT)
    monkeypatch.delenv("AUDIT_APP_USER", raising=False)
    monkeypatch.setenv("AUDIT_APP_PASSPHRASE", PASSPHRASE)
    return names


def test_human_output_reads_in_plain_words(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                           accounts: set[str]) -> None:
    db = str(tmp_path / "audit.sqlite3")
    assert run_cli(capsys, "demo", "--db", db)[0] == 0
    demo = run_json(capsys, "audit", "list", "--db", db)[0]["id"]
    created = run_json(capsys, "audit", "create", "--db", db, "--name", "Second round",
                       "--framework", "da-nfa-review")["id"]
    database = open_database(db)
    try:
        make_conflicts(database, demo, "Rowan Pennick", tmp_path)
    finally:
        database.close()
    extract = write_extract(tmp_path / "extract.xlsx", 80)
    until = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    commands = [
        ["audit", "list"], ["audit", "thresholds", str(demo)],
        ["audit", "thresholds", str(demo), "--green", "85", "--amber", "70"],
        ["framework", "list"], ["framework", "show", "da-nfa-review"],
        ["framework", "diff", "da-nfa-review@1", "da-nfa-review@3"],
        ["import", str(extract), "--audit", str(created)],
        ["sample", "--audit", str(created), "--size", "12", "--method", "stratified",
         "--by", "risk_level,outcome_code", "--where", "outcome_code in (14, 15, 16)"],
        ["sample", "show", "--audit", str(created)], ["sample", "verify", "--audit", str(created)],
        ["sample", "show", "--audit", str(demo)],
        ["stats", "--audit", str(demo)], ["stats", "--audit", str(demo), "--by-outcome"],
        ["stats", "--audit", str(demo), "--compare-with", str(created)],
        ["scoresheet", "export", "--audit", str(demo), "--reviewer", "Avery Quillon",
         "--out", str(tmp_path / "sheet.xlsx")],
        ["export", "--audit", str(demo), "--out", str(tmp_path / "internal.xlsx")],
        ["package", "passphrase", "--audit", str(demo)],
        ["package", "export", "--audit", str(demo), "--reviewer", "Avery Quillon",
         "--out", str(tmp_path / "member.cfapkg")],
        ["package", "conflicts", "--audit", str(demo)],
        ["retention", "set", "--audit", str(created), "--until", until],
        ["retention", "close", "--audit", str(created)],
        ["retention", "reopen", "--audit", str(created)],
        ["backup", "--keep", "3"], ["backup", "--list"],
        ["sample", "show", "--audit", "999"],  # a plain error line is checked too
    ]
    seen: list[Text] = []
    for command in commands:
        _code, out, err = run_cli(capsys, *command, "--db", db)
        seen += [Text(" ".join(command[:2]), line) for line in (out + err).splitlines()]
    problems = internal_names(seen, accounts)
    assert problems == [], "\n".join(problems)
    conflicts = "\n".join(text.text for text in seen if text.where == "package conflicts")
    assert "Partly met – from the chair" in conflicts and "Learning points" in conflicts


def test_changes_are_recorded_as_the_person_named(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path, accounts: set[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "audit.sqlite3")
    assert run_cli(capsys, "--as", "Dana  Chair", "demo", "--db", db)[0] == 0
    audit = str(run_json(capsys, "audit", "list", "--db", db)[0]["id"])
    assert run_cli(capsys, "audit", "thresholds", audit, "--green", "85", "--db", db)[0] == 0
    monkeypatch.setenv("AUDIT_APP_USER", "Sam Secretary")
    assert run_cli(capsys, "audit", "thresholds", audit, "--green", "80", "--db", db)[0] == 0
    assert run_cli(capsys, "audit", "thresholds", audit, "--as", "Robin Vice-Chair",
                   "--green", "75", "--amber", "60", "--db", db)[0] == 0
    _code, shown, _err = run_cli(capsys, "sample", "show", "--audit", audit, "--db", db)
    assert "Drawn by Dana Chair" in shown

    database = open_database(db)
    try:
        actors = [row.actor for row in change_log.list_changes(database, audit_id=int(audit))
                  if row.field == "thresholds"]
    finally:
        database.close()
    assert sorted(actors) == sorted([COMMAND_LINE, "Sam Secretary", "Robin Vice-Chair"])
