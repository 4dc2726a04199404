"""The workbook's Population sheet: the picture of every imported case, each figure with n.

One table: outcome mix, rates (with Wilson intervals), days to tell the victim, then the
exception lists. An internal copy lists each exception's reference (pseudonymised when the
copy is); a partner copy carries aggregates only, so its exception rows are counts and no
reference is read into it at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from audit_app.core.copy_rules import PrivacyRules
from audit_app.core.population_picture import (
    CALENDAR_DAYS_LIMIT,
    DELAY_RULE,
    NOT_IN_EXTRACT,
    WORKING_DAYS_LIMIT,
    PopulationPicture,
)
from audit_app.io.workbook_tables import PERCENT, Column, Formatted, TableSheet

COLUMNS = (Column("Part", 20, wrap=True), Column("Item", 44, wrap=True), Column("Count", 9),
           Column("n", 9), Column("Share or rate", 10, PERCENT),
           Column("Rate 95% interval low", 10, PERCENT),
           Column("Rate 95% interval high", 10, PERCENT), Column("Note", 44, wrap=True))
Row = tuple[Any, ...]


def population_sheet(picture: PopulationPicture, rules: PrivacyRules,
                     references: Mapping[str, str]) -> TableSheet:
    """The Population sheet of one copy; `references` maps a reference to its pseudonym."""
    if rules.for_partner:
        picture = picture.without_references()
    rows = list(population_rows(picture, references))
    return TableSheet("Population", COLUMNS, rows, len(rows), mixed_formats=True)


def population_rows(picture: PopulationPicture, references: Mapping[str, str]) -> Iterator[Row]:
    if picture.case_data_deleted is not None:
        yield ("Population", picture.case_data_deleted, None, None, None, None, None, "")
        return
    yield ("Population", "Cases in the imported extract", picture.cases, picture.cases, None,
           None, None, "Every case of the audit, not only the sample")
    sixteen = picture.outcome_16
    yield ("Outcome 16 share", sixteen.label, sixteen.count, picture.cases,
           _share(sixteen.share if picture.cases else None), None, None,
           "Inspections found one force closing 62% of domestic abuse crimes as outcome 16")
    for outcome in picture.outcomes:
        yield ("Outcome mix", outcome.label, outcome.count, picture.cases, _share(outcome.share),
               None, None, "")
    for rate in picture.rates:
        if not rate.in_extract:
            yield ("Rate", rate.label, None, None, None, None, None,
                   f"{rate.label}: {NOT_IN_EXTRACT}")
            continue
        interval = rate.interval
        yield ("Rate", f"{rate.label} (among {rate.among} with it recorded)", rate.count, rate.n,
               _share(rate.rate), _share(interval[0] if interval else None),
               _share(interval[1] if interval else None), "95% Wilson interval")
    yield from _delay_rows(picture)
    for listing in picture.exceptions:
        if not listing.in_extract:
            yield ("Exceptions", listing.title, None, None, None, None, None,
                   f"Cannot be listed: {NOT_IN_EXTRACT}")
            continue
        yield ("Exceptions", listing.title, listing.count, picture.cases, None, None, None,
               "Counts only in a partner copy" if not listing.references and listing.count
               else "")
        for reference in listing.references:
            yield ("Exception case", references.get(reference, reference), None, None, None,
                   None, None, listing.title)


def _delay_rows(picture: PopulationPicture) -> Iterator[Row]:
    delay = picture.delay
    part = "Days to tell the victim"
    if not delay.in_extract:
        yield (part, "Date finalised to NFA notification date", None, None, None, None, None,
               f"Days to tell the victim: {NOT_IN_EXTRACT}")
        return
    for label, value in (("Median days", delay.median), ("Lower quartile (days)",
                                                         delay.lower_quartile),
                         ("Upper quartile (days)", delay.upper_quartile)):
        yield (part, label, value, delay.n, None, None, None, DELAY_RULE if label ==
               "Median days" else "")
    for label, count in ((f"Over {WORKING_DAYS_LIMIT} working days", delay.over_working_days),
                         (f"Over {CALENDAR_DAYS_LIMIT} days", delay.over_calendar_days),
                         ("Notification dated before finalisation",
                          delay.told_before_finalised)):
        yield (part, label, count, delay.n, _share(count / delay.n if delay.n else None), None,
               None, "")


def _share(value: float | None) -> Formatted | None:
    return None if value is None else Formatted(value, PERCENT)
