"""The population picture: what the imported extract says about every case of the audit.

Panels open with the performance picture HMICFRS used: the outcome mix (the share closed as
outcome 16), arrest and protective-order rates, MARAC referral at high risk, and how long
victims waited to be told of the decision. This module computes it in one pass over plain
rows (an audit may hold 1,000,000 cases), keeping only counts, a tally of waiting days and
the references of exceptions. No SQL, no files.

Rules, said once so every front says the same:
- A rate counts only cases with the field recorded (its n); blank is not "no".
- A field is "in the extract" when an import mapped a column to it or any case holds a value.
- Days to tell the victim run from the date finalised to the NFA notification date, over
  cases with both dates. Working days are Monday to Friday after the day of finalisation;
  bank holidays are not taken out. Quartiles use linear interpolation (Excel's QUARTILE.INC).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from audit_app.core.case_fields import NFA_OUTCOME_CODES, OUTCOME_LABELS
from audit_app.core.consistency import outcome_15_without_support
from audit_app.core.dates import working_days_between
from audit_app.core.statistics import wilson_interval

OUTCOME_16 = 16
WORKING_DAYS_LIMIT = 5
CALENDAR_DAYS_LIMIT = 10
NOT_IN_EXTRACT = "not in the extract"
DELAY_RULE = (f"Days from the date finalised to the NFA notification date, over cases with "
              f"both dates. 'Over {WORKING_DAYS_LIMIT} working days' counts Monday to Friday "
              f"after the day of finalisation (bank holidays are not taken out); 'over "
              f"{CALENDAR_DAYS_LIMIT} days' counts every day.")


class PopulationRow(NamedTuple):
    """The fields of one case the picture reads; a named tuple because there may be a million."""

    reference: str
    outcome_code: int | None
    risk_level: str | None
    marac_referral: bool | None
    idva_referral: bool | None
    arrested: bool | None
    dvpn: bool | None
    dvpo: bool | None
    bwv_present: bool | None
    victim_supports: str | None
    date_finalised: dt.date | None
    nfa_notification_date: dt.date | None


ROW_FIELDS: tuple[str, ...] = PopulationRow._fields

# (field, what the rate says, which cases it is among)
RATE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("arrested", "Suspect arrested", "cases"),
    ("dvpn", "DVPN issued", "cases"),
    ("dvpo", "DVPO granted", "cases"),
    ("marac_referral", "MARAC referral", "high-risk cases"),
    ("idva_referral", "IDVA referral", "cases"),
    ("bwv_present", "Body-worn video", "cases"),
)
# (key, title, the field whose absence means the list cannot be drawn)
EXCEPTION_KINDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("high_risk_without_marac", "High risk without a MARAC referral",
     ("risk_level", "marac_referral")),
    ("outcome_15_victim_not_supporting",
     "Outcome 15 (victim supports) but the victim is recorded as withdrawn or never supporting",
     ("outcome_code", "victim_supports")),
    ("nfa_without_notification", "NFA outcome with no notification date recorded",
     ("outcome_code", "nfa_notification_date")),
)


@dataclass(frozen=True)
class OutcomeShare:
    code: int | None  # None: no outcome code recorded
    label: str
    count: int
    share: float  # of every case in the population


@dataclass(frozen=True)
class PopulationRate:
    key: str
    label: str
    among: str
    in_extract: bool
    count: int  # cases with the field "yes"
    n: int  # cases with the field recorded (and, for MARAC, high risk)

    @property
    def rate(self) -> float | None:
        return self.count / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.count, self.n) if self.n else None


@dataclass(frozen=True)
class NotificationDelay:
    in_extract: bool
    n: int  # cases with both dates
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    over_working_days: int  # more than WORKING_DAYS_LIMIT working days
    over_calendar_days: int  # more than CALENDAR_DAYS_LIMIT days
    told_before_finalised: int  # notification dated before finalisation: a recording problem


@dataclass(frozen=True)
class ExceptionList:
    key: str
    title: str
    in_extract: bool
    count: int
    references: tuple[str, ...]  # empty in a partner copy: counts only


@dataclass(frozen=True)
class PopulationPicture:
    cases: int
    outcomes: tuple[OutcomeShare, ...]  # by code, "no code" last
    outcome_16: OutcomeShare
    rates: tuple[PopulationRate, ...]
    delay: NotificationDelay
    exceptions: tuple[ExceptionList, ...]
    case_data_deleted: str | None = None  # the plain notice for a purged audit

    def without_references(self) -> PopulationPicture:
        """The aggregates only, as a partner copy carries them."""
        lists = tuple(ExceptionList(e.key, e.title, e.in_extract, e.count, ())
                      for e in self.exceptions)
        return PopulationPicture(self.cases, self.outcomes, self.outcome_16, self.rates,
                                 self.delay, lists, self.case_data_deleted)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "case_data_deleted": self.case_data_deleted,
            "outcomes": [{"code": o.code, "label": o.label, "count": o.count, "share": o.share}
                         for o in self.outcomes],
            "outcome_16": {"count": self.outcome_16.count, "share": self.outcome_16.share,
                           "n": self.cases},
            "rates": [{"field": r.key, "label": r.label, "among": r.among,
                       "in_extract": r.in_extract, "count": r.count, "n": r.n, "rate": r.rate,
                       "interval": list(r.interval) if r.interval else None}
                      for r in self.rates],
            "days_to_tell_victim": {
                "in_extract": self.delay.in_extract, "n": self.delay.n,
                "median": self.delay.median, "lower_quartile": self.delay.lower_quartile,
                "upper_quartile": self.delay.upper_quartile,
                f"over_{WORKING_DAYS_LIMIT}_working_days": self.delay.over_working_days,
                f"over_{CALENDAR_DAYS_LIMIT}_days": self.delay.over_calendar_days,
                "told_before_finalised": self.delay.told_before_finalised,
                "rule": DELAY_RULE},
            "exceptions": [{"key": e.key, "title": e.title, "in_extract": e.in_extract,
                            "count": e.count, "references": list(e.references)}
                           for e in self.exceptions],
        }


def outcome_name(code: int | None) -> str:
    if code is None:
        return "No outcome code recorded"
    return f"{code} – {OUTCOME_LABELS.get(code, 'Unknown outcome')}"




def quantile(tally: Counter[int], fraction: float) -> float | None:
    """The `fraction` quantile of a tally of whole days, interpolated linearly between the
    ordered values (statistics.quantiles' "inclusive" method, Excel's QUARTILE.INC)."""
    total = sum(tally.values())
    if total == 0:
        return None
    position = (total - 1) * fraction
    below = int(position)
    weight = position - below
    wanted = (below, min(below + 1, total - 1))  # the ordered places either side
    found: list[int] = []
    seen = 0
    for value in sorted(tally):
        seen += tally[value]
        while len(found) < 2 and seen > wanted[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    low, high = found
    return low + (high - low) * weight


CODED_FIELDS: tuple[str, ...] = ROW_FIELDS[1:10]  # few distinct values: counted together
DATE_FIELDS: tuple[str, ...] = ROW_FIELDS[10:]


@dataclass(frozen=True)
class PopulationCounts:
    """A population reduced to what the picture needs: how many cases hold each combination
    of coded fields, how many each pair of dates, and the references of each exception.
    The service gets these from SQL aggregates; `count_rows` gets them from rows."""

    coded: Mapping[tuple[Any, ...], int]  # values of CODED_FIELDS -> cases
    dated: Mapping[tuple[dt.date | None, dt.date | None], int]  # (finalised, told) -> cases
    exceptions: Mapping[str, Sequence[str]]  # EXCEPTION_KINDS key -> references


def count_rows(rows: Iterable[PopulationRow]) -> PopulationCounts:
    """One pass over rows: two counter increments and the exception tests per case."""
    coded: Counter[tuple[Any, ...]] = Counter()
    dated: Counter[tuple[dt.date | None, dt.date | None]] = Counter()
    exceptions: dict[str, list[str]] = {key: [] for key, _, _ in EXCEPTION_KINDS}
    no_marac, not_supporting, not_told = exceptions.values()
    for row in rows:
        (reference, outcome, risk, marac, _idva, _arrested, _dvpn, _dvpo, _bwv, support,
         finalised, told) = row
        coded[row[1:10]] += 1
        dated[finalised, told] += 1
        if risk == "high" and marac is False:
            no_marac.append(reference)
        if outcome_15_without_support(outcome, support):
            not_supporting.append(reference)
        if told is None and outcome in NFA_OUTCOME_CODES:
            not_told.append(reference)
    return PopulationCounts(coded, dated, exceptions)


def fields_in_extract(coded: Mapping[tuple[Any, ...], int],
                      dated: Mapping[tuple[dt.date | None, dt.date | None], int],
                      mapped_fields: Collection[str] = ()) -> set[str]:
    """The fields an import mapped, or that any case holds a value in."""
    present = set(mapped_fields)
    for values in coded:
        present.update(key for key, value in zip(CODED_FIELDS, values, strict=True)
                       if value is not None)
    for pair in dated:
        present.update(key for key, value in zip(DATE_FIELDS, pair, strict=True)
                       if value is not None)
    return present & set(ROW_FIELDS)


def listable_exceptions(present: Collection[str]) -> set[str]:
    """The exception lists the extract's fields allow."""
    return {key for key, _, needs in EXCEPTION_KINDS if set(needs) <= set(present)}


