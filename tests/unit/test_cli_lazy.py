"""The command line imports only what the command it runs needs.

`--version` and `--help` import no command module and nothing heavy (no SQLAlchemy, no
Alembic, no services); `audit-app COMMAND --help` imports that command's module alone.
Each check runs in a fresh interpreter, since this test process has imported everything.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app import __version__
from audit_app.cli import COMMANDS, build_parser, command_named, main

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "audit_app.services", "audit_app.db", "openpyxl", "PySide6")
LIGHT_CLI_MODULES = {"audit_app.cli", "audit_app.cli.common", "audit_app.cli.output"}

# Runs each argv through main() and reports, per argv, the exit code, the heavy packages
# loaded and the command modules imported by it (forgotten afterwards, so that each run
# starts with none).
PROBE = """
import contextlib, io, json, sys
from audit_app.cli import main
HEAVY = {heavy!r}
LIGHT = {light!r}
report = []
for argv in {runs!r}:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    modules = [m for m in sys.modules if m.startswith("audit_app.cli.") and m not in LIGHT]
    heavy = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    report.append({{"argv": argv, "code": code, "heavy": heavy, "modules": sorted(modules)}})
    for name in modules:
        del sys.modules[name]
print(json.dumps(report))
"""


def _probe(runs: list[list[str]]) -> list[dict[str, object]]:
    script = PROBE.format(heavy=HEAVY, light=sorted(LIGHT_CLI_MODULES), runs=runs)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    report: list[dict[str, object]] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_version_and_help_import_nothing_heavy() -> None:
    version, help_, usage_error = _probe([["--version"], ["--help"], ["no-such-command"]])
    assert version == {"argv": ["--version"], "code": 0, "heavy": [], "modules": []}
    assert help_ == {"argv": ["--help"], "code": 0, "heavy": [], "modules": []}
    assert usage_error == {"argv": ["no-such-command"], "code": 2, "heavy": [], "modules": []}


def test_a_commands_help_imports_that_command_alone() -> None:
    report = _probe([[name, "--help"] for name in COMMANDS])
    for name, run in zip(COMMANDS, report, strict=True):
        assert run["code"] == 0 and run["heavy"] == [], run
        assert run["modules"] == [f"audit_app.cli.{COMMANDS[name].module}"], run


def test_every_command_module_is_where_its_name_says() -> None:
    modules = {path.stem for path in (ROOT / "audit_app" / "cli").glob("*.py")}
    for name, entry in COMMANDS.items():
        assert entry.module in modules
        assert entry.module == name or (name, entry.module) == ("import", "import_extract")


def test_help_lists_every_command_with_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per command, however long its help
    shown = io.StringIO()
    with redirect_stdout(shown):
        assert main(["--help"]) == 0
    listed = {line.split(maxsplit=1)[0]: line.split(maxsplit=1)[1]
              for line in shown.getvalue().splitlines()
              if line.startswith("    ") and len(line.split(maxsplit=1)) == 2}
    assert listed == {name: entry.help for name, entry in COMMANDS.items()}


COMMAND_LINES = (["audit", "list"], ["stats", "--audit", "1"], ["gui"], ["backup", "--list"],
                 ["import", "x.csv", "--audit", "1"], ["framework", "show", "audit"],
                 ["retention", "close", "--audit", "2"])
DB_VALUES = st.sampled_from(["panel.sqlite3", "audit", "stats", "import", "gui", "x y"])
LEADING_OPTION = st.one_of(
    st.tuples(st.sampled_from(["--db", "--d"]), DB_VALUES).map(list),
    DB_VALUES.map(lambda value: [f"--db={value}"]),
    st.sampled_from([["--json"], ["--js"]]),
)


@functools.cache
def full_parser() -> argparse.ArgumentParser:
    """Built once for the property's examples (speed only): parsing leaves it as it was."""
    return build_parser()


@settings(max_examples=200, deadline=None)
@given(leading=st.lists(LEADING_OPTION, max_size=3), line=st.sampled_from(COMMAND_LINES),
       trailing=st.sampled_from([[], ["--json"], ["--db", "audit"]]))
def test_the_command_is_found_as_argparse_finds_it(leading: list[list[str]], line: list[str],
                                                   trailing: list[str]) -> None:
    argv = [word for option in leading for word in option] + line + trailing
    assert command_named(argv) == line[0]
    assert full_parser().parse_args(argv).command == line[0]


def test_no_command_is_none() -> None:
    assert command_named([]) is None
    assert command_named(["--db", "audit", "--json"]) is None
    assert build_parser().parse_args(["--db", "audit", "--json"]).command is None


def test_a_bare_version_prints_what_argparse_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0  # answered before argparse is loaded
    quick = capsys.readouterr()
    assert main(["--json", "--version"]) == 0  # answered by argparse
    parsed = capsys.readouterr()
    assert quick == parsed
    assert quick.out == f"audit-app {__version__}\n" and quick.err == ""


def test_listing_a_current_sqlite_file_loads_no_sqlalchemy_and_says_the_same(
        tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    assert main(["--db", str(target), "demo"]) == 0
    [quick] = _probe([["--db", str(target), "--json", "audit", "list"]])
    assert quick["code"] == 0, quick
    loaded = set(quick["heavy"])  # type: ignore[arg-type]
    assert not {"sqlalchemy", "alembic", "audit_app.services.database"} & loaded, quick
    from audit_app.services.audits import list_audits
    from audit_app.services.database import open_database

    shown = io.StringIO()
    with redirect_stdout(shown):
        assert main(["--db", str(target), "--json", "audit", "list"]) == 0
    listed = json.loads(shown.getvalue())
    database = open_database(target)
    try:
        real = list_audits(database)
    finally:
        database.close()
    assert [audit["id"] for audit in listed] == [audit.id for audit in real]
    assert [audit["reviews_complete"] for audit in listed] == [a.reviews_complete for a in real]
