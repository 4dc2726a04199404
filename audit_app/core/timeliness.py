"""How long a case took, measured from the extract's own dates.

The panel judges timeliness criteria (the victim told of the decision within the time the
Victims' Code sets, for one) against intervals it can see rather than work out by hand.
Each interval runs between two canonical date fields; one with a standard says whether the
case met it. Working days count Monday to Friday after the first date (bank holidays are
not known to the app, so are not taken out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.dates import working_days_between
from audit_app.core.wording import plural

# The Victims' Code (2020), right 6: victims entitled to enhanced rights, which victims of
# domestic abuse are, are told of a decision not to prosecute within one working day.
VICTIM_TOLD_WORKING_DAYS = 1
VICTIMS_CODE = "Victims' Code (2020), right 6"


@dataclass(frozen=True)
class IntervalRule:
    """An interval between two of a case's dates, and the standard it is held to if any."""

    label: str
    start_field: str
    end_field: str
    limit_working_days: int | None = None
    standard: str = ""  # where the limit comes from, in words


INTERVAL_RULES: tuple[IntervalRule, ...] = (
    IntervalRule("Offence to recording", "crime_date", "date_recorded"),
    IntervalRule("Recording to finalisation", "date_recorded", "date_finalised"),
    IntervalRule("Recording to charge", "date_recorded", "charge_date"),
    IntervalRule("Finalisation to the victim being told", "date_finalised",
                 "nfa_notification_date", VICTIM_TOLD_WORKING_DAYS, VICTIMS_CODE),
)


@dataclass(frozen=True)
class MeasuredInterval:
    rule: IntervalRule
    days: int
    working_days: int

    @property
    def in_order(self) -> bool:
        """False when the later date comes first in the extract (a data problem to check)."""
        return self.days >= 0

    @property
    def within_standard(self) -> bool | None:
        """None where the interval has no standard or its dates are out of order."""
        if self.rule.limit_working_days is None or not self.in_order:
            return None
        return self.working_days <= self.rule.limit_working_days

    @property
    def reading(self) -> str:
        """'3 working days (5 days): later than the 1 working day the Victims' Code ... sets'."""
        rule = self.rule
        if not self.in_order:
            return (f"{FIELDS_BY_KEY[rule.end_field].label} is {plural(-self.days, 'day')} "
                    f"before {FIELDS_BY_KEY[rule.start_field].label.lower()}: check the extract")
        text = (f"{plural(self.working_days, 'working day')} ({plural(self.days, 'day')})"
                if rule.limit_working_days is not None else plural(self.days, "day"))
        if self.within_standard is None:
            return text
        limit = plural(rule.limit_working_days or 0, "working day")
        verdict = "within" if self.within_standard else "later than"
        return f"{text}: {verdict} the {limit} the {rule.standard} sets"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def case_intervals(fields: dict[str, Any]) -> list[MeasuredInterval]:
    """The intervals a case's dates allow (both dates present), in the rules' order."""
    measured = []
    for rule in INTERVAL_RULES:
        start, end = _as_date(fields.get(rule.start_field)), _as_date(fields.get(rule.end_field))
        if start is None or end is None:
            continue
        measured.append(MeasuredInterval(rule, (end - start).days,
                                         working_days_between(start, end)))
    return measured
