"""Classifying extract columns as personal, free text or other, from headers and values."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.column_privacy import (
    ColumnClass,
    classify_column,
    classify_columns,
    column_classes,
    header_hint,
)

TODAY = dt.date(2026, 6, 1)
NEUTRAL_HEADERS = st.sampled_from(["Field 7", "Extra", "Column K", "Data", "Value", "Ref 2"])
PERSONAL = ColumnClass.PERSONAL


def _classify(header: str, values: list[object]) -> tuple[ColumnClass, str]:
    column = classify_column(header, values, today=TODAY)
    return column.classification, column.reason


@pytest.mark.parametrize(("header", "expected", "reason_part"), [
    ("Victim DOB", PERSONAL, "date of birth"), ("D.O.B.", PERSONAL, "date of birth"),
    ("Date of Birth", PERSONAL, "date of birth"), ("Home Address", PERSONAL, "an address"),
    ("Postcode", PERSONAL, "an address"), ("Mobile No", PERSONAL, "phone numbers"),
    ("Tel", PERSONAL, "phone numbers"), ("E-mail", PERSONAL, "email addresses"),
    ("NI Number", PERSONAL, "identity numbers"), ("PNC ID", PERSONAL, "identity numbers"),
    ("Passport", PERSONAL, "identity numbers"), ("Driving Licence", PERSONAL, "identity numbers"),
    ("Suspect Surname", PERSONAL, "names of people"), ("Witness", PERSONAL, "names of people"),
    ("Informant", PERSONAL, "names of people"),
    ("Comments", ColumnClass.FREE_TEXT, "notes"), ("MO", ColumnClass.FREE_TEXT, "notes"),
    ("Officer Notes", ColumnClass.FREE_TEXT, "notes"),
])
def test_headers_alone(header: str, expected: ColumnClass, reason_part: str) -> None:
    hint = header_hint(header)
    assert hint is not None and hint[0] is expected and reason_part in hint[1]
    assert _classify(header, [])[0] is expected


@pytest.mark.parametrize("header", ["Ward", "Station Name", "Team Name", "Beat", "Crime Category",
                                    "Month", "Nameless"])
def test_ordinary_headers_say_nothing(header: str) -> None:
    assert header_hint(header) is None


digits = st.text("0123456789", min_size=1, max_size=1)
uk_mobiles = st.builds(lambda body, spaced: f"07{body[:3]} {body[3:]}" if spaced else f"07{body}",
                       st.text("0123456789", min_size=9, max_size=9), st.booleans())
uk_landlines = st.builds(lambda area, rest: f"01{area} {rest}",
                         st.text("0123456789", min_size=3, max_size=3),
                         st.text("0123456789", min_size=6, max_size=6))
letters = st.text("ABCDEFGHJKLMNOPRSTUWYZ", min_size=1, max_size=2)
postcodes = st.builds(lambda area, district, sector, unit: f"{area}{district} {sector}{unit}",
                      letters, st.integers(1, 99), st.integers(0, 9),
                      st.text("ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2))
emails = st.builds(lambda local, domain: f"{local}@{domain}.co.uk",
                   st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z]", fullmatch=True),
                   st.from_regex(r"[a-z]{2,10}", fullmatch=True))
ni_numbers = st.builds(lambda prefix, number, suffix: f"{prefix}{number:06d}{suffix}",
                       st.sampled_from(["AB", "CE", "JG", "ST", "WY"]), st.integers(0, 999_999),
                       st.sampled_from("ABCD"))
name_words = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True).filter(
    lambda word: word not in {"Team", "North", "South", "East", "West", "Unit", "Area"})
people = st.builds(lambda first, last, title: f"{title}{first} {last}", name_words, name_words,
                   st.sampled_from(["", "Mr ", "Ms ", "DC "]))
birth_dates = st.dates(dt.date(1930, 1, 1), dt.date(2005, 12, 31))


@settings(max_examples=60, deadline=None)
@given(header=NEUTRAL_HEADERS,
       values_and_what=st.one_of(
           st.tuples(st.lists(uk_mobiles, min_size=1, max_size=30), st.just("phone numbers")),
           st.tuples(st.lists(uk_landlines, min_size=1, max_size=30), st.just("phone numbers")),
           st.tuples(st.lists(postcodes, min_size=1, max_size=30), st.just("postcodes")),
           st.tuples(st.lists(emails, min_size=1, max_size=30), st.just("email addresses")),
           st.tuples(st.lists(ni_numbers, min_size=1, max_size=30), st.just("identity numbers")),
           st.tuples(st.lists(people, min_size=1, max_size=30, unique=True), st.just("names")),
           st.tuples(st.lists(birth_dates, min_size=1, max_size=30), st.just("dates of birth"))),
       blanks=st.integers(0, 5))
def test_personal_values_make_a_personal_column(header: str,
                                                values_and_what: tuple[list[object], str],
                                                blanks: int) -> None:
    values, what = values_and_what
    classification, reason = _classify(header, [*values, *[""] * blanks])
    assert classification is PERSONAL
    assert reason.startswith("Looks personal: values look like") and what in reason


@settings(max_examples=40, deadline=None)
@given(header=NEUTRAL_HEADERS,
       sentences=st.lists(st.lists(st.from_regex(r"[a-z]{2,9}", fullmatch=True), min_size=7,
                                   max_size=30).map(" ".join), min_size=2, max_size=20, unique=True))
def test_long_varied_prose_is_free_text(header: str, sentences: list[str]) -> None:
    assert _classify(header, list(sentences)) == (ColumnClass.FREE_TEXT,
                                                  "Free text: values are long, varied writing")


@settings(max_examples=40, deadline=None)
@given(header=NEUTRAL_HEADERS,
       values=st.lists(st.sampled_from(["W1", "W2", "North", "Yes", "No", "Standard", "3", "",
                                        "Response Team", "Common Assault"]), max_size=50),
       recent=st.lists(st.dates(dt.date(2020, 1, 1), TODAY), max_size=10))
def test_codes_categories_and_recent_dates_are_other(header: str, values: list[object],
                                                     recent: list[dt.date]) -> None:
    assert _classify(header, values)[0] is ColumnClass.OTHER
    assert _classify(header, list(recent))[0] is ColumnClass.OTHER


@settings(max_examples=60, deadline=None)
@given(header=st.text(max_size=40), values=st.lists(st.one_of(
    st.text(max_size=80), st.integers(), st.floats(allow_nan=False), st.none(), st.dates(),
    st.booleans()), max_size=40), forced=st.booleans())
def test_any_column_gets_a_class_and_a_reason_that_quotes_no_value(
        header: str, values: list[object], forced: bool) -> None:
    column = classify_column(header, values, forced_personal=forced, today=TODAY)
    assert column.classification in set(ColumnClass)
    assert column.reason and "_" not in column.reason
    assert not any(isinstance(v, str) and len(v) >= 8 and v in column.reason for v in values)
    if forced:
        assert column.classification is PERSONAL


@given(values=st.lists(uk_mobiles, max_size=10))
def test_mapped_fields_keep_their_own_meaning(values: list[object]) -> None:
    headers = ["Crime Ref", "Outcome", "Victim", "OIC", "Offender"]
    mapping = {"reference": "Crime Ref", "outcome_code": "Outcome", "victim_name": "Victim",
               "officer": "OIC", "suspect_name": "Offender"}
    rows = [[value] * len(headers) for value in values]  # values say nothing about mapped fields
    columns = {c.column: c for c in classify_columns(headers, rows, mapping, today=TODAY)}
    assert columns["Crime Ref"].known_safe and columns["Outcome"].known_safe
    assert columns["Crime Ref"].classification is ColumnClass.OTHER
    for name in ("Victim", "OIC", "Offender"):
        assert columns[name].classification is PERSONAL and not columns[name].known_safe
        assert not columns[name].may_be_marked_shareable
    assert "Officer names" in columns["OIC"].reason
    assert column_classes(list(columns.values()))["Victim"] == "personal"


def test_unmapped_columns_are_classified_from_their_own_values() -> None:
    headers = ["Crime Ref", "Contact", "Summary", "Beat"]
    rows = [[f"CR/{n}", f"07700 900{n:03d}", f"Attended the address and spoke with the caller "
             f"about incident {n}", "B1"] for n in range(30)]
    columns = classify_columns(headers, rows, {"reference": "Crime Ref"}, today=TODAY)
    assert column_classes(columns) == {"Crime Ref": "other", "Contact": "personal",
                                       "Summary": "free text", "Beat": "other"}
    assert [c.may_be_marked_shareable for c in columns] == [False, False, True, True]
