"""Dates held in personal columns, found in notes however they are written.

A date of birth held as "1990-05-01" may be noted as "1/5/90", "01.05.1990", "1st May 1990"
or "May 1, 1990". Every date-shaped stretch of a note is read as a calendar date and looked
up among the held ones, so a whole population's dates cost one set, not every spelling.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH_NUMBERS = {**{name: n for n, name in enumerate(_MONTHS, 1)},
                  **{name[:3]: n for n, name in enumerate(_MONTHS, 1)}, "sept": 9}
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december" \
         r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_HELD = re.compile(
    r"(?:(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})(?:[ T][\d:.]+)?"
    r"|(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2}))$"
)
_IN_TEXT = re.compile(
    r"(?<![\w/.-])(?:"
    r"(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})"
    r"|(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})"
    rf"|(?P<named_day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_name>{_MONTH}),?\s+(?P<named_year>\d{{4}}|\d{{2}})"
    rf"|(?P<month_first>{_MONTH})\s+(?P<day_second>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year_last>\d{{4}})"
    r")(?![\w/])",
    re.IGNORECASE,
)


def held_date(value: str) -> datetime.date | None:
    """The calendar date a personal column's value holds, if it is a date (day first)."""
    found = _HELD.match(value.strip())
    if found is None:
        return None
    if found.group("iso_year"):
        return _date(found.group("iso_year"), found.group("iso_month"), found.group("iso_day"))
    return _date(found.group("year"), found.group("month"), found.group("day"))


def dates_in(text: str) -> Iterator[tuple[int, int, set[datetime.date]]]:
    """Each date-shaped stretch of `text`: start, end, and the dates it may mean."""
    for found in _IN_TEXT.finditer(text):
        if found.group("iso_year"):
            parts = found.group("iso_year"), found.group("iso_month"), found.group("iso_day")
        elif found.group("day"):
            parts = found.group("year"), found.group("month"), found.group("day")
        elif found.group("named_day"):
            parts = (found.group("named_year"), _month_number(found.group("month_name")),
                     found.group("named_day"))
        else:
            parts = (found.group("year_last"), _month_number(found.group("month_first")),
                     found.group("day_second"))
        year, month, day = parts
        candidates = {d for y in _centuries(year) if (d := _date(y, month, day)) is not None}
        if candidates:
            yield found.start(), found.end(), candidates


def _month_number(name: str) -> str:
    return str(_MONTH_NUMBERS[name.lower().rstrip(".")])


def _centuries(year: str) -> tuple[str, ...]:
    return (year,) if len(year) == 4 else ("19" + year, "20" + year)


def _date(year: str, month: str, day: str) -> datetime.date | None:
    whole_year = int(year)
    if whole_year < 100:  # a held "03/11/88": the most recent such year that is not in the future
        this_year = datetime.date.today().year
        whole_year += 2000 if 2000 + whole_year <= this_year else 1900
    try:
        return datetime.date(whole_year, int(month), int(day))
    except ValueError:
        return None
