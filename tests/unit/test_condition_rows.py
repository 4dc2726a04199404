"""Condition rows (the builder's pick-lists) and the expression text they stand for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.case_fields import FIELDS_BY_KEY, FieldKind
from audit_app.core.condition_rows import (
    ROW_FIELDS,
    ConditionRow,
    ConditionRows,
    Join,
    NotRows,
    RowTest,
    expression_to_rows,
    row_tests_for,
    rows_to_expression,
)
from audit_app.core.expressions import ExpressionError, compile_condition

# Text values as a population holds them: the expression compares text without regard to
# case, so the pool is lower case; one holds a quotation mark, some look like numbers.
_TEXT_POOL = ("north", "south", "east and west", "o'brien team", "16", "high", "never",
              "2024-01-05", "true", "not in")
_DATE_POOL = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2025, 12, 31))
_INT_POOL = st.integers(min_value=-3, max_value=30)


def _value(kind: FieldKind) -> st.SearchStrategy[Any]:
    if kind is FieldKind.FLAG:
        return st.booleans()
    if kind is FieldKind.INTEGER:
        return _INT_POOL
    if kind is FieldKind.DATE:
        return _DATE_POOL
    return st.sampled_from(_TEXT_POOL)


@st.composite
def condition_row(draw: st.DrawFn) -> ConditionRow:
    field = draw(st.sampled_from(ROW_FIELDS))
    kind = FIELDS_BY_KEY[field].kind
    test = draw(st.sampled_from(row_tests_for(kind)))
    if test.takes_values:
        values = tuple(draw(st.lists(_value(kind), min_size=1, max_size=4, unique=True)))
    elif test.takes_one_value:
        values = (draw(_value(kind)),)
    else:
        values = ()
    return ConditionRow(field, test, values)


conditions = st.builds(ConditionRows, st.lists(condition_row(), min_size=0, max_size=4).map(tuple),
                       st.sampled_from(Join))


def case_record(fields: set[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A case holding the fields a condition reads (any other field cannot matter)."""
    return st.fixed_dictionaries(
        {key: st.none() | _value(FIELDS_BY_KEY[key].kind) for key in sorted(fields)})


def _row_means(row: ConditionRow, case: dict[str, Any]) -> bool:
    """What a row says, in plain Python (independent of the expression language)."""
    value = case.get(row.field)
    if row.test is RowTest.BLANK:
        return value is None
    if row.test is RowTest.NOT_BLANK:
        return value is not None
    if row.test is RowTest.ONE_OF:
        return value is not None and value in row.values
    if row.test is RowTest.NOT_ONE_OF:
        return value is None or value not in row.values
    if value is None:
        return False
    limit = row.values[0]
    return {RowTest.BEFORE: value < limit, RowTest.AFTER: value > limit,
            RowTest.AT_LEAST: value >= limit, RowTest.AT_MOST: value <= limit}[row.test]


def _rows_mean(condition: ConditionRows, case: dict[str, Any]) -> bool:
    results = [_row_means(row, case) for row in condition.rows]
    if not results:
        return True
    return all(results) if condition.join is Join.ALL else any(results)


@settings(max_examples=200, deadline=None)
@given(conditions, st.data())
def test_rows_to_text_and_back_is_the_identity_and_selects_what_the_rows_mean(
        condition: ConditionRows, data: st.DataObject) -> None:
    text = rows_to_expression(condition)
    read_back = expression_to_rows(text)
    assert read_back.rows == condition.rows
    if len(condition.rows) > 1:
        assert read_back.join is condition.join
    predicate = compile_condition(text, fields=set(FIELDS_BY_KEY))
    fields = {row.field for row in condition.rows}
    for case in data.draw(st.lists(case_record(fields), min_size=1, max_size=8)):
        assert predicate(case) == _rows_mean(condition, case), (text, case)


@pytest.mark.parametrize(("text", "rows"), [
    ("outcome_code in (15, 16)", (ConditionRow("outcome_code", RowTest.ONE_OF, (15, 16)),)),
    ("risk_level == 'high'", (ConditionRow("risk_level", RowTest.ONE_OF, ("high",)),)),
    ("da_flag == true", (ConditionRow("da_flag", RowTest.ONE_OF, (True,)),)),
    ("area != North", (ConditionRow("area", RowTest.NOT_ONE_OF, ("North",)),)),
    ("charge_date == null", (ConditionRow("charge_date", RowTest.BLANK),)),
    ("crime_date >  2024-01-01 and outcome_code >= 9",
     (ConditionRow("crime_date", RowTest.AFTER, (dt.date(2024, 1, 1),)),
      ConditionRow("outcome_code", RowTest.AT_LEAST, (9,)))),
])
def test_hand_written_expressions_read_as_rows(text: str, rows: tuple[ConditionRow, ...]) -> None:
    assert expression_to_rows(text).rows == rows


@pytest.mark.parametrize(("text", "reason"), [
    ("not arrested == true", "not"),
    ("(risk_level == 'high' or marac_referral == true) and arrested == true", "brackets"),
    ("risk_level == 'high' or arrested == true and dvpn == true", "mixes"),
    ("victim_name == 'x'", "no pick-list"),
    ("crime_date == 2024-01-01", "do not offer"),
    ("crime_date < 5", "do not offer"),
])
def test_what_rows_cannot_show_is_said(text: str, reason: str) -> None:
    with pytest.raises(NotRows) as caught:
        expression_to_rows(text)
    assert reason in caught.value.reason


def test_a_broken_expression_is_an_expression_error_and_no_rows_is_every_case() -> None:
    with pytest.raises(ExpressionError):
        expression_to_rows("outcome_code in (16")
    assert expression_to_rows("  ").rows == ()
    assert rows_to_expression(ConditionRows(())) == ""
    with pytest.raises(ExpressionError):
        rows_to_expression(ConditionRows((ConditionRow("area", RowTest.ONE_OF, ()),)))
