"""The one-pass row checker: properties over arbitrary cells, and its rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.errors import InvalidFileError
from audit_app.core.import_validation import ERROR, WARNING, PopulationValidator

HEADERS = ["Ref", "Outcome", "Risk", "DA", "Recorded", "Finalised", "Notes"]
MAPPING = {"reference": "Ref", "outcome_code": "Outcome", "risk_level": "Risk", "da_flag": "DA",
           "date_recorded": "Recorded", "date_finalised": "Finalised"}

ANY_CELL = st.one_of(
    st.none(), st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**12, max_value=10**12), st.booleans(), st.dates(), st.datetimes(),
    st.times(), st.sampled_from(["16", "High", "Y", "05/03/2024", "45356", "", "  "]))


@given(st.lists(st.lists(ANY_CELL, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=20))
def test_any_cells_give_a_case_or_row_errors_never_a_crash(rows: list[list[object]]) -> None:
    validator = PopulationValidator(HEADERS, MAPPING, text_limits={"reference": 100})
    accepted = 0
    for number, cells in enumerate(rows, start=2):
        before = len(validator.problems)
        case = validator.check_row(number, cells)
        new = validator.problems[before:]
        assert all(p.row == number and p.column in HEADERS and p.severity in (ERROR, WARNING)
                   for p in new)
        if case is None:
            assert any(p.severity == ERROR for p in new)
        else:
            accepted += 1
            assert not any(p.severity == ERROR for p in new)
            assert case.reference and case.row == number
            assert set(case.extra) <= {"Notes"}
    assert accepted + validator.error_rows == len(rows)
    assert validator.error_count == len(validator.errors())


def test_the_first_of_duplicate_references_is_kept() -> None:
    validator = PopulationValidator(HEADERS, MAPPING)
    first = validator.check_row(2, ["A/1", 16.0, "High", "Y", "", "", ""])
    again = validator.check_row(9, ["A/1", 10.0, "", "", "", "", ""])
    assert first is not None and again is None
    assert validator.errors()[0].message == "duplicate crime reference (also on row 2)"
    assert validator.error_references == {"A/1"}


def test_warning_rows_are_still_imported() -> None:
    validator = PopulationValidator(HEADERS, MAPPING)
    case = validator.check_row(2, ["A/1", 18.0, "", "Yes", dt.date(2025, 3, 1), "01/02/2025", ""])
    assert case is not None
    assert [p.severity for p in validator.problems] == [WARNING, WARNING]
    assert validator.error_rows == 0


def test_quoted_values_are_cut_short_in_problems() -> None:
    validator = PopulationValidator(HEADERS, MAPPING)
    validator.check_row(2, ["A/1", "x" * 5000, "", "", "", "", ""])
    assert len(validator.problems[0].value) == 201


def test_a_cell_beyond_the_spreadsheet_limit_means_a_damaged_file() -> None:
    validator = PopulationValidator(HEADERS, MAPPING)
    with pytest.raises(InvalidFileError, match="Row 7, column 'Notes' holds 40,000 characters"):
        validator.check_row(7, ["A/1", "", "", "", "", "", "n" * 40_000])