class _Tally:
    """The counts behind every figure, from a population's `PopulationCounts`."""

    def __init__(self, counts: PopulationCounts) -> None:
        self.exceptions = counts.exceptions
        self.cases = sum(counts.coded.values())
        self.outcomes: Counter[int | None] = Counter()
        self.recorded: Counter[str] = Counter()  # field -> cases holding a value
        self.yes: Counter[str] = Counter()
        self.high_risk_marac_recorded = self.high_risk_marac_yes = 0
        for values, count in counts.coded.items():
            self._add_coded(values, count)
        self.delays: Counter[int] = Counter()
        self.over_working = self.over_calendar = self.before = 0
        for (finalised, told), count in counts.dated.items():
            self.recorded["date_finalised"] += count if finalised is not None else 0
            self.recorded["nfa_notification_date"] += count if told is not None else 0
            if finalised is not None and told is not None:
                self._add_delay(finalised, told, count)

    def _add_coded(self, values: tuple[Any, ...], count: int) -> None:
        row = dict(zip(CODED_FIELDS, values, strict=True))
        self.outcomes[row["outcome_code"]] += count
        for key, value in row.items():
            if value is not None:
                self.recorded[key] += count
            if value is True:
                self.yes[key] += count
        if row["risk_level"] == "high" and row["marac_referral"] is not None:
            self.high_risk_marac_recorded += count
            self.high_risk_marac_yes += count if row["marac_referral"] else 0

    def _add_delay(self, finalised: dt.date, told: dt.date, count: int) -> None:
        days = (told - finalised).days
        self.delays[days] += count
        self.before += count if days < 0 else 0
        self.over_calendar += count if days > CALENDAR_DAYS_LIMIT else 0
        if working_days_between(finalised, told) > WORKING_DAYS_LIMIT:
            self.over_working += count


