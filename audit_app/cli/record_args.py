"""What the panel-record commands (action, escalation, request, theme) share: a date read
from the command line, and a day as people read it."""

from __future__ import annotations

import datetime as dt

from audit_app.core.dates import long_date
from audit_app.core.errors import UserError


def parse_day(text: str | None, what: str = "date") -> dt.date | None:
    """`YYYY-MM-DD`, or None when not given; a bad date is the user's to fix (exit 2)."""
    if text is None or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"The {what} '{text}' is not a date like 2027-03-31") from None


def shown_day(day: dt.date | None) -> str:
    return long_date(day) if day else ""
