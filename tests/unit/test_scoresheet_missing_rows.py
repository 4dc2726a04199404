"""A scoresheet with rows deleted is imported, with a warning counting the answers missing."""

from __future__ import annotations

import json
import shutil
from copy import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from audit_app.cli import main
from audit_app.services import scoring
from audit_app.services.database import open_database
from audit_app.services.demo import create_demo
from audit_app.services.sampling import get_sample
from audit_app.services.scoresheet import import_scoresheet
from tests.helpers.templates import cli_quietly, own_data_dir

REVIEWER = "Ann Reviewer"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def _sheet_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo database (a 20-case sample: half the command line demo's, so that each test
    loads and saves a sheet half the size) and Ann's scoresheet exported through the command
    line, made once with their own data folder; each test gets its own copy of both."""
    folder = tmp_path_factory.mktemp("missing-rows")
    db, path = folder / "demo.sqlite3", folder / "ann.xlsx"
    with own_data_dir(folder / "user-data"):
        database = open_database(db)
        try:
            audit_id = create_demo(database, population=300, sample_size=20).id
        finally:
            database.close()
        cli_quietly("--db", str(db), "scoresheet", "export", "--audit", str(audit_id),
                    "--reviewer", REVIEWER, "--out", str(path))
    return db, path


@pytest.fixture
def sheet(_sheet_template: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    db, path = tmp_path / "demo.sqlite3", tmp_path / "ann.xlsx"
    shutil.copyfile(_sheet_template[0], db)
    shutil.copyfile(_sheet_template[1], path)
    return db, path


def delete_rows(sheet: Worksheet, rows: set[int]) -> None:
    """Delete `rows` from `sheet`, leaving it as `sheet.delete_rows` one row at a time
    would (values and styles move up), in one pass: openpyxl moves every cell below on
    each call, which made deleting hundreds of scattered rows take half a minute."""
    last_row, last_column = sheet.max_row, sheet.max_column
    target = 0
    for row in range(1, last_row + 1):
        if row in rows:
            continue
        target += 1
        if target != row:
            for column in range(1, last_column + 1):
                source, moved = sheet.cell(row, column), sheet.cell(target, column)
                moved.value = source.value
                moved._style = copy(source._style)
    if target < last_row:
        sheet.delete_rows(target + 1, last_row - target)  # nothing below them to move


def _delete_rows(path: Path, first: int, count: int, answer: str | None = None) -> None:
    workbook = load_workbook(path)
    scoring_sheet = workbook["Scoring"]
    delete_rows(scoring_sheet, set(range(first, first + count)))
    if answer is not None:
        scoring_sheet.cell(row=2, column=5, value=answer)
    workbook.save(path)


def _answers(db_path: Path) -> dict[tuple[int, str], str]:
    db = open_database(db_path)
    try:
        found = {}
        for row in get_sample(db, audit_id=1):
            review = scoring.get_review(db, audit_id=1, case_id=row.case.id, reviewer=REVIEWER)
            found.update({(row.case.id, code): a.value.label for code, a in review.answers.items()})
        return found
    finally:
        db.close()


def test_rows_deleted_are_counted_in_the_text_and_the_json(capsys: pytest.CaptureFixture[str],
                                                          sheet: tuple[Path, Path]) -> None:
    db, path = sheet
    _delete_rows(path, 5, 100, answer="Met")
    code, out, err = run(capsys, "--db", str(db), "scoresheet", "import", str(path), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["missing_answers"] == 100 and result["answers_changed"] == 1
    assert len(_answers(db)) == 1, "the deleted rows' answers were left as they were"


def test_the_warning_says_how_many_in_plain_words(capsys: pytest.CaptureFixture[str],
                                                 sheet: tuple[Path, Path]) -> None:
    db, path = sheet
    _delete_rows(path, 5, 100)
    code, out, err = run(capsys, "--db", str(db), "scoresheet", "import", str(path))
    assert code == 0, err
    assert ("Warning: 100 answers were missing from the scoresheet and were left as they were."
            in out)


def test_a_whole_sheet_has_no_warning(sheet: tuple[Path, Path]) -> None:
    db_path, path = sheet
    db = open_database(db_path)
    try:
        result = import_scoresheet(db, path=path)
    finally:
        db.close()
    assert result.missing_answers == 0 and result.missing_warning is None
    assert "Warning" not in str(result)


def test_one_missing_answer_is_said_in_the_singular(sheet: tuple[Path, Path]) -> None:
    db_path, path = sheet
    _delete_rows(path, 3, 1)
    db = open_database(db_path)
    try:
        result = import_scoresheet(db, path=path)
    finally:
        db.close()
    assert result.missing_warning == "1 answer was missing from the scoresheet and was left as it was"


# Rows of Ann's sheet kept for the property: the rows below are deleted before it starts,
# so that each example loads, edits and saves a tenth of the sheet.
_PROPERTY_ROWS = 200


@pytest.fixture
def short_sheet(sheet: tuple[Path, Path]) -> tuple[Path, Path, int]:
    """Ann's sheet with every row below `_PROPERTY_ROWS` deleted, and how many answers that
    left out."""
    db_path, path = sheet
    workbook = load_workbook(path)
    rows = workbook["Scoring"].max_row
    assert rows > _PROPERTY_ROWS, "the demo's sheet is shorter than the property expects"
    workbook["Scoring"].delete_rows(_PROPERTY_ROWS + 1, rows - _PROPERTY_ROWS)
    short = path.with_name("short.xlsx")
    workbook.save(short)
    return db_path, short, rows - _PROPERTY_ROWS


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_count_is_the_number_of_rows_deleted(short_sheet: tuple[Path, Path, int],
                                                 tmp_path: Path, data: st.DataObject) -> None:
    db_path, path, already_missing = short_sheet
    deleted = data.draw(st.sets(st.integers(min_value=2, max_value=_PROPERTY_ROWS),
                                max_size=_PROPERTY_ROWS - 1))
    copy = tmp_path / f"copy-{len(deleted)}.xlsx"
    workbook = load_workbook(path)
    delete_rows(workbook["Scoring"], deleted)
    workbook.save(copy)
    db = open_database(db_path)
    try:
        result = import_scoresheet(db, path=copy)
    finally:
        db.close()
    assert result.missing_answers == already_missing + len(deleted)
    assert result.answers_changed == 0


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(min_value=1, max_value=12), columns=st.integers(min_value=1, max_value=4),
       data=st.data())
def test_the_one_pass_deletion_leaves_the_sheet_as_openpyxl_does(rows: int, columns: int,
                                                                  data: st.DataObject) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    deleted = data.draw(st.sets(st.integers(min_value=1, max_value=rows)))
    sheets = []
    for _ in range(2):
        sheet = Workbook().active
        assert sheet is not None
        for row in range(1, rows + 1):
            for column in range(1, columns + 1):
                cell = sheet.cell(row, column, value=f"r{row}c{column}" if row % 3 else None)
                cell.font = Font(bold=row % 2 == 0)
        sheets.append(sheet)
    one_at_a_time, one_pass = sheets
    for row in sorted(deleted, reverse=True):
        one_at_a_time.delete_rows(row)
    delete_rows(one_pass, deleted)

    def content(sheet: Worksheet) -> list[list[tuple[object, bool]]]:
        return [[(cell.value, bool(cell.font.b)) for cell in line]
                for line in sheet.iter_rows(min_row=1, max_row=rows, max_col=columns)]

    assert content(one_pass) == content(one_at_a_time)
