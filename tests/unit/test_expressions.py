"""The condition language used by applicability rules and sampling scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.case_fields import CASE_FIELDS, FIELD_KEYS
from audit_app.core.expressions import ExpressionError, compile_condition, describe_condition

CASE = {
    "outcome_code": 16, "risk_level": "High", "victim_supports": "withdrawn",
    "interviewed": True, "arrested": False, "area": "North", "marac_referral": None,
    "date_finalised": dt.date(2026, 3, 14), "crime_date": dt.datetime(2026, 1, 2, 22, 15),
}


@pytest.mark.parametrize(("condition", "expected"), [
    ("outcome_code == 16", True),
    ("outcome_code = 16", True),
    ("outcome_code != 16", False),
    ("outcome_code < 17", True),
    ("outcome_code <= 15", False),
    ("outcome_code > 15", True),
    ("outcome_code >= 17", False),
    ("outcome_code == '16'", True),
    ("risk_level == 'high'", True),          # text compares without case
    ('risk_level == "HIGH"', True),
    ("area == North", True),                 # a bare word is text
    ("outcome_code in (14, 15, 16)", True),
    ("outcome_code in [9, 10]", False),
    ("outcome_code not in (14, 18)", True),
    ("victim_supports in ('never', 'withdrawn')", True),
    ("victim_supports not in ('never', 'withdrawn')", False),
    ("interviewed == true", True),
    ("interviewed == yes", True),
    ("interviewed == 'yes'", True),
    ("arrested == 'no'", True),
    ("arrested == false", True),
    ("marac_referral == null", True),
    ("marac_referral == true", False),
    ("missing_field == null", True),
    ("date_finalised >= 2026-01-01", True),
    ("date_finalised < 2026-03-14", False),
    ("crime_date == 2026-01-02", True),       # a date-time compares by its date
    ("date_finalised > 2026-01-01 and date_finalised < 2026-12-31", True),
    ("marac_referral > 3", False),           # nothing orders against an empty value
    ("risk_level > 3", False),               # nor text against a number
    ("interviewed == true and victim_supports != 'withdrawn'", False),
    ("outcome_code == 9 or risk_level == 'high'", True),
    ("not outcome_code == 16", False),
    ("not (outcome_code == 9 or area == 'South')", True),
    ("outcome_code == 9 or area == 'North' and risk_level == 'standard'", False),
    ("(outcome_code == 9 or area == 'North') and risk_level == 'high'", True),
    ("", True),
    ("   ", True),
])
def test_conditions_evaluate(condition: str, expected: bool) -> None:
    assert compile_condition(condition)(CASE) is expected


def test_and_binds_tighter_than_or() -> None:
    rule = compile_condition("area == 'South' and outcome_code == 1 or outcome_code == 16")
    assert rule(CASE)
    assert not rule({**CASE, "outcome_code": 2})


@pytest.mark.parametrize(("condition", "message"), [
    ("outcome_code ==", "ends too soon"),
    ("outcome_code 16", "Expected a comparison after 'outcome_code'"),
    ("outcome_code in 16", "Expected a list in brackets"),
    ("outcome_code in (16", "ends too soon"),
    ("outcome_code in (16; 17)", "Cannot read the condition"),
    ("outcome_code in ()", "Expected a value"),
    ("(outcome_code == 16", "ends too soon"),
    ("outcome_code == 16)", "Unexpected ')'"),
    ("outcome_code == 16 risk_level", "Unexpected 'risk_level'"),
    ("16 == outcome_code", "Expected a field name"),
    ("outcome_code not == 16", "'not' must be followed by 'in'"),
    ("outcome_code ~ 16", "Cannot read the condition"),
    ("and", "ends too soon"),
    ("outcome_code == 16 and", "ends too soon"),
])
def test_bad_conditions_say_what_is_wrong(condition: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(message)):
        compile_condition(condition)


def test_unknown_field_is_refused_with_a_suggestion() -> None:
    with pytest.raises(ExpressionError, match=r"Unknown field 'risk_levl'.*did you mean 'risk_level'"):
        compile_condition("risk_levl == 'high'", fields=set(FIELD_KEYS))
    assert compile_condition("risk_level == 'high'", fields=set(FIELD_KEYS))(CASE)


def test_expression_error_is_a_user_error() -> None:
    from audit_app.core.errors import UserError

    assert issubclass(ExpressionError, UserError)


@given(st.integers(min_value=-10_000, max_value=10_000), st.integers(min_value=-10_000, max_value=10_000))
def test_comparisons_agree_with_python(value: int, bound: int) -> None:
    record = {"outcome_code": value}
    assert compile_condition(f"outcome_code < {bound}")(record) is (value < bound)
    assert compile_condition(f"outcome_code >= {bound}")(record) is (value >= bound)
    assert compile_condition(f"outcome_code == {bound}")(record) is (value == bound)
    assert compile_condition(f"not outcome_code != {bound}")(record) is (value == bound)


@given(st.lists(st.integers(min_value=1, max_value=22), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=22))
def test_in_and_not_in_are_opposites(codes: list[int], value: int) -> None:
    listed = ", ".join(str(c) for c in codes)
    record = {"outcome_code": value}
    inside = compile_condition(f"outcome_code in ({listed})")(record)
    outside = compile_condition(f"outcome_code not in ({listed})")(record)
    assert inside is (value in codes)
    assert outside is (not inside)


@pytest.mark.parametrize(("condition", "words"), [
    ("risk_level == 'high' or risk_level == null", "Risk level is high or Risk level is not recorded"),
    ("victim_supports in ('never', 'withdrawn')", "Victim supports action is one of never, withdrawn"),
    ("outcome_code not in [14, 18]", "Outcome code is not one of 14, 18"),
    ("(interviewed == true or interviewed == null) and elp_flag != false",
     "(Interviewed under caution is yes or Interviewed under caution is not recorded) and "
     "Evidence-led prosecution is not no"),
    ("date_finalised >= 2026-01-01 and outcome_code < 17",
     "Date finalised is on or after 1 Jan 2026 and Outcome code is below 17"),
    ("not (area == North)", "it is not the case that (Area is North)"),
    ("custom_field = 3", "custom field is 3"),
])
def test_conditions_read_in_plain_words(condition: str, words: str) -> None:
    labels = {f.key: f.label for f in CASE_FIELDS}
    assert describe_condition(condition, labels) == words


def test_describing_a_bad_condition_says_what_is_wrong() -> None:
    with pytest.raises(ExpressionError, match="ends too soon"):
        describe_condition("risk_level ==")


def test_condition_fields_names_every_field_a_condition_reads() -> None:
    from audit_app.core.expressions import condition_fields

    assert condition_fields("") == frozenset()
    assert condition_fields("outcome_code in (14, 16) and not (area == North or da_flag == yes)"
                            " or date_finalised >= 2026-01-01") == \
        {"outcome_code", "area", "da_flag", "date_finalised"}
