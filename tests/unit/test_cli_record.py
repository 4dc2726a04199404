"""`audit-app action|escalation|request|theme`: the panel's record from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import assert_one_line_error, run_cli, run_json
from tests.helpers.templates import cli_quietly, copy_sqlite, own_data_dir
from tests.helpers.visible_text import Text, internal_names


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Built once (speed only); each test gets its own copy of the database."""
    folder = tmp_path_factory.mktemp("record-demo")
    db = str(folder / "audit.sqlite3")
    with own_data_dir(folder / "user-data"):
        audit = str(json.loads(cli_quietly("demo", "--db", db, "--json"))["audit_id"])
        shown = json.loads(cli_quietly("stats", "--audit", audit, "--db", db, "--json"))
    return Path(db), audit, shown["cases"][0]["reference"]


@pytest.fixture
def demo(_demo_template: tuple[Path, str, str], tmp_path: Path) -> tuple[str, str, str]:
    template, audit, reference = _demo_template
    return str(copy_sqlite(template, tmp_path / "audit.sqlite3")), audit, reference


def test_actions_register_from_the_command_line(capsys: pytest.CaptureFixture[str],
                                                demo: tuple[str, str, str]) -> None:
    db, audit, _reference = demo
    added = run_json(capsys, "action", "add", "--db", db, "--audit", audit, "--text",
                     "Brief supervisors", "--agency", "Police", "--owner", "DI Jones",
                     "--due", "2020-01-31", "--theme", "supervision-of-nfa")
    number = str(added["action_id"])
    assert run_cli(capsys, "action", "update", "--db", db, "--id", number, "--response",
                   "Briefing booked", "--response-date", "2020-02-03")[0] == 0
    [row] = run_json(capsys, "action", "list", "--db", db, "--audit", audit)
    assert (row["agency"], row["response"], row["response_date"]) == (
        "Police", "Briefing booked", "2020-02-03")
    assert row["overdue"] is True and row["theme"] == "supervision-of-nfa"
    code, out, _err = run_cli(capsys, "action", "list", "--db", db, "--audit", audit)
    assert code == 0 and "Open (overdue)" in out and "Supervision of NFA decisions" in out
    assert "1 action, 1 overdue." in out

    for argv, fragment in ((["action", "add", "--audit", audit, "--text", "x", "--due",
                             "31/01/2027"], "not a date"),
                           (["action", "add", "--audit", audit, "--text", "x", "--theme",
                             "astrology"], "not a theme"),
                           (["action", "update", "--id", "999", "--owner", "x"], "999")):
        code, _out, err = run_cli(capsys, *argv, "--db", db)
        assert code == 2
        assert_one_line_error(err, fragment)
    assert len(run_json(capsys, "action", "list", "--db", db, "--audit", audit)) == 1


def test_action_status_is_given_in_words(capsys: pytest.CaptureFixture[str],
                                         demo: tuple[str, str, str]) -> None:
    db, audit, _reference = demo
    number = str(run_json(capsys, "action", "add", "--db", db, "--audit", audit, "--text",
                          "Brief supervisors")["action_id"])
    code, out, _err = run_cli(capsys, "action", "update", "--help")
    assert code == 0 and "in-progress" in out and "in_progress" not in out
    assert run_cli(capsys, "action", "update", "--db", db, "--id", number, "--status",
                   "in-progress")[0] == 0
    code, out, _err = run_cli(capsys, "action", "list", "--db", db, "--audit", audit)
    assert code == 0 and "In progress" in out
    code, _out, err = run_cli(capsys, "action", "update", "--db", db, "--id", number,
                              "--status", "in_progress")
    assert code == 2 and "invalid choice" in err


def test_escalations_requests_and_themes(capsys: pytest.CaptureFixture[str],
                                         demo: tuple[str, str, str]) -> None:
    db, audit, reference = demo
    first = run_json(capsys, "escalation", "add", "--db", db, "--audit", audit, "--case",
                     reference, "--reason", "Children not referred", "--to-role",
                     "Duty inspector", "--to-agency", "Police", "--sent", "2020-01-01")
    second = run_json(capsys, "escalation", "add", "--db", db, "--audit", audit, "--case",
                      reference, "--reason", "Risk not reassessed")
    run_json(capsys, "escalation", "respond", "--db", db, "--id",
             str(second["escalation_id"]), "--response", "Reassessed")
    run_json(capsys, "escalation", "close", "--db", db, "--id", str(second["escalation_id"]))
    listed = run_json(capsys, "escalation", "list", "--db", db, "--audit", audit)
    assert [e["escalation_id"] for e in listed] == [first["escalation_id"],
                                                     second["escalation_id"]]
    assert listed[0]["overdue"] and not listed[1]["open"]
    code, _out, err = run_cli(capsys, "escalation", "add", "--db", db, "--audit", audit,
                              "--case", reference, "--reason", " ")
    assert code == 2
    assert_one_line_error(err, "reason")

    request = run_json(capsys, "request", "add", "--db", db, "--audit", audit, "--case",
                       reference, "--question", "Was MARAC told?", "--role", "Coordinator")
    later = run_json(capsys, "audit", "create", "--db", db, "--name", "Next quarter",
                     "--framework", "da-nfa-review")
    carried = run_json(capsys, "request", "list", "--db", db, "--audit", str(later["id"]))
    assert [r["request_id"] for r in carried["carried"]] == [request["request_id"]]
    run_json(capsys, "request", "settle", "--db", db, "--id", str(request["request_id"]),
             "--answer", "Yes")
    assert run_json(capsys, "request", "list", "--db", db,
                    "--audit", str(later["id"]))["carried"] == []

    themes = run_json(capsys, "theme", "list")
    assert len(themes) >= 10
    counts = run_json(capsys, "theme", "counts", "--db", db, "--audit", audit)
    assert {c["theme_key"] for c in counts["counts"]} >= {"risk-assessment"}

    seen = []
    for argv in (["action", "list", "--audit", audit], ["escalation", "list", "--audit", audit],
                 ["request", "list", "--audit", str(later["id"])], ["theme", "list"],
                 ["theme", "counts", "--audit", audit]):
        _code, out, err = run_cli(capsys, *argv, "--db", db)
        seen += [Text(" ".join(argv[:2]), line) for line in (out + err).splitlines()]
    assert internal_names(seen) == []
