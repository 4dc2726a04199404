"""What the documents a panel sends hold: minutes, feedback letters, a summary, a year report.

Plain frozen dataclasses, no file format and no database: `services.panel_documents` fills
them (pseudonymised by default) and `io.minutes_doc` and its neighbours lay them out. A
section with nothing recorded (no meeting held in the app, no escalation, no theme tagged)
is an empty tuple, and each document says so in a plain sentence (`EMPTY`) rather than
leaving a gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from audit_app.core.population_picture import PopulationPicture
from audit_app.core.statuses import ActionStatus

PROTECTIVE_MARKING = "OFFICIAL – SENSITIVE"
OPEN_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})

# What a document says where a section has nothing in it.
EMPTY = {
    "attendance": "No attendance was recorded for this meeting.",
    "declarations": "No declarations of interest were recorded.",
    "population": "No population picture is available for this audit.",
    "cases": "No case has a verdict yet.",
    "escalations": "No urgent escalations were recorded.",
    "themes": "No learning themes were recorded.",
    "new_actions": "No new actions were agreed.",
    "outstanding_actions": "No actions from earlier audits are outstanding.",
    "good_practice": "No good practice was recorded.",
    "dissent": "No dissent was recorded.",
    "requests": "No further information was asked for.",
    "carried": "No case was carried to the next meeting.",
    "not_agreed": "Not yet agreed by the panel, so no rationale, learning or good practice "
                  "is minuted for:",
    "letter_cases": "No learning or good practice was recorded for these cases.",
    "criteria": "No criterion has been scored yet.",
    "audits": "No audit was held in this year.",
    "actions": "No actions were recorded.",
}


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


@dataclass(frozen=True)
class Rate:
    """A rate with its 95% interval: "82% (95% interval 70%–90%), 31 of 38"."""

    count: int
    n: int
    interval: tuple[float, float] | None

    @property
    def rate(self) -> float | None:
        return self.count / self.n if self.n else None

    def text(self) -> str:
        if not self.n:
            return "no cases yet"
        interval = (f" (95% interval {percent(self.interval[0])}–{percent(self.interval[1])})"
                    if self.interval else "")
        return f"{percent(self.rate)}{interval}, {self.count} of {self.n}"

    def short_text(self) -> str:
        """For a table of many columns: "67% (35%–88%) of 9"."""
        if not self.n:
            return "–"
        interval = (f" ({percent(self.interval[0])}–{percent(self.interval[1])})"
                    if self.interval else "")
        return f"{percent(self.rate)}{interval} of {self.n}"


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    role: str
    agency: str
    present: bool  # False: sent apologies
    guest: bool = False


@dataclass(frozen=True)
class Declaration:
    member: str
    case_reference: str
    reason: str


@dataclass(frozen=True)
class Dissent:
    member: str
    reason: str


@dataclass(frozen=True)
class Escalation:
    case_reference: str
    reason: str
    to_whom: str  # role and agency
    when: dt.date | None
    response: str
    status: str  # "Awaiting response", "Response received", "Overdue", "Closed"
    response_on: dt.date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class InformationRequest:
    """A question the panel asked about a case, who answers it, and whether it is settled."""

    case_reference: str
    question: str
    answerer: str  # role and agency (a name too in the internal copy)
    standing: str  # "Settled on 3 March 2026: the answer" or "Carried to the next meeting"
    source: str = ""  # the earlier audit it was carried from, if any


@dataclass(frozen=True)
class CarriedCase:
    """A case the meeting carried to its next meeting, and why."""

    case_reference: str
    reason: str


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    count: int  # cases, as learning and as good practice together
    learning: int = 0
    good_practice: int = 0


@dataclass(frozen=True)
class ThemeTrend:
    theme: str
    counts: tuple[int, ...]  # one per audit column


@dataclass(frozen=True)
class ActionItem:
    description: str
    agency: str
    owner: str
    due: dt.date | None
    status: str  # a plain label ("Open")
    response: str = ""
    overdue: bool = False
    source: str = ""  # the audit an outstanding action came from
    response_date: dt.date | None = None


@dataclass(frozen=True)
class PopulationLine:
    item: str
    figure: str


@dataclass(frozen=True)
class HeadlineContent:
    """The headline as the findings page words it (`core.verdicts.AgreedVerdicts`)."""

    verdicts: str  # "Cases judged appropriate ...: 4 of 5 ... = 80% (95% interval ...)."
    verdict_rate: Rate | None = None
    criteria: str = ""  # the criteria met overall, with its interval
    notes: tuple[str, ...] = ()  # provisional cases, unresolved verdicts


@dataclass(frozen=True)
class TextItem:
    """A piece of learning or good practice, with the case it came from."""

    case_reference: str
    text: str
    themes: tuple[str, ...] = ()  # theme names it was tagged with


@dataclass(frozen=True)
class CaseMinute:
    reference: str
    verdict: str  # the agreed verdict's label, or where the case stands
    verdict_status: str  # agreed by the panel, or provisional and why
    rationale: str = ""
    dissent: tuple[Dissent, ...] = ()
    learning: str = ""
    good_practice: str = ""
    urgent: bool = False
    agreed: bool = True  # False: no agreed review yet, so no rationale or learning to minute


@dataclass(frozen=True)
class MinutesContent:
    panel_name: str
    audit_name: str
    framework_title: str
    meeting_date: dt.date | None
    headline: HeadlineContent
    population: tuple[PopulationLine, ...] = ()
    attendance: tuple[AttendanceRow, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    cases: tuple[CaseMinute, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    themes: tuple[ThemeCount, ...] = ()
    new_actions: tuple[ActionItem, ...] = ()
    outstanding_actions: tuple[ActionItem, ...] = ()
    good_practice: tuple[TextItem, ...] = ()
    pseudonymised: bool = True
    cases_awaiting: int = 0  # sampled cases with no verdict yet: not discussed
    case_data_deleted: str = ""  # a purged audit's notice: why no case is listed
    meeting_title: str = ""  # the meeting recorded in the app the minutes are of, if any
    requests: tuple[InformationRequest, ...] = ()
    carried: tuple[CarriedCase, ...] = ()
    trend_audits: tuple[str, ...] = ()  # the framework's audits up to this one, oldest first
    theme_trend: tuple[ThemeTrend, ...] = ()


@dataclass(frozen=True)
class LetterCase:
    reference: str
    verdict: str
    learning: str = ""
    good_practice: str = ""
    feedback: str = ""
    learning_themes: tuple[str, ...] = ()
    good_practice_themes: tuple[str, ...] = ()
    agreed: bool = True


@dataclass(frozen=True)
class FeedbackLetter:
    """One letter: to a supervisor (or a team), about their cases alone."""

    addressee: str  # the one place a supervisor's name appears, in their own letter
    grouped_by: str  # "supervisor" or "team"
    panel_name: str
    audit_name: str
    meeting_date: dt.date | None
    cases: tuple[LetterCase, ...] = ()
    pseudonymised: bool = True


@dataclass(frozen=True)
class CriterionRate:
    code: str
    question: str
    rate: Rate


@dataclass(frozen=True)
class SummarySheet:
    """One page for the panel pack."""

    panel_name: str
    audit_name: str
    meeting_date: dt.date | None
    headline: HeadlineContent
    criteria: tuple[CriterionRate, ...] = ()  # the key criteria, lowest rate first
    themes: tuple[ThemeCount, ...] = ()
    open_actions: int = 0
    overdue_actions: int = 0
    open_escalations: int = 0
    cases_reviewed: int = 0
    cases_sampled: int = 0
    urgent_cases: int = 0  # cases flagged for urgent safeguarding


@dataclass(frozen=True)
class AuditColumn:
    """One audit of the year, as a column of the trend tables."""

    audit_id: int
    name: str
    held: dt.date | None
    headline: HeadlineContent


@dataclass(frozen=True)
class CriterionTrend:
    code: str
    question: str
    rates: tuple[Rate | None, ...]  # one per audit column; None: not in that audit


@dataclass(frozen=True)
class YearReport:
    year: int
    panel_name: str
    audits: tuple[AuditColumn, ...] = ()
    criteria: tuple[CriterionTrend, ...] = ()
    themes: tuple[ThemeTrend, ...] = ()
    actions: tuple[ActionItem, ...] = ()
    pseudonymised: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)


def is_overdue(due: dt.date | None, status: str, today: dt.date) -> bool:
    """Past its due date and not done or dropped."""
    return due is not None and due < today and status in OPEN_STATUSES


def population_lines(picture: PopulationPicture) -> tuple[PopulationLine, ...]:
    """The population picture's figures, each with its n, as the Population sheet counts."""
    if picture.case_data_deleted is not None:
        return (PopulationLine("Population", picture.case_data_deleted),)
    if not picture.cases:
        return ()
    lines = [PopulationLine("Cases in the imported extract", f"{picture.cases:,}")]
    sixteen = picture.outcome_16
    lines.append(PopulationLine(sixteen.label, Rate(sixteen.count, picture.cases, None).text()))
    for rate in picture.rates:
        if rate.in_extract and rate.n:
            lines.append(PopulationLine(f"{rate.label} (among {rate.among} with it recorded)",
                                        Rate(rate.count, rate.n, rate.interval).text()))
    delay = picture.delay
    if delay.in_extract and delay.n and delay.median is not None:
        lines.append(PopulationLine(
            "Days to tell the victim (median)",
            f"{delay.median:g} days over {delay.n:,} cases"))
    for listing in picture.exceptions:
        if listing.in_extract:
            lines.append(PopulationLine(listing.title, f"{listing.count:,} of {picture.cases:,}"))
    return tuple(lines)
