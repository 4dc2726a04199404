"""`framework diff`: criteria added, removed, reworded and re-scaled between two versions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.answers import Answer
from audit_app.core.framework import Framework
from audit_app.core.framework_diff import diff_frameworks, diff_lines, diff_to_dict
from audit_app.services.database import open_database
from audit_app.services.frameworks import previous_framework_files, read_framework_file
from tests.helpers.cli import assert_one_line_error, run_cli, run_json


def _shipped(key: str, version: int) -> Framework:
    from audit_app.services.frameworks import builtin_framework_files

    for path in [*previous_framework_files(), *builtin_framework_files()]:
        framework = read_framework_file(path)
        if (framework.key, framework.version) == (key, version):
            return framework
    raise LookupError(key)


def test_version_three_against_two() -> None:
    old, new = _shipped("da-nfa-review", 2), _shipped("da-nfa-review", 3)
    diff = diff_frameworks(old, new)
    added = {c.code for c in diff.added}
    assert {"3.7", "3.8", "3.9", "3.10", "3.11", "7.1", "7.4"} <= added
    assert diff.removed == ()
    assert {"3.2", "3.5", "6.1"} <= {r.code for r in diff.reworded}
    outcome = next(r for r in diff.rescaled if r.code == "5.4")
    assert Answer.PARTLY_MET in outcome.old_scale and Answer.PARTLY_MET not in outcome.new_scale
    assert "when it applies" in dict(diff.other)["3.2"]
    text = "\n".join(diff_lines(diff))
    assert text.startswith("Changes from da-nfa-review@2 to da-nfa-review@3")
    assert "Re-scaled" in text and "Partly met" in text and "_" not in text.replace("-", "")


def test_a_removed_criterion_and_json_form() -> None:
    old, new = _shipped("evidence-led-review", 2), _shipped("evidence-led-review", 3)
    data = diff_to_dict(diff_frameworks(old, new))
    assert [c["code"] for c in data["removed"]] == ["5.3"]
    assert data["from"] == "evidence-led-review@2" and data["to"] == "evidence-led-review@3"
    assert all(set(r) == {"code", "was", "now"} for r in data["rescaled"])


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_version_against_itself_is_unchanged_and_diffs_reverse(data: st.DataObject) -> None:
    framework = _shipped("da-nfa-review", 3)
    assert diff_frameworks(framework, framework).unchanged
    # Drop some criteria: they show as removed one way and added the other, nothing else.
    dropped = set(data.draw(st.sets(st.sampled_from([c.code for c in framework.criteria]),
                                    max_size=5)))
    sections = tuple(dataclasses.replace(s, criteria=tuple(c for c in s.criteria
                                                           if c.code not in dropped))
                     for s in framework.sections)
    smaller = dataclasses.replace(framework, version=4, sections=sections)
    forward, back = diff_frameworks(framework, smaller), diff_frameworks(smaller, framework)
    assert {c.code for c in forward.removed} == dropped == {c.code for c in back.added}
    assert not (forward.added or forward.reworded or forward.rescaled or forward.other)


def test_the_cli_diff(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    database = str(tmp_path / "f.sqlite3")
    open_database(database).close()
    code, out, _ = run_cli(capsys, "--db", database, "framework", "diff", "da-nfa-review@2",
                           "da-nfa-review@3")
    assert code == 0
    assert out.startswith("Changes from da-nfa-review@2 to da-nfa-review@3")
    assert "Added (" in out and "Reworded (" in out
    data = run_json(capsys, "--db", database, "framework", "diff", "evidence-led-review@2",
                    "evidence-led-review@3")
    assert [c["code"] for c in data["removed"]] == ["5.3"]
    for bad, fragment in ((("da-nfa-review@9", "da-nfa-review@3"), "version 9"),
                          (("da-nfa-review@x", "da-nfa-review@3"), "must be a number"),
                          (("no-such@1", "da-nfa-review@3"), "no-such")):
        code, out, err = run_cli(capsys, "--db", database, "framework", "diff", *bad)
        assert code == 2 and out == ""
        assert_one_line_error(err, fragment)
