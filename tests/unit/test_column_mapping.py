"""Matching extract headers to case fields, and finding the header row."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.column_mapping import (
    check_mapping,
    column_letter,
    find_header_row,
    header_names,
    merge_mappings,
    normalise_header,
)
from audit_app.core.column_mapping import suggest_mapping as suggest_with
from audit_app.core.column_mapping import suggest_personal_columns as suggest_personal_with
from audit_app.core.errors import ValidationError
from audit_app.io.extract_synonyms import _shipped, header_synonyms

SYNONYMS = header_synonyms()


def field_for_header(header: str) -> str | None:
    return SYNONYMS.field_for(header)


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    return suggest_with(headers, SYNONYMS)


def suggest_personal_columns(headers: list[str]) -> list[str]:
    return suggest_personal_with(headers, SYNONYMS)


@pytest.mark.parametrize(("header", "field"), [
    ("Crime Ref", "reference"), ("URN", "reference"), ("Occurrence No", "reference"),
    ("CRIME_REF.", "reference"), ("HO Outcome", "outcome_code"), ("Risk Grading", "risk_level"),
    ("DASH Risk", "risk_level"), ("Date Finalised", "date_finalised"), ("OIC", "officer"),
    ("BCU", "area"), ("Children's Services Referral", "children_referral"),
    ("Victim Name", "victim_name"), ("Body-Worn Video", "bwv_present"),
])
def test_common_header_variants_are_recognised(header: str, field: str) -> None:
    assert field_for_header(header) == field


def test_every_shipped_heading_maps_to_its_own_field() -> None:
    shipped = _shipped()
    for key, headings in shipped.items():
        for heading in headings:
            found = field_for_header(heading)
            assert found is not None
            # A heading listed under two fields goes to the first listed; none is lost.
            assert found == key or normalise_header(heading) in {
                normalise_header(h) for h in shipped[found]}


def test_normalising_ignores_case_punctuation_and_spacing() -> None:
    assert normalise_header("  Crime_Ref. ") == normalise_header("crime ref") == "crime ref"


def test_suggestion_takes_the_first_matching_header_and_ignores_unknowns() -> None:
    headers = ["URN", "Crime Ref", "Ward", "HO Outcome"]
    assert suggest_mapping(headers) == {"reference": "URN", "outcome_code": "HO Outcome"}


def test_personal_columns_are_suggested_by_header() -> None:
    headers = ["Crime Ref", "Victim Name", "Suspect", "Home Address", "DOB", "Date of Birth",
               "Contact Phone", "Email", "Postcode", "Team Name", "Outcome", "Offence Description",
               "Supervisor Comments", "MO Text"]
    assert suggest_personal_columns(headers) == [
        "Victim Name", "Suspect", "Home Address", "DOB", "Date of Birth", "Contact Phone", "Email",
        "Postcode", "Supervisor Comments", "MO Text"]


def test_user_mapping_overrides_the_guess_and_moves_a_column() -> None:
    headers = ["Crime Ref", "URN", "Risk", "Outcome"]
    merged = merge_mappings(headers, suggest_mapping(headers), None,
                            {"reference": "URN", "risk_tool": "Risk"})
    assert merged == {"reference": "URN", "risk_tool": "Risk", "outcome_code": "Outcome"}


def test_an_empty_header_unmaps_a_field() -> None:
    headers = ["Crime Ref", "Outcome"]
    assert merge_mappings(headers, suggest_mapping(headers), {"outcome_code": ""}) == {
        "reference": "Crime Ref"}


def test_saved_profile_entries_for_absent_columns_are_dropped_but_user_ones_refused() -> None:
    headers = ["Crime Ref"]
    assert merge_mappings(headers, {}, {"officer": "OIC"}, None) == {}
    with pytest.raises(ValidationError, match="no column 'OIC' for Officer in case"):
        merge_mappings(headers, {}, None, {"officer": "OIC"})
    with pytest.raises(ValidationError, match="'colour' is not a case field"):
        merge_mappings(headers, {}, None, {"colour": "Crime Ref"})


def test_a_mapping_needs_a_reference_and_one_field_per_column() -> None:
    with pytest.raises(ValidationError, match="Crime reference"):
        check_mapping({"outcome_code": "Outcome"})
    with pytest.raises(ValidationError, match="mapped to both"):
        check_mapping({"reference": "Ref", "team": "Ref"})
    check_mapping({"reference": "Ref"})


def test_header_names_are_unique_and_never_blank() -> None:
    assert header_names(["Date", "", "Date", " Date ", "Crime  Ref"], first_column=1) == [
        "Date", "Column C", "Date (2)", "Date (3)", "Crime Ref"]


@given(st.integers(min_value=0, max_value=20_000))
def test_column_letters_count_like_a_spreadsheet(index: int) -> None:
    letters = column_letter(index)
    value = 0
    for letter in letters:
        value = value * 26 + ord(letter) - 64
    assert value - 1 == index


def test_header_found_under_title_rows() -> None:
    rows = [["Domestic abuse crimes Q3"], ["Extracted 01/10/2025", ""],
            ["Crime Ref", "Outcome", "Risk"], ["A/1", 16.0, "High"]]
    assert find_header_row(rows, SYNONYMS) == 2


def test_unknown_headers_are_taken_from_the_first_full_width_text_row() -> None:
    rows = [["Report"], ["Alpha", "Beta", "Gamma"], ["1", "2", "3"]]
    assert find_header_row(rows, SYNONYMS) == 1


def test_rows_of_data_alone_have_no_header() -> None:
    rows = [["A/1", 16.0, dt.date(2024, 1, 1)], ["A/2", 10.0, dt.date(2024, 1, 2)]]
    assert find_header_row(rows, SYNONYMS) is None


@given(st.text(max_size=40))
def test_matching_ignores_case_and_punctuation_whatever_the_heading(heading: str) -> None:
    assert normalise_header(normalise_header(heading)) == normalise_header(heading)
    shouted = heading.upper()
    if normalise_header(shouted) == normalise_header(heading.lower()):  # ASCII-like headings
        assert field_for_header(shouted) == field_for_header(heading.lower())


@given(st.sampled_from(sorted({h for hs in _shipped().values() for h in hs})),
       st.sampled_from([" ", "_", ".", " - ", "  "]))
def test_a_shipped_heading_matches_however_it_is_spaced(heading: str, gap: str) -> None:
    assert field_for_header(gap + heading.upper().replace(" ", gap) + gap) == field_for_header(heading)
