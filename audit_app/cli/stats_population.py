"""`audit-app stats`: the short population block after the findings (and `population` in JSON).

`run_stats` hooks in with one line, `output = with_population(output, db, audit_id=...)`:
the picture is read while the database is open, then added to whatever the command prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from audit_app.cli.output import Output
from audit_app.core.population_picture import (
    CALENDAR_DAYS_LIMIT,
    NOT_IN_EXTRACT,
    WORKING_DAYS_LIMIT,
    PopulationPicture,
)
from audit_app.services.database import Database
from audit_app.services.population_picture import get_population_picture

REFERENCES_SHOWN = 10  # the rest are in the workbook's Population sheet


class PopulationOutput(Output):
    """The command's own output, with the population picture added to what it prints."""

    def __init__(self, output: Output, picture: PopulationPicture) -> None:
        super().__init__(as_json=output.as_json, stdout=output.stdout)
        self.picture = picture

    def result(self, payload: Any, text: str | Iterable[str]) -> None:
        if isinstance(payload, dict):
            payload = {**payload, "population": self.picture.to_dict()}
        lines = [text] if isinstance(text, str) else list(text)
        super().result(payload, [*lines, "", *population_text(self.picture)])


def with_population(output: Output, db: Database, *, audit_id: int) -> Output:
    return PopulationOutput(output, get_population_picture(db, audit_id=audit_id))


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def population_text(picture: PopulationPicture) -> list[str]:
    if picture.case_data_deleted is not None:
        return ["Population: " + picture.case_data_deleted]
    lines = [f"Population (every imported case): {picture.cases} cases"]
    if not picture.cases:
        return [*lines, "No cases have been imported."]
    sixteen = picture.outcome_16
    lines.append(f"Outcome 16 (victim does not support or withdrew): {sixteen.count} of "
                 f"{picture.cases} = {_percent(sixteen.share)}")
    lines.append("Outcome mix: " + "; ".join(
        f"{o.code if o.code is not None else 'none'}: {o.count} ({_percent(o.share)})"
        for o in picture.outcomes))
    for rate in picture.rates:
        if not rate.in_extract:
            lines.append(f"{rate.label}: {NOT_IN_EXTRACT}")
        elif rate.interval is None:
            lines.append(f"{rate.label}: no {rate.among} with it recorded")
        else:
            low, high = rate.interval
            lines.append(f"{rate.label}: {rate.count} of {rate.n} {rate.among} recorded = "
                         f"{_percent(rate.rate)} ({_percent(low)}–{_percent(high)})")
    delay = picture.delay
    if not delay.in_extract:
        lines.append(f"Days to tell the victim: {NOT_IN_EXTRACT}")
    elif delay.n:
        lines.append(f"Days to tell the victim: median {delay.median:g} (quartiles "
                     f"{delay.lower_quartile:g}–{delay.upper_quartile:g}) over {delay.n} cases; "
                     f"over {WORKING_DAYS_LIMIT} working days {delay.over_working_days}, over "
                     f"{CALENDAR_DAYS_LIMIT} days {delay.over_calendar_days}")
    else:
        lines.append("Days to tell the victim: no case has both dates")
    for listing in picture.exceptions:
        if not listing.in_extract:
            lines.append(f"{listing.title}: cannot be listed, {NOT_IN_EXTRACT}")
            continue
        shown = ", ".join(listing.references[:REFERENCES_SHOWN])
        more = len(listing.references) - REFERENCES_SHOWN
        lines.append(f"{listing.title}: {listing.count}" + (f" ({shown}" + (
            f" and {more} more)" if more > 0 else ")") if shown else ""))
    return lines