def population_picture(rows: Iterable[PopulationRow], *,
                       mapped_fields: Collection[str] = ()) -> PopulationPicture:
    """The picture of every case in `rows`, read once (see `picture_from_counts`)."""
    return picture_from_counts(count_rows(rows), mapped_fields=mapped_fields)


def picture_from_counts(counts: PopulationCounts, *,
                        mapped_fields: Collection[str] = ()) -> PopulationPicture:
    """The picture of a counted population. `mapped_fields` are the case fields an import
    mapped a column to: they are "in the extract" even when every value is blank."""
    tally = _Tally(counts)
    present = fields_in_extract(counts.coded, counts.dated, mapped_fields)
    total = tally.cases
    outcomes = tuple(OutcomeShare(code, outcome_name(code), count, count / total)
                     for code, count in sorted(tally.outcomes.items(),
                                               key=lambda item: (item[0] is None, item[0] or 0)))
    sixteen = tally.outcomes.get(OUTCOME_16, 0)
    rates = []
    for key, label, among in RATE_FIELDS:
        in_extract = key in present and (key != "marac_referral" or "risk_level" in present)
        if key == "marac_referral":
            count, n = tally.high_risk_marac_yes, tally.high_risk_marac_recorded
        else:
            count, n = tally.yes[key], tally.recorded[key]
        rates.append(PopulationRate(key, label, among, in_extract, count, n))
    delay = NotificationDelay(
        {"date_finalised", "nfa_notification_date"} <= present, sum(tally.delays.values()),
        quantile(tally.delays, 0.5), quantile(tally.delays, 0.25), quantile(tally.delays, 0.75),
        tally.over_working, tally.over_calendar, tally.before)
    listable = listable_exceptions(present)
    # A list the extract cannot support is empty: blank is not "missing" without the column.
    exceptions = tuple(
        ExceptionList(key, title, True, len(tally.exceptions[key]),
                      tuple(sorted(tally.exceptions[key])))
        if key in listable else ExceptionList(key, title, False, 0, ())
        for key, title, _ in EXCEPTION_KINDS)
    return PopulationPicture(total, outcomes,
                             OutcomeShare(OUTCOME_16, outcome_name(OUTCOME_16), sixteen,
                                          sixteen / total if total else 0.0),
                             tuple(rates), delay, exceptions)


def deleted_picture(notice: str) -> PopulationPicture:
    """A purged audit's picture: nothing but the notice."""
    empty = population_picture(())
    return PopulationPicture(0, (), empty.outcome_16, empty.rates, empty.delay, empty.exceptions,
                             notice)
