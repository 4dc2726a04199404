"""An audit's rows as findings and the workbook read them: plain data, no database.

`services.findings.load_audit_data` reads them in one read-only snapshot; the findings
(`core.findings_compute`) and every workbook sheet are worked out from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.core.dates import long_date
from audit_app.core.framework import Framework
from audit_app.core.thresholds import Thresholds
from audit_app.core.withdrawal import WithdrawalReason, WithdrawalStage


@dataclass(frozen=True)
class CaseDataDeleted:
    """A purged audit: when its case data went under the retention rule, and whether
    aggregate findings were kept then."""

    deleted_on: dt.date | None
    retain_until: dt.date | None
    findings_kept: bool = True

    @property
    def notice(self) -> str:
        """One plain sentence or two for every front to show above the figures."""
        when = f" on {long_date(self.deleted_on)}" if self.deleted_on else ""
        rule = (f", which kept it until {long_date(self.retain_until)}" if self.retain_until
                else "")
        kept = ("These are the findings kept at that time; the case list, answers and "
                "learning points went with the case data." if self.findings_kept
                else "No findings were kept at that time.")
        return f"The case data was deleted{when} under the retention rule{rule}. {kept}"

    def to_dict(self) -> dict[str, Any]:
        return {"deleted_on": self.deleted_on.isoformat() if self.deleted_on else None,
                "retain_until": self.retain_until.isoformat() if self.retain_until else None,
                "findings_kept": self.findings_kept, "notice": self.notice}


@dataclass(frozen=True)
class SampledCase:
    case_id: int
    reference: str
    position: int
    stratum: str
    fields: dict[str, Any]
    extra: dict[str, str]


@dataclass(frozen=True)
class ReviewEntry:
    review_id: int
    case_id: int
    reviewer: str
    organisation: str
    kind: str
    status: str
    verdict: str | None
    learning_points: str
    good_practice: str
    feedback: str
    rationale: str
    urgent_safeguarding: bool
    withdrawal_stage: str | None = None  # core.withdrawal codes, as stored
    withdrawal_reason: str | None = None


class AnswerEntry(NamedTuple):
    """One answer as read: the one read model of an answer, for findings, the review
    screen, moderation and the completeness check. A named tuple because an audit may
    hold 300,000 of them; who entered it and when are read only where a screen shows them."""

    review_id: int
    criterion_code: str
    value: Answer
    note: str
    automatic: bool
    entered_by: str = ""
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class ReviewView:
    """One review with its answers by criterion code, as the review screen, moderation and
    the scoresheet read it (`services.scoring.get_review`)."""

    review_id: int | None
    case_id: int
    reviewer: str
    kind: str
    status: ReviewStatus
    verdict: Verdict | None
    learning_points: str
    good_practice: str
    feedback: str
    rationale: str
    urgent_safeguarding: bool
    answers: dict[str, AnswerEntry]
    version: int
    # When and why the victim stopped supporting action, where the reviewer coded it.
    withdrawal_stage: WithdrawalStage | None = None
    withdrawal_reason: WithdrawalReason | None = None


@dataclass(frozen=True)
class ActionRow:
    action_id: int
    case_reference: str
    criterion_code: str
    description: str
    owner: str
    due_date: dt.date | None
    status: str
    response: str
    agency: str = ""
    response_date: dt.date | None = None
    theme_key: str = ""
    brought_forward_from: str = ""  # the earlier audit's name, for an action carried forward
    # The due date, or for an action without one the date the panel's period runs out.
    follow_up_by: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in_progress")

    def is_overdue(self, today: dt.date) -> bool:
        """Open and its date has passed; an action done or dropped is never overdue."""
        due = self.follow_up_by or self.due_date
        return self.is_open and due is not None and due < today


@dataclass(frozen=True)
class AuditData:
    audit_id: int
    audit_name: str
    description: str
    meeting_date: dt.date | None
    framework: Framework
    cases: tuple[SampledCase, ...]
    reviews: tuple[ReviewEntry, ...]
    answers: tuple[AnswerEntry, ...]
    actions: tuple[ActionRow, ...]
    personal_columns: tuple[str, ...] = ()
    case_data_deleted: CaseDataDeleted | None = None
    kept_findings: Mapping[str, Any] | None = None  # the snapshot stored at the purge
    # Extract columns the user marked shareable (legacy imports: none), and each
    # column's class ("personal", "free text", "other") where the import recorded it.
    shareable_columns: tuple[str, ...] = ()
    column_classes: Mapping[str, str] = field(default_factory=dict)
    draw_design: Mapping[str, Any] | None = None  # the current draw's stored parameters
    thresholds: Thresholds = field(default_factory=Thresholds)  # the panel's RAG thresholds
