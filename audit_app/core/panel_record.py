"""The panel's record beyond scores, as plain rows and rules: escalations (open first,
overdue after the panel's period), carried requests for more information, the actions
register's follow-up dates, and learning counted per theme.

Pure: the services read the rows, these rules decide what is overdue and in what order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from audit_app.core.audit_rows import ActionRow
from audit_app.core.errors import UserError
from audit_app.core.themes import theme_name

# Seven calendar days, not five working days: it is the same in a week without a bank
# holiday, a member can check it on any calendar, and it needs no holiday list.
DEFAULT_ESCALATION_DAYS = 7
# An action agreed without a due date falls due four weeks on (about one meeting cycle).
DEFAULT_ACTION_DAYS = 28
MAX_PERIOD_DAYS = 366


class TagKind(StrEnum):
    """What a theme tags: a review's learning points or its good practice."""

    LEARNING = "learning"
    GOOD_PRACTICE = "good_practice"

    @property
    def label(self) -> str:
        return {"learning": "Learning", "good_practice": "Good practice"}[self.value]


def check_tag_kind(kind: str) -> TagKind:
    try:
        return TagKind(kind.strip().lower().replace(" ", "_"))
    except ValueError:
        raise UserError(f"'{kind}' is not a kind of tag. Use learning or good practice"
                        ) from None


@dataclass(frozen=True)
class FollowUpPeriods:
    """The panel's periods, in days: for a response to an escalation, and for an action
    agreed without a due date."""

    escalation_days: int = DEFAULT_ESCALATION_DAYS
    action_days: int = DEFAULT_ACTION_DAYS


def check_period(days: int, what: str) -> int:
    if not 1 <= days <= MAX_PERIOD_DAYS:
        raise UserError(f"The period for {what} must be between 1 and {MAX_PERIOD_DAYS} days")
    return days


@dataclass(frozen=True)
class EscalationRow:
    """An urgent safeguarding escalation as the fronts show it."""

    escalation_id: int
    audit_id: int
    case_reference: str  # "" once the case data is deleted
    reason: str
    sent_to_role: str
    sent_to_agency: str
    sent_on: dt.date | None
    response: str
    response_on: dt.date | None
    closed_on: dt.date | None
    closed_by: str
    created_by: str
    created_on: dt.date
    respond_by: dt.date  # the panel's period from when it was sent (or recorded)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def sent_to(self) -> str:
        return ", ".join(part for part in (self.sent_to_role, self.sent_to_agency) if part)

    def is_overdue(self, today: dt.date) -> bool:
        """Open, no response yet, and the panel's period has run out."""
        return self.is_open and not self.response.strip() and self.respond_by < today

    def standing(self, today: dt.date) -> str:
        if not self.is_open:
            return "Closed"
        if self.is_overdue(today):
            return "Overdue"
        return "Response received" if self.response.strip() else "Awaiting response"


def respond_by(sent_on: dt.date | None, created_on: dt.date, days: int) -> dt.date:
    return (sent_on or created_on) + dt.timedelta(days=days)


def ordered_escalations(rows: Iterable[EscalationRow], today: dt.date
                        ) -> tuple[EscalationRow, ...]:
    """Open first (overdue first among them, then oldest first), then closed, latest first."""
    def key(row: EscalationRow) -> tuple[int, int, int, int]:
        if row.is_open:
            return (0, 0 if row.is_overdue(today) else 1, row.respond_by.toordinal(),
                    row.escalation_id)
        assert row.closed_on is not None
        return (1, 0, -row.closed_on.toordinal(), -row.escalation_id)
    return tuple(sorted(rows, key=key))


def follow_up_by(due_date: dt.date | None, created_on: dt.date, days: int) -> dt.date:
    """An action's date: its due date, else the panel's period from when it was agreed."""
    return due_date if due_date is not None else created_on + dt.timedelta(days=days)


def ordered_register(rows: Iterable[ActionRow], today: dt.date) -> tuple[ActionRow, ...]:
    """Open actions first (overdue first, then by date), then done or dropped ones."""
    def key(row: ActionRow) -> tuple[int, int, int, int]:
        due = row.follow_up_by or row.due_date
        return (0 if row.is_open else 1, 0 if row.is_overdue(today) else 1,
                due.toordinal() if due else dt.date.max.toordinal(), row.action_id)
    return tuple(sorted(rows, key=key))


