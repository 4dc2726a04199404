"""Dates as the panel reads them: stored UTC times to local calendar days, and days in words."""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"  # "2 January 2027"


def local_date(moment: dt.datetime | None) -> dt.date | None:
    """The panel's calendar date of a stored UTC time (SQLite hands it back naive)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone().date()


def on_date(day: dt.date | None) -> str:
    """' on 2 January 2027', or nothing when the day is not known."""
    return f" on {long_date(day)}" if day else ""


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (negative if earlier)."""
    if end < start:
        return -working_days_between(end, start)
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5
    weekday = start.weekday()
    for step in range(1, extra + 1):
        if (weekday + step) % 7 < 5:
            count += 1
    return count
