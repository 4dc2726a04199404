"""`audit-app minutes | feedback | summary | report`: files written, bad input refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers.audits import BuiltAudit
from tests.helpers.cli import assert_one_line_error, run_cli, run_json
from tests.helpers.docx_text import docx_text
from tests.helpers.templates import build_sqlite, copy_sqlite
from tests.helpers.verdict_audits import agreed_audit


@pytest.fixture(scope="module")
def _audit_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuiltAudit]:
    """Built once (speed only); each test gets its own copy of the database."""
    return build_sqlite(tmp_path_factory.mktemp("panel-documents"), "panel.sqlite3", agreed_audit)


@pytest.fixture
def audit_file(_audit_template: tuple[Path, BuiltAudit], tmp_path: Path) -> tuple[str, str, list[str]]:
    """(database path, audit id, the sample's real references)."""
    template, built = _audit_template
    path = copy_sqlite(template, tmp_path / "panel.sqlite3")
    return str(path), str(built.audit_id), built.references


def test_each_command_writes_its_document(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          audit_file: tuple[str, str, list[str]]) -> None:
    db, audit, references = audit_file
    code, out, err = run_cli(capsys, "--db", db, "minutes", "--audit", audit,
                             "--out", str(tmp_path / "minutes.docx"))
    assert code == 0 and err == "" and out.startswith("Saved the minutes of ")
    assert not any(reference in docx_text(tmp_path / "minutes.docx") for reference in references)
    code, out, _ = run_cli(capsys, "--db", db, "summary", "--audit", audit,
                           "--out", str(tmp_path / "summary.docx"), "--real-references")
    assert code == 0 and (tmp_path / "summary.docx").exists()
    letters = run_json(capsys, "--db", db, "feedback", "--audit", audit,
                       "--out", str(tmp_path / "letters"), "--by", "team")
    assert [Path(path).name for path in letters["paths"]] == ["feedback-01-team.docx"]
    assert "addressees" not in letters  # names stay inside the letters
    code, out, _ = run_cli(capsys, "--db", db, "report", "--year", str(dt.date.today().year),
                           "--out", str(tmp_path / "year.docx"))
    assert code == 0 and "(1 audit)" in out


@pytest.mark.parametrize(("argv", "words"), [
    (("minutes", "--audit", "999", "--out", "{tmp}/m.docx"), "No audit with id 999"),
    (("minutes", "--audit", "{audit}", "--out", "{tmp}/m.xlsx"), "is not a Word document"),
    (("minutes", "--audit", "{audit}", "--meeting", "5", "--out", "{tmp}/m.docx"),
     "is not a meeting of audit"),
    (("summary", "--audit", "{audit}", "--out", "{tmp}/nowhere/s.docx"), "does not exist"),
    (("feedback", "--audit", "{audit}", "--out", "{tmp}/panel.sqlite3"), "is a file"),
    (("report", "--year", "1900", "--out", "{tmp}/y.docx"), "is not a year"),
])
def test_bad_input_is_one_line_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        audit_file: tuple[str, str, list[str]], argv: tuple[str, ...], words: str) -> None:
    db, audit, _references = audit_file
    before = sorted(path.name for path in tmp_path.iterdir())
    filled = [word.format(tmp=tmp_path, audit=audit) for word in argv]
    code, out, err = run_cli(capsys, "--db", db, *filled)
    assert code == 2 and out == ""
    assert_one_line_error(err, words)
    after = sorted(path.name for path in tmp_path.iterdir()
                   if not path.name.startswith("panel.sqlite3-"))
    assert after == [name for name in before if not name.startswith("panel.sqlite3-")]