@dataclass(frozen=True)
class CarriedRequest:
    """A question the panel asked about a case, not yet settled: the case is carried on."""

    request_id: int
    audit_id: int
    audit_name: str
    case_reference: str
    question: str
    answerer_role: str
    answerer_agency: str
    answerer_name: str
    asked_on: dt.date | None
    answer: str
    settled_on: dt.date | None

    @property
    def is_settled(self) -> bool:
        return self.settled_on is not None

    @property
    def answerer(self) -> str:
        return ", ".join(part for part in (self.answerer_name, self.answerer_role,
                                           self.answerer_agency) if part)


@dataclass(frozen=True)
class ThemeCount:
    """How many cases carry a theme, as learning and as good practice."""

    theme_key: str
    name: str
    learning: int
    good_practice: int

    @property
    def total(self) -> int:
        return self.learning + self.good_practice


def count_themes(tags: Iterable[tuple[int, str, str]], names: Mapping[str, str]
                 ) -> tuple[ThemeCount, ...]:
    """Cases per theme and kind from (case id, kind, theme key) tags: a case tagged by
    several members, or by a member and the panel, counts once. Every theme in `names`
    appears (zero where untagged), in `names`' order, then any unknown keys."""
    cases: dict[tuple[str, str], set[int]] = {}
    for case_id, kind, theme in tags:
        cases.setdefault((theme, kind), set()).add(case_id)
    keys = list(names) + sorted({theme for theme, _ in cases} - set(names))
    return tuple(ThemeCount(key, theme_name(names, key),
                            len(cases.get((key, TagKind.LEARNING.value), ())),
                            len(cases.get((key, TagKind.GOOD_PRACTICE.value), ())))
                 for key in keys)


@dataclass(frozen=True)
class ThemeTrend:
    """One theme's learning cases in each audit of a family, oldest audit first."""

    theme_key: str
    name: str
    per_audit: tuple[int, ...]


def theme_trends(tags: Iterable[tuple[int, int, str, str]], audit_ids: Sequence[int],
                 names: Mapping[str, str]) -> tuple[ThemeTrend, ...]:
    """Learning cases per theme per audit from (audit id, case id, kind, theme) tags; good
    practice is not counted here (it is not a problem to follow over quarters)."""
    by_audit: dict[int, list[tuple[int, str, str]]] = {audit_id: [] for audit_id in audit_ids}
    for audit_id, case_id, kind, theme in tags:
        if audit_id in by_audit:
            by_audit[audit_id].append((case_id, kind, theme))
    counted = [{count.theme_key: count.learning for count in count_themes(rows, names)}
               for rows in by_audit.values()]
    keys = list(names) + sorted({key for counts in counted for key in counts} - set(names))
    return tuple(ThemeTrend(key, theme_name(names, key),
                            tuple(counts.get(key, 0) for counts in counted)) for key in keys)


@dataclass(frozen=True)
class GoodPracticeEntry:
    """A piece of good practice to share, with the themes it was tagged with."""

    case_reference: str
    reviewer: str
    review_kind: str  # consensus | member
    text: str
    themes: tuple[str, ...]  # theme names


@dataclass(frozen=True)
class RecordForBook:
    """What the findings workbook shows of the panel's record, read with its snapshot."""

    today: dt.date
    escalations: tuple[EscalationRow, ...] = ()
    theme_counts: tuple[ThemeCount, ...] = ()
    family_audits: tuple[str, ...] = ()  # the framework's audits up to this one, oldest first
    trends: tuple[ThemeTrend, ...] = ()
    theme_names: Mapping[str, str] = field(default_factory=dict)
    # (case reference, reviewer, review kind, tag kind) -> theme names, for the Learning sheet
    tags: Mapping[tuple[str, str, str, str], tuple[str, ...]] = field(default_factory=dict)

    @property
    def has_tags(self) -> bool:
        return any(count.total for count in self.theme_counts)
