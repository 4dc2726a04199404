"""`audit-app theme add`: a panel extends the shipped learning themes with its own."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from audit_app.core.themes import key_for_name, theme_name
from audit_app.io.theme_files import user_themes_path
from tests.helpers.cli import assert_one_line_error, run_cli, run_json

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def test_a_panel_adds_a_theme_and_tags_with_it(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    db = str(tmp_path / "audit.sqlite3")
    audit = str(run_json(capsys, "demo", "--db", db)["audit_id"])
    scored = next(c for c in run_json(capsys, "stats", "--audit", audit, "--db", db)["cases"]
              if c["reviewers"])
    reference, member = scored["reference"], scored["reviewers"][0]
    added = run_json(capsys, "theme", "add", "--name", "Interpreters  and language needs",
                     "--description", "An interpreter was used where one was needed.")
    assert added == {"key": "interpreters-and-language-needs",
                     "name": "Interpreters and language needs",
                     "description": "An interpreter was used where one was needed."}
    path = user_themes_path()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    listed = {t["key"]: t for t in run_json(capsys, "theme", "list")}
    assert listed["interpreters-and-language-needs"]["shipped"] is False
    assert listed["risk-assessment"]["shipped"] is True  # the shipped ones stay
    code, _out, err = run_cli(capsys, "theme", "tag", "--db", db, "--audit", audit, "--case",
                              reference, "--theme", "interpreters-and-language-needs",
                              "--member", member)
    assert code == 0, err
    counts = run_json(capsys, "theme", "counts", "--db", db, "--audit", audit)["counts"]
    [row] = [c for c in counts if c["theme_key"] == "interpreters-and-language-needs"]
    assert row["learning"] == 1

    run_json(capsys, "theme", "add", "--name", "Housing", "--key", "housing-needs")
    assert [t["key"] for t in run_json(capsys, "theme", "list")][-2:] == [
        "interpreters-and-language-needs", "housing-needs"]

    # The same database where this laptop does not know the theme (a shared server, a
    # package merged from another laptop): its tag still reads in words, never as its key.
    path.unlink()
    counts = run_json(capsys, "theme", "counts", "--db", db, "--audit", audit)["counts"]
    [row] = [c for c in counts if c["theme_key"] == "interpreters-and-language-needs"]
    assert row["name"] == "Interpreters and language needs" and row["learning"] == 1
    out = tmp_path / "findings.xlsx"
    code, _out, err = run_cli(capsys, "--db", db, "export", "--audit", audit, "--out", str(out))
    assert code == 0, err
    workbook = load_workbook(out, read_only=True)
    shown = [row[0] for row in workbook["Themes"].iter_rows(min_row=2, values_only=True)]
    workbook.close()
    assert "Interpreters and language needs" in shown
    assert "interpreters-and-language-needs" not in shown


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--name", "Risk assessment"], "already a theme"),            # a shipped name
    (["--name", "Anything", "--key", "risk-assessment"], "already a theme"),
    (["--name", "   "], "needs a name"),
    (["--name", "Odd", "--key", "Not_A Key"], "short name"),
    (["--name", "!!!"], "short name"),
])
def test_a_bad_theme_is_refused_and_nothing_is_written(
        capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str) -> None:
    run_json(capsys, "theme", "add", "--name", "Mine")
    before = user_themes_path().read_bytes()
    code, out, err = run_cli(capsys, "theme", "add", *argv)
    assert code == 2 and out == ""
    assert_one_line_error(err, fragment)
    assert user_themes_path().read_bytes() == before


@given(st.text(min_size=1, max_size=120))
def test_a_short_name_made_from_any_name_is_valid_or_empty(name: str) -> None:
    key = key_for_name(name)
    assert key == "" or KEY.match(key)
    if re.search(r"[a-z0-9]", name.lower()):
        assert key


@given(st.text(min_size=1, max_size=120), st.booleans())
def test_a_theme_reads_in_words_known_or_not(name: str, known: bool) -> None:
    """Known here, a theme reads as its name; not known (tagged elsewhere), as its short name
    in words: no hyphens, a capital first, and the same words as the short name."""
    key = key_for_name(name)
    if not key:
        return
    names = {key: "The panel's own name"} if known else {}
    shown = theme_name(names, key)
    if known:
        assert shown == "The panel's own name"
    else:
        assert "-" not in shown and shown[0] == shown[0].upper()
        assert shown.lower().replace(" ", "-") == key
    assert theme_name(names, "") == ""  # no theme: nothing, so a caller can fall back
