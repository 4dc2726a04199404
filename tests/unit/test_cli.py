"""`audit-app` on the demo audit: every command's output, exit codes and error lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from audit_app import __version__
from audit_app.cli import audit as audit_command
from audit_app.cli import gui as gui_command
from audit_app.cli import main
from audit_app.db.migrate import backup_sqlite
from audit_app.services.database import open_database
from tests.helpers.cli import assert_one_line_error, run_cli, run_json
from tests.helpers.postgres import PostgresCluster
from tests.helpers.templates import own_data_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the demo audit, made once through the CLI and copied per test."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite3"
    with own_data_dir(folder / "data"):  # never the real user's data folder
        assert main(["--db", str(path), "demo"]) == 0
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> str:
    copy = tmp_path / "demo.sqlite3"
    backup_sqlite(demo_file, copy)  # a consistent copy, whatever is still in the WAL
    return str(copy)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0 and out.strip() == f"audit-app {__version__}"


def test_demo_and_audit_list(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    audits = run_json(capsys, "--db", demo_db, "audit", "list")
    assert len(audits) == 1
    assert audits[0]["case_count"] == 2000 and audits[0]["sample_size"] == 40
    assert audits[0]["reviews_complete"] > 0
    code, out, _ = run_cli(capsys, "--db", demo_db, "audit", "list")
    assert code == 0 and "Demo: DA NFA review" in out and "2000" in out
    again = run_json(capsys, "--db", demo_db, "demo", "--if-empty")
    assert again == {"created": False, "audit_id": None}
    assert len(run_json(capsys, "--db", demo_db, "audit", "list")) == 1


def test_demo_prints_the_new_audit_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    database = str(tmp_path / "fresh.sqlite3")
    code, out, _ = run_cli(capsys, "--db", database, "demo", "--if-empty")
    assert code == 0 and out.startswith("Created demo audit 1.")


def test_global_options_before_or_after_the_command(capsys: pytest.CaptureFixture[str],
                                                    demo_db: str) -> None:
    before = run_json(capsys, "--db", demo_db, "audit", "list")
    code, out, _ = run_cli(capsys, "audit", "list", "--db", demo_db, "--json")
    assert code == 0 and json.loads(out) == before
    code, out, _ = run_cli(capsys, "--json", "audit", "--db", demo_db, "list")
    assert code == 0 and json.loads(out) == before


def test_database_from_environment(capsys: pytest.CaptureFixture[str], demo_db: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_APP_DB", demo_db)
    assert run_json(capsys, "audit", "list")[0]["case_count"] == 2000


def test_default_database_is_in_the_data_folder(capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "audit", "create", "--name", "Default place", "--framework", "da-nfa-review")
    assert (Path(os.environ["AUDIT_APP_DATA_DIR"]) / "audit.sqlite3").exists()


def test_audit_create(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    database = str(tmp_path / "a.sqlite3")
    created = run_json(capsys, "--db", database, "audit", "create", "--name", "Q3 DA NFA",
                       "--framework", "da-nfa-review@1")
    assert created["name"] == "Q3 DA NFA" and created["framework_version"] == 1
    code, out, _ = run_cli(capsys, "--db", database, "audit", "create", "--name", "Other",
                           "--framework", "evidence-led-review")
    assert code == 0 and out.startswith("Created audit 2")
    assert [a["name"] for a in run_json(capsys, "--db", database, "audit", "list")] == \
        ["Other", "Q3 DA NFA"]


def test_unknown_framework_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "--db", str(tmp_path / "a.sqlite3"), "audit", "create",
                             "--name", "X", "--framework", "no-such-framework")
    assert code == 2 and out == ""
    assert_one_line_error(err, "no-such-framework", "da-nfa-review")


def test_framework_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    database = str(tmp_path / "f.sqlite3")
    open_database(database).close()  # the read commands below need a database to read
    listed = run_json(capsys, "--db", database, "framework", "list")
    assert {f["key"] for f in listed} >= {"da-nfa-review", "evidence-led-review"}
    code, out, _ = run_cli(capsys, "--db", database, "framework", "show", "da-nfa-review")
    assert code == 0 and "Domestic abuse NFA decision review" in out
    shown = run_json(capsys, "--db", database, "framework", "show", "da-nfa-review")
    first = shown["sections"][0]["criteria"][0]
    assert f"{first['code']}" in out and first["question"] in out
    exported = tmp_path / "framework.yaml"
    code, out, _ = run_cli(capsys, "--db", database, "framework", "export", "da-nfa-review",
                           str(exported))
    assert code == 0 and str(exported) in out
    definition = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert definition == shown
    definition["version"] = 4
    definition["title"] = "Local variant"
    exported.write_text(yaml.safe_dump(definition), encoding="utf-8")
    imported = run_json(capsys, "--db", database, "framework", "import", str(exported))
    assert imported["key"] == "da-nfa-review" and imported["version"] == 4
    versions = [f["version"] for f in run_json(capsys, "--db", database, "framework", "list")
                if f["key"] == "da-nfa-review"]
    assert versions == [1, 2, 3, 4]


def test_framework_import_of_a_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Not A Key\nversion: 1\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--db", str(tmp_path / "f.sqlite3"), "framework", "import",
                           str(bad))
    assert code == 2
    assert_one_line_error(err, "Not A Key")


def test_sample_show_on_the_demo(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    shown = run_json(capsys, "--db", demo_db, "sample", "show", "--audit", "1")
    assert shown["sample"]["size"] == 40 and shown["sample"]["seed"] == 2026
    assert len(shown["cases"]) == 40
    code, out, _ = run_cli(capsys, "--db", demo_db, "sample", "show", "--audit", "1")
    assert code == 0
    assert "Seed: 2026" in out and shown["sample"]["fingerprint"] in out
    assert shown["cases"][0]["reference"] in out


def test_sample_draw_is_reproducible(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    args = ("--db", demo_db, "sample", "--audit", "1", "--size", "12", "--by", "area",
            "--seed", "77", "--where", "outcome_code == 16")
    first = run_json(capsys, *args)
    assert first["sample"]["method"] == "stratified"
    assert first["sample"]["strata_fields"] == ["area"]
    assert len(first["cases"]) == 12
    second = run_json(capsys, *args)
    assert [c["reference"] for c in second["cases"]] == [c["reference"] for c in first["cases"]]
    code, out, _ = run_cli(capsys, "--db", demo_db, "sample", "--audit", "1", "--size", "5",
                           "--seed", "3")
    assert code == 0 and "Seed: 3" in out and "Sample of 5" in out


def test_sample_errors(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    code, _, err = run_cli(capsys, "--db", demo_db, "sample", "--audit", "1")
    assert code == 2
    assert_one_line_error(err, "--size")
    code, _, err = run_cli(capsys, "--db", demo_db, "sample", "--audit", "99", "--size", "3")
    assert code == 2
    assert_one_line_error(err, "99")
    code, _, err = run_cli(capsys, "--db", demo_db, "sample", "--audit", "1", "--size", "3",
                           "--by", "shoe_size")
    assert code == 2
    assert_one_line_error(err, "shoe_size")
    code, _, err = run_cli(capsys, "--db", demo_db, "sample", "--audit", "1", "--size", "3",
                           "--where", "outcome_code ==")
    assert code == 2 and len(err.splitlines()) == 1


def test_stats_on_the_demo(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    findings = run_json(capsys, "--db", demo_db, "stats", "--audit", "1")
    assert findings["headline"]["cases_sampled"] == 40
    assert findings["headline"]["urgent_safeguarding"] == 1
    assert len(findings["criteria"]) == 55  # the demo is scored on version 3
    code, out, _ = run_cli(capsys, "--db", demo_db, "stats", "--audit", "1")
    assert code == 0
    assert "Overall compliance" in out and "URGENT" in out
    assert findings["criteria"][0]["code"] in out
    # The overall rate is case-level, with its bounds if awaiting answers were settled.
    overall = findings["headline"]["overall"]
    assert overall["interval_method"] == "case-clustered"
    assert overall["cases_scored"] == findings["headline"]["cases_reviewed"]
    assert overall["design_effect"] > 2
    assert overall["if_settled_low"] <= overall["compliance"] <= overall["if_settled_high"]
    line = next(text for text in out.splitlines() if text.startswith("Overall compliance"))
    assert (f"({overall['ci_low']:.0%}–{overall['ci_high']:.0%}), "
            f"{overall['cases_scored']} cases scored") in line
    assert "design effect" in line
    assert "settled either way" in out and "By section and group" in out
    assert all(row["cases_scored"] is not None for row in findings["breakdowns"])


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "no-such-command")
    assert code == 2 and "invalid choice" in err
    code, _, err = run_cli(capsys, "audit", "create", "--name", "X")
    assert code == 2 and "--framework" in err
    code, _, err = run_cli(capsys, "stats", "--audit", "one")
    assert code == 2 and "invalid int value" in err


def test_a_bug_is_logged_not_shown(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> int:
        raise RuntimeError("something internal went wrong")

    monkeypatch.setattr(audit_command, "run_audit", broken)
    code, out, err = run_cli(capsys, "--db", "postgresql://panel:hunter2@server/audits",
                             "audit", "list")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "RuntimeError" in lines[0]
    log_path = Path(lines[0].split("written to ")[1])
    assert log_path == Path(os.environ["AUDIT_APP_DATA_DIR"]) / "case-file-audit-errors.log"
    logged = log_path.read_text(encoding="utf-8")
    assert "Traceback" in logged and "something internal went wrong" in logged
    assert "postgresql://panel:***@server/audits" in logged and "hunter2" not in logged


@pytest.mark.postgres
def test_postgres_url(capsys: pytest.CaptureFixture[str], postgres_cluster: PostgresCluster) -> None:
    url = postgres_cluster.new_database()
    created = run_json(capsys, "--db", url, "audit", "create", "--name", "Shared server",
                       "--framework", "da-nfa-review")
    listed = run_json(capsys, "--db", url, "audit", "list")
    assert [a["id"] for a in listed] == [created["id"]]
    assert listed[0]["name"] == "Shared server"


@pytest.mark.postgres
def test_demo_on_postgres(capsys: pytest.CaptureFixture[str],
                          postgres_cluster: PostgresCluster) -> None:
    url = postgres_cluster.new_database()
    created = run_json(capsys, "--db", url, "demo")
    findings = run_json(capsys, "--db", url, "stats", "--audit", str(created["audit_id"]))
    assert findings["headline"]["cases_sampled"] == 40


# --- as a separate program ---------------------------------------------------------------

def _program(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audit_app", *argv], capture_output=True,
                          text=True, cwd=ROOT, env=os.environ.copy(), timeout=300)


def test_program_version_and_json() -> None:
    done = _program("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"audit-app {__version__}"


def test_program_commands(demo_db: str) -> None:
    done = _program("--db", demo_db, "audit", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["case_count"] == 2000
    done = _program("--db", demo_db, "stats", "--audit", "5")
    assert done.returncode == 2 and done.stdout == ""
    assert_one_line_error(done.stderr, "No audit with id 5")
    done = _program("--db", demo_db, "sample", "--size", "nine")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_program_refuses_a_folder_as_database(tmp_path: Path) -> None:
    done = _program("--db", str(tmp_path), "audit", "list")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "folder")


def test_sample_verify_and_replace(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    verified = run_json(capsys, "--db", demo_db, "sample", "verify", "--audit", "1")
    assert verified["ok"] is True and "Verified" in verified["messages"][0]
    shown = run_json(capsys, "--db", demo_db, "sample", "show", "--audit", "1")
    first = shown["cases"][0]["reference"]
    replaced = run_json(capsys, "--db", demo_db, "sample", "replace", "--audit", "1",
                        "--reference", first, "--reason", "File could not be found")
    assert replaced["replaced"] == first and replaced["replacement"] not in (None, first)
    code, out, _ = run_cli(capsys, "--db", demo_db, "sample", "show", "--audit", "1")
    assert code == 0 and "File could not be found" in out
    code, out, _ = run_cli(capsys, "--db", demo_db, "sample", "verify", "--audit", "1")
    assert code == 0 and "Verified" in out
    code, _, err = run_cli(capsys, "--db", demo_db, "sample", "replace", "--audit", "1",
                           "--reference", "NOT/THERE", "--reason", "x")
    assert code == 2
    assert_one_line_error(err, "NOT/THERE")


def test_no_command_opens_the_desktop_app(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str | None] = []

    def fake_gui(args: Any, *_: object) -> int:
        opened.append(args.db)
        return 0

    monkeypatch.setattr(gui_command, "run_gui", fake_gui)
    assert main([]) == 0
    assert main(["--db", "panel.sqlite3"]) == 0
    assert main(["gui", "--db", "other.sqlite3"]) == 0
    assert opened == [None, "panel.sqlite3", "other.sqlite3"]


def test_tables_align_numbers_right() -> None:
    from audit_app.cli.output import format_table

    table = format_table(("Name", "Cases"), [("North", 7), ("South BCU", 120)])
    assert table.splitlines() == ["Name       Cases", "---------  -----",
                                  "North          7", "South BCU    120"]
