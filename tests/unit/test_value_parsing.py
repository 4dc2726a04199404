"""Reading typed case values from the cell forms real extracts use."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.value_parsing import (
    ValueProblem,
    cell_text,
    parse_date,
    parse_flag,
    parse_integer,
    parse_risk,
    parse_support,
    parse_text,
)

MARCH_5 = dt.date(2024, 3, 5)


@pytest.mark.parametrize("cell", [
    MARCH_5, dt.datetime(2024, 3, 5, 23, 59), 45356, 45356.75, "45356", "05/03/2024", "5/3/2024",
    "05-03-2024", "05.03.2024", "05/03/24", "05/03/2024 14:30", "05/03/2024 14:30:59",
    "5/3/2024 2:30 pm", "2024-03-05", "2024-03-05T14:30:00", "2024-03-05 14:30:00.123",
    "2024/03/05", "5 Mar 2024", "05-Mar-2024", "5th March 2024", " 05/03/2024 ",
])
def test_real_world_date_forms_read_as_the_same_day(cell: object) -> None:
    assert parse_date(cell) == MARCH_5


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_blank_dates_are_none(cell: object) -> None:
    assert parse_date(cell) is None


@pytest.mark.parametrize("cell", ["31/02/2024", "not a date", "13/13/2024", "2024-02-30", True,
                                  -5, 99_999_999, "05/03/1850", "Mar 2024"])
def test_unreadable_dates_say_what_was_expected(cell: object) -> None:
    with pytest.raises(ValueProblem) as raised:
        parse_date(cell)
    assert "date" in raised.value.message or "years" in raised.value.message


def test_dates_are_read_day_first_as_in_the_uk() -> None:
    assert parse_date("01/02/2024") == dt.date(2024, 2, 1)


def test_excel_serials_match_excel() -> None:
    assert parse_date(1) == dt.date(1900, 1, 1)
    assert parse_date(61) == dt.date(1900, 3, 1)
    assert parse_date(45658) == dt.date(2025, 1, 1)


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y",
                        "%d/%m/%Y %H:%M", "serial", "datetime"]))
def test_any_date_in_any_supported_form_round_trips(day: dt.date, form: str) -> None:
    if form == "serial":
        cell: object = (day - dt.date(1899, 12, 30)).days
    elif form == "datetime":
        cell = dt.datetime.combine(day, dt.time(13, 45))
    else:
        cell = dt.datetime.combine(day, dt.time(9, 5)).strftime(form)
    assert parse_date(cell) == day


@pytest.mark.parametrize(("cell", "expected"), [
    ("Yes", True), ("Y", True), ("TRUE", True), (True, True), (1.0, True), ("x", True),
    ("No", False), ("n", False), (False, False), (0.0, False), ("", None), (None, None),
])
def test_flags(cell: object, expected: bool | None) -> None:
    assert parse_flag(cell) is expected


def test_a_flag_that_is_neither_yes_nor_no_is_a_problem() -> None:
    with pytest.raises(ValueProblem, match="not Yes or No"):
        parse_flag("Maybe")


@pytest.mark.parametrize(("cell", "expected"), [
    (16, 16), (16.0, 16), ("16", 16), ("16 - Evidential difficulties", 16), ("Outcome 16", 16),
    ("OC16", 16), ("HO Outcome 1", 1), ("", None), (None, None),
])
def test_outcome_codes(cell: object, expected: int | None) -> None:
    assert parse_integer(cell) == expected


@pytest.mark.parametrize("cell", ["sixteen", 16.5, True, "N/A"])
def test_outcome_codes_that_are_not_whole_numbers(cell: object) -> None:
    with pytest.raises(ValueProblem):
        parse_integer(cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("Standard", "standard"), ("STD", "standard"), ("medium", "medium"), ("Med", "medium"),
    ("High", "high"), ("High risk", "high"), ("H", "high"), ("", None),
])
def test_risk_levels(cell: object, expected: str | None) -> None:
    assert parse_risk(cell) == expected


@pytest.mark.parametrize("cell", ["Extreme", "Low", "5"])
def test_risk_outside_the_scale_names_the_scale(cell: object) -> None:
    with pytest.raises(ValueProblem, match=r"outside the scale \(standard, medium, high\)"):
        parse_risk(cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("Yes", "yes"), ("Never", "never"), ("No", "never"), ("Withdrawn", "withdrawn"),
    ("withdrew", "withdrawn"), ("Does not  support", "never"), ("", None),
])
def test_victim_support(cell: object, expected: str | None) -> None:
    assert parse_support(cell) == expected


def test_unknown_victim_support_is_a_problem() -> None:
    with pytest.raises(ValueProblem, match="yes, never, withdrawn"):
        parse_support("Sometimes")


@pytest.mark.parametrize(("cell", "expected"), [
    (None, ""), ("  text ", "text"), (123.0, "123"), (12.5, "12.5"), (True, "TRUE"),
    (dt.datetime(2024, 3, 5), "2024-03-05"), (dt.datetime(2024, 3, 5, 9, 30), "2024-03-05 09:30"),
    (MARCH_5, "2024-03-05"),
])
def test_cell_text_shows_what_a_person_reads(cell: object, expected: str) -> None:
    assert cell_text(cell) == expected


def test_numeric_references_lose_the_float_tail() -> None:
    assert parse_text(1234.0) == "1234"
    assert parse_text("   ") is None
