"""The split criteria as a framework author and a reviewer meet them: `framework diff`
names each split, and the scoresheet (format 2) gives each new item its answers, who
answers it and the file pack it needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_app.core.answers import Answer
from audit_app.services.database import Database, open_database
from audit_app.services.scoresheet import export_scoresheet
from tests.helpers.audits import REVIEWERS, build_audit
from tests.helpers.cli import run_cli, run_json

NEW_ITEMS = {"evidence-led-review@4": ("1.5", "1.6", "1.7", "1.8", "5.5"),
             "rape-nfa-review@2": ("3.5", "3.6")}


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_cli_diff_shows_the_evidence_led_splits(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    database = str(tmp_path / "f.sqlite3")
    open_database(database).close()
    code, out, _ = run_cli(capsys, "--db", database, "framework", "diff",
                           "evidence-led-review@3", "evidence-led-review@4")
    assert code == 0
    assert out.startswith("Changes from evidence-led-review@3 to evidence-led-review@4")
    added = out[out.index("Added (5):"):out.index("Reworded (2):")]
    for code_now in ("1.5", "1.6", "1.7", "1.8", "5.5"):
        assert f"  {code_now}" in added
    assert "body-worn video" in added and "Right to Review" in _words(added)
    reworded = out[out.index("Reworded (2):"):]
    assert "was: Is evidence apart from the victim's on file" in _words(reworded)
    assert "now: Was the victim told of the decision, with the reasons?" in _words(reworded)
    data = run_json(capsys, "--db", database, "framework", "diff", "rape-nfa-review@1",
                    "rape-nfa-review@2")
    assert [c["code"] for c in data["added"]] == ["3.5", "3.6"]
    assert [c["code"] for c in data["reworded"]] == ["3.1", "3.4"]
    assert data["removed"] == [] and data["rescaled"] == []


@pytest.mark.parametrize("framework_ref", sorted(NEW_ITEMS))
def test_the_scoresheet_gives_each_new_item_its_answers_role_and_file_pack(
        db: Database, tmp_path: Path, framework_ref: str) -> None:
    built = build_audit(db, cases=2, scored_criteria=0, framework_ref=framework_ref)
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=REVIEWERS[0],
                             path=tmp_path / "sheet.xlsx")
    workbook = load_workbook(path)
    assert workbook["_scoresheet"]["B1"].value == "case-file-audit scoresheet 2"
    sheet = workbook["Scoring"]
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)
            if row[0].value == built.references[0]}
    validations = sheet.data_validations.dataValidation
    framework = built.framework
    for code in NEW_ITEMS[framework_ref]:
        criterion = framework.criterion(code)
        row = rows[code]
        assert _words(row[3].value) == _words(criterion.question)
        assert row[6].value == criterion.answered_by.label
        assert row[7].value == ", ".join(criterion.file_pack_labels())
        # The answer cell offers exactly this criterion's answers.
        cell = f"E{row[0].row}"
        offered = next(v.formula1 for v in validations if cell in v.sqref)
        for answer in Answer:
            assert (answer.label in offered) == (answer in criterion.answers(framework.scale)), \
                (code, answer)
