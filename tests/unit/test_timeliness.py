"""Intervals from the extract's dates, as the review screen shows them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.timeliness import INTERVAL_RULES, case_intervals

FRIDAY = dt.date(2026, 11, 6)


def _told(finalised: dt.date, told: dt.date) -> str:
    (measured,) = case_intervals({"date_finalised": finalised, "nfa_notification_date": told})
    return measured.reading


def test_told_the_next_working_day_is_within_the_victims_code() -> None:
    assert _told(FRIDAY, FRIDAY + dt.timedelta(days=3)) == (
        "1 working day (3 days): within the 1 working day the Victims' Code (2020), right 6 sets")


def test_told_a_week_later_is_later_than_the_standard() -> None:
    assert _told(FRIDAY, FRIDAY + dt.timedelta(days=7)).startswith(
        "5 working days (7 days): later than the 1 working day")


def test_dates_out_of_order_are_named_not_measured() -> None:
    text = _told(FRIDAY, FRIDAY - dt.timedelta(days=2))
    assert text == "NFA notification date is 2 days before date finalised: check the extract"


def test_only_intervals_with_both_dates_are_shown() -> None:
    fields = {"crime_date": dt.date(2026, 1, 1), "date_recorded": dt.datetime(2026, 1, 2, 9, 30),
              "date_finalised": None, "charge_date": ""}
    (measured,) = case_intervals(fields)
    assert measured.rule.label == "Offence to recording" and measured.reading == "1 day"
    assert case_intervals({}) == []


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)),
       st.integers(min_value=-400, max_value=400))
def test_working_days_never_exceed_days_and_keep_the_standard_consistent(
        start: dt.date, offset: int) -> None:
    end = start + dt.timedelta(days=offset)
    for rule in INTERVAL_RULES:  # one rule at a time: a field ends one interval, starts another
        (measured,) = case_intervals({rule.start_field: start, rule.end_field: end})
        assert measured.days == offset
        assert abs(measured.working_days) <= abs(measured.days)
        assert abs(measured.days) - abs(measured.working_days) <= 2 * (abs(offset) // 7 + 1)
        if measured.rule.limit_working_days is not None and offset >= 0:
            assert measured.within_standard is (measured.working_days <= 1)
        if offset < 0:
            assert measured.within_standard is None and "check the extract" in measured.reading
