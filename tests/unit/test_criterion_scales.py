"""A criterion's own scale is enforced by the one answer writer, on every path that saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from audit_app.core.answers import Answer
from audit_app.core.errors import InvalidFileError, ValidationError
from audit_app.db import reviews
from audit_app.db.models import CaseRecord
from audit_app.db.review_rows import WantedAnswer, review_state
from audit_app.services import audits, sampling, scoring
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.frameworks import criterion_ids
from audit_app.services.package_items import apply_item
from audit_app.services.scoresheet import export_scoresheet, import_scoresheet
from tests.helpers.cli import assert_one_line_error, run_cli
from tests.helpers.scales import shipped_answers

YES_NO = "1.8"  # body-worn video handed over in time: met or not, never partly
ANN = "Ann Police"


def _v3_audit(db: Database) -> tuple[int, list[int]]:
    audit = audits.create_audit(db, name="DA NFA Q4", framework="da-nfa-review")
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"CR/{i:03d}", "outcome_code": 16,
             "victim_supports": "withdrawn", "risk_level": "high", "area": "North",
             "extra": {}} for i in range(3)])
    sampling.draw_sample(db, audit_id=audit.id, size=3, method="random", seed=3)
    return audit.id, [row.case.id for row in sampling.get_sample(db, audit_id=audit.id)]


def test_the_shipped_yes_no_item_has_no_partly_met() -> None:
    assert Answer.PARTLY_MET not in shipped_answers("da-nfa-review")[YES_NO]
    assert Answer.MET in shipped_answers("da-nfa-review")[YES_NO]


def test_scoring_refuses_an_answer_off_the_criterions_scale(db: Database) -> None:
    audit_id, cases = _v3_audit(db)
    scoring.record_answer(db, audit_id=audit_id, case_id=cases[0], reviewer=ANN,
                          criterion_code=YES_NO, value="met")
    before = len(list_changes(db, audit_id=audit_id))
    with pytest.raises(ValidationError) as raised:
        scoring.record_answer(db, audit_id=audit_id, case_id=cases[0], reviewer=ANN,
                              criterion_code=YES_NO, value="partly_met")
    message = str(raised.value)
    assert "1.8" in message and "Partly met" in message and "\n" not in message
    view = scoring.get_review(db, audit_id=audit_id, case_id=cases[0], reviewer=ANN)
    assert view.answers[YES_NO].value is Answer.MET
    assert len(list_changes(db, audit_id=audit_id)) == before


def test_a_set_of_answers_is_all_or_nothing(db: Database) -> None:
    audit_id, cases = _v3_audit(db)
    before = len(list_changes(db, audit_id=audit_id))
    with pytest.raises(ValidationError):
        scoring.record_answer_sets(db, audit_id=audit_id, reviewer=ANN, answers={
            cases[0]: {"1.2": ("met", "")}, cases[1]: {YES_NO: ("partly_met", "why")}})
    assert len(list_changes(db, audit_id=audit_id)) == before


def test_the_writer_itself_refuses_whatever_state_it_is_given(sqlite_db: Database) -> None:
    db = sqlite_db
    audit_id, cases = _v3_audit(db)
    before = len(list_changes(db, audit_id=audit_id))
    with db.transaction() as session:
        audit = audits.require_audit(session, audit_id)
        codes = criterion_ids(session, audit.framework_id)
        person = reviews.reviewer_named(session, ANN, create=True)
        review = reviews.start_review(session, audit_id=audit_id, case_id=cases[0],
                                      reviewer=person, kind="member")
        state = review_state(session, review, codes, audit.framework.scale,
                             scales={YES_NO: frozenset({"met", "not_met"})})
        with pytest.raises(ValidationError, match="nothing was saved"):
            reviews.store_answers(session, state, [WantedAnswer(YES_NO, Answer.PARTLY_MET, "")],
                                  actor=ANN)
        # A merged package's item takes the same rule, before the writer is reached.
        with pytest.raises(InvalidFileError, match=r"criterion 1\.8"):
            apply_item(session, audit_id, cases[0], person, dict(codes), YES_NO,
                       {"value": "partly_met", "note": ""}, actor="Chair", why="merged",
                       scale=audit.framework.scale,
                       scales={YES_NO: frozenset({"met", "not_met"})})
    assert len(list_changes(db, audit_id=audit_id)) == before


def test_a_scoresheet_cell_off_the_scale_is_one_plain_line_and_changes_nothing(
        sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = sqlite_db
    audit_id, _cases = _v3_audit(db)
    path = export_scoresheet(db, audit_id=audit_id, reviewer=ANN, path=tmp_path / "ann.xlsx")
    before = len(list_changes(db, audit_id=audit_id))
    workbook = load_workbook(path)
    sheet = workbook["Scoring"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 3).value == YES_NO)
    sheet.cell(row=row, column=5, value="Partly met")
    workbook.save(path)
    with pytest.raises(ValidationError) as raised:
        import_scoresheet(db, path=path)
    assert f"criterion {YES_NO} cannot be answered 'Partly met'" in str(raised.value)
    code, _out, err = run_cli(capsys, "--db", db.url, "scoresheet", "import", str(path))
    assert code == 2
    assert_one_line_error(err, "Partly met")
    assert len(list_changes(db, audit_id=audit_id)) == before


def test_the_scoresheet_lists_each_criterions_own_answers(sqlite_db: Database,
                                                          tmp_path: Path) -> None:
    db = sqlite_db
    audit_id, _cases = _v3_audit(db)
    path = export_scoresheet(db, audit_id=audit_id, reviewer=ANN, path=tmp_path / "ann.xlsx")
    sheet = load_workbook(path)["Scoring"]
    rows = {sheet.cell(r, 3).value: r for r in range(2, sheet.max_row + 1)}

    def offered(code: str) -> str:
        cell = f"E{rows[code]}"
        found = [v for v in sheet.data_validations.dataValidation if cell in v.sqref]
        assert len(found) == 1
        return str(found[0].formula1)

    assert "Partly met" not in offered(YES_NO) and "Not met" in offered(YES_NO)
    assert "Partly met" in offered("1.2") and "Not in the file pack" in offered("1.2")
