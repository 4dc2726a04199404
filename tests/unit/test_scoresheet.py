"""Scoresheets written, filled in with openpyxl as a reviewer would, and read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from audit_app.core.answers import Answer, Verdict
from audit_app.core.errors import InvalidFileError, ValidationError
from audit_app.core.withdrawal import WithdrawalReason, WithdrawalStage
from audit_app.services import scoring
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.scoresheet import export_scoresheet, import_scoresheet
from tests.helpers.audits import REVIEWERS, build_audit

ANN = REVIEWERS[0]


def _rows_by_key(path: Path) -> dict[tuple[str, str], int]:
    sheet = load_workbook(path)["Scoring"]
    return {(row[0].value, row[2].value): row[0].row for row in sheet.iter_rows(min_row=2)}


def test_scoresheet_layout(db: Database, tmp_path: Path) -> None:
    built = build_audit(db, cases=4)
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                             path=tmp_path / "ann.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Scoring", "Case details", "_scoresheet"]
    assert workbook["_scoresheet"].sheet_state == "veryHidden"
    sheet = workbook["Scoring"]
    criteria = built.framework.criteria
    assert sheet.max_row == 1 + 4 * len(criteria)
    assert sheet.protection.sheet
    assert sheet.column_dimensions["I"].hidden and sheet.column_dimensions["J"].hidden
    assert not sheet.column_dimensions["G"].hidden and not sheet.column_dimensions["H"].hidden
    assert (sheet["G1"].value, sheet["H1"].value) == ("Who answers", "File pack needs")
    first = [cell.value for cell in sheet[2]]
    assert first[0] == built.references[0] and first[2] == criteria[0].code
    assert first[4] in {a.label for a in Answer}  # Ann's answer is pre-filled
    assert not sheet["E2"].protection.locked and not sheet["F2"].protection.locked
    assert sheet["A2"].protection.locked and sheet["D2"].protection.locked
    validations = sheet.data_validations.dataValidation
    assert validations and "Partly met" in validations[0].formula1
    assert "E2" in str(validations[0].sqref)
    with_guidance = [c for c in criteria if c.guidance]
    if with_guidance:
        row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == with_guidance[0].code)
        assert row[3].comment is not None
    details = workbook["Case details"]
    assert details["A2"].value == built.references[0]
    assert details.max_row == 5
    assert details.column_dimensions["I"].hidden and not details.column_dimensions["J"].hidden
    assert (details["G1"].value, details["H1"].value) == ("Withdrawal stage", "Withdrawal reason")
    assert not details["G2"].protection.locked and not details["H2"].protection.locked
    assert details["J1"].value == "Offence" and details["K2"].value[:4] in {"14 –", "15 –", "16 –"}
    assert details["J2"].protection.locked and not details["B2"].protection.locked
    names = {cell.value for row in details.iter_rows() for cell in row}
    assert not names & {"Rosalind Featherstone", "Barnaby Pickersgill"}


def test_round_trip_writes_the_reviewers_changes(db: Database, tmp_path: Path) -> None:
    built = build_audit(db, cases=4)
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                             path=tmp_path / "ann.xlsx")
    unchanged = import_scoresheet(db, path=path)
    assert (unchanged.answers_changed, unchanged.details_changed) == (0, 0)

    workbook = load_workbook(path)
    sheet = workbook["Scoring"]
    rows = _rows_by_key(path)
    code = built.codes[0]
    new_code = built.framework.criteria[5].code
    sheet.cell(row=rows[(built.references[0], code)], column=5, value="Not met")
    sheet.cell(row=rows[(built.references[0], code)], column=6, value="=no supervisor review")
    sheet.cell(row=rows[(built.references[1], new_code)], column=5, value="Met")
    cleared = rows[(built.references[3], built.codes[1])]
    sheet.cell(row=cleared, column=5).value = None  # cell(value=None) would leave it as is
    sheet.cell(row=cleared, column=6).value = None
    details = workbook["Case details"]
    details["B3"] = "Appropriate with observations"
    details["D3"] = "Check the DASH was reviewed at closure"
    details["C4"] = "Yes"
    workbook.save(path)

    result = import_scoresheet(db, path=path)
    assert result.reviewer == ANN and result.answers_changed == 3
    assert result.details_changed == 3 and result.cases_changed == 4
    first = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                               reviewer=ANN)
    assert first.answers[code].value is Answer.NOT_MET
    assert first.answers[code].note == "=no supervisor review"
    second = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[1],
                                reviewer=ANN)
    assert second.answers[new_code].value is Answer.MET
    assert second.verdict is Verdict.APPROPRIATE_WITH_OBSERVATIONS
    assert second.learning_points == "Check the DASH was reviewed at closure"
    third = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[2],
                               reviewer=ANN)
    assert third.urgent_safeguarding
    fourth = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[3],
                                reviewer=ANN)
    assert built.codes[1] not in fourth.answers
    # The other reviewer's review is untouched.
    other = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                               reviewer=REVIEWERS[1])
    assert other.answers[code].note in ("", "Needs a note")


@pytest.mark.parametrize(("sheet_name", "cell", "value", "message"), [
    ("Scoring", "E2", "Mett", "column E (Answer): this is not an answer"),
    ("Scoring", "A2", "DA/9999", "column A (Case): the case reference was changed"),
    ("Scoring", "D3", "Was it fine?", "row 3, column D (Question): the question text was changed"),
    ("Scoring", "C2", "Z9", "column C (Criterion): the criterion was changed"),
    ("Scoring", "I2", 999999, "rows cannot be added"),
    ("Case details", "B2", "Sort of", "Case details row 2, column B (Verdict)"),
    ("Case details", "C2", "Maybe", "should be Yes or No"),
])
def test_tampered_scoresheet_is_refused_with_nothing_imported(
        db: Database, tmp_path: Path, sheet_name: str, cell: str, value: object,
        message: str) -> None:
    built = build_audit(db, cases=3)
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                             path=tmp_path / "ann.xlsx")
    workbook = load_workbook(path)
    workbook["Scoring"]["E5"] = "Met" if workbook["Scoring"]["E5"].value != "Met" else "Not met"
    workbook[sheet_name][cell] = value
    workbook.save(path)
    changes_before = len(list_changes(db, audit_id=built.audit_id))
    with pytest.raises(ValidationError) as raised:
        import_scoresheet(db, path=path)
    assert message in str(raised.value)
    assert "nothing was changed" in str(raised.value)
    # What was typed can be case data: the message says where, never quotes it.
    assert str(value) not in str(raised.value)
    assert all(str(value) not in str(problem) for problem in raised.value.problems)
    assert raised.value.problems
    assert len(list_changes(db, audit_id=built.audit_id)) == changes_before


def test_not_a_scoresheet(db: Database, tmp_path: Path) -> None:
    other = tmp_path / "other.xlsx"
    from openpyxl import Workbook

    Workbook().save(other)
    with pytest.raises(InvalidFileError, match="not a scoresheet"):
        import_scoresheet(db, path=other)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    with pytest.raises(InvalidFileError, match="not an Excel workbook"):
        import_scoresheet(db, path=junk)


def test_a_failure_part_way_keeps_nothing_of_the_file(db: Database, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from audit_app.core.errors import ConflictError
    from audit_app.services import scoresheet as scoresheet_service

    built = build_audit(db, cases=3)
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                             path=tmp_path / "ann.xlsx")
    before = [scoring.get_review(db, audit_id=built.audit_id, case_id=case_id, reviewer=ANN)
              for case_id in built.case_ids]
    workbook = load_workbook(path)
    rows = _rows_by_key(path)
    for reference in built.references:
        workbook["Scoring"].cell(row=rows[(reference, built.codes[2])], column=5,
                                 value="Partly met")
        workbook["Scoring"].cell(row=rows[(reference, built.codes[2])], column=6,
                                 value="Changed offline")
    workbook.save(path)
    real_record_answer_sets = scoring.record_answer_sets

    def conflict_on_second_case(unit: Database, **kwargs: Any) -> dict[int, int]:
        # The first case's answers are written, then someone else saved the second meanwhile.
        first = dict(list(kwargs.pop("answers").items())[:1])
        real_record_answer_sets(unit, answers=first, **kwargs)
        raise ConflictError("Someone else changed this review")

    monkeypatch.setattr(scoresheet_service.scoring, "record_answer_sets", conflict_on_second_case)
    with pytest.raises(ConflictError):
        import_scoresheet(db, path=path)
    monkeypatch.undo()
    after = [scoring.get_review(db, audit_id=built.audit_id, case_id=case_id, reviewer=ANN)
             for case_id in built.case_ids]
    for old, new in zip(before, after, strict=True):
        assert {k: (a.value, a.note) for k, a in old.answers.items()} == \
            {k: (a.value, a.note) for k, a in new.answers.items()}


def test_scoresheet_names_who_answers_and_the_file_pack(db: Database, tmp_path: Path) -> None:
    built = build_audit(db, cases=2, framework_ref="da-nfa-review@3")
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                             path=tmp_path / "ann.xlsx")
    sheet = load_workbook(path)["Scoring"]
    by_code = {row[2].value: row for row in sheet.iter_rows(min_row=2)
               if row[0].value == built.references[0]}
    for criterion in built.framework.criteria:
        row = by_code[criterion.code]
        assert row[6].value == criterion.answered_by.label
        assert (row[7].value or "") == ", ".join(criterion.file_pack_labels())
    assert any(c.file_pack for c in built.framework.criteria)
    assert {row[6].value for row in by_code.values()} >= {"Any panel member", "A police member"}


def test_a_version_1_scoresheet_still_reads_back(db: Database, tmp_path: Path) -> None:
    """Sheets exported before the role and file-pack columns may still be out with members."""
    built = build_audit(db, cases=2)
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                             path=tmp_path / "ann.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["Scoring"]
    sheet.delete_cols(7, 2)  # the version 1 layout: the hidden ids follow the note
    workbook["Case details"].delete_cols(7, 2)  # and no withdrawal codes
    meta = workbook["_scoresheet"]
    assert meta["A1"].value == "format"
    meta["B1"] = "case-file-audit scoresheet 1"
    code = built.framework.criteria[5].code
    row = next(r[0].row for r in sheet.iter_rows(min_row=2)
               if (r[0].value, r[2].value) == (built.references[1], code))
    assert sheet.cell(row=row, column=7).value == built.case_ids[1]
    sheet.cell(row=row, column=5, value="Met")
    workbook.save(path)
    result = import_scoresheet(db, path=path)
    assert result.answers_changed == 1
    review = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[1],
                                reviewer=ANN)
    assert review.answers[code].value is Answer.MET


def test_withdrawal_codes_round_trip_through_the_scoresheet(db: Database, tmp_path: Path) -> None:
    built = build_audit(db, cases=3)
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                             path=tmp_path / "ann.xlsx")
    workbook = load_workbook(path)
    details = workbook["Case details"]
    lists = [str(v.formula1) for v in details.data_validations.dataValidation]
    assert any("Before giving a statement" in formula for formula in lists)
    details["G2"], details["H2"] = "Before giving a statement", "Fear of the suspect"
    details["H3"] = "Delay"
    workbook.save(path)
    result = import_scoresheet(db, path=path)
    assert result.details_changed == 2
    first = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                               reviewer=ANN)
    assert (first.withdrawal_stage, first.withdrawal_reason) == (WithdrawalStage.BEFORE_STATEMENT,
                                                                 WithdrawalReason.FEAR)
    second = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[1],
                                reviewer=ANN)
    assert (second.withdrawal_stage, second.withdrawal_reason) == (None, WithdrawalReason.DELAY)
    again = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                              path=tmp_path / "again.xlsx")
    assert load_workbook(again)["Case details"]["G2"].value == "Before giving a statement"
    assert import_scoresheet(db, path=again).details_changed == 0


def test_a_withdrawal_code_off_the_list_is_refused(db: Database, tmp_path: Path) -> None:
    built = build_audit(db, cases=2)
    path = export_scoresheet(db, audit_id=built.audit_id, reviewer=ANN,
                             path=tmp_path / "ann.xlsx")
    workbook = load_workbook(path)
    workbook["Case details"]["G2"] = "Sometime"
    workbook.save(path)
    with pytest.raises(ValidationError) as raised:
        import_scoresheet(db, path=path)
    assert "Case details row 2, column G (Withdrawal stage)" in str(raised.value)
    review = scoring.get_review(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                                reviewer=ANN)
    assert review.withdrawal_stage is None
