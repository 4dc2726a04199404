"""What the meeting screen shows of one agenda case: who is still to score, then the
spread of answers per criterion (disagreements first), the agreed answers and verdict,
and any dissent. Personal details are a separate read, made only when the chair asks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import ReviewKind, ReviewStatus, Verdict
from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY
from audit_app.core.copy_rules import PERSONAL_CLASS
from audit_app.core.errors import NotFoundError
from audit_app.core.meeting import (
    AgendaStatus,
    CriterionSpread,
    answers_may_show,
    criterion_spread,
    eligible_scorers,
    spread_order,
    still_to_score,
    who_is_still_to_score,
)
from audit_app.db.cases import require_case
from audit_app.db.models import CaseRecord, PopulationImportRecord, ReviewerRecord, ReviewRecord
from audit_app.services.database import Database
from audit_app.services.meetings import DissentRow, get_meeting, list_dissents
from audit_app.services.moderation import comparison

# The facts shown on the projector: enough to recall the case, nothing that names anyone.
FACT_FIELDS = ("offence_description", "crime_date", "date_finalised", "outcome_code",
               "risk_level", "marac_referral", "arrested", "victim_supports", "team", "area")


@dataclass(frozen=True)
class MeetingCaseView:
    meeting_id: int
    audit_id: int
    case_id: int
    position: int
    total: int
    reference: str
    status: AgendaStatus
    carried_reason: str
    scorers: tuple[str, ...]  # present, not guests, not declared
    declared: tuple[tuple[str, str], ...]  # (member, reason)
    still_to_score: tuple[str, ...]
    answers_shown: bool
    spreads: tuple[CriterionSpread, ...]  # disagreements first; empty while hidden
    verdicts: tuple[tuple[Verdict, int], ...]  # members' verdicts counted; empty while hidden
    agreed_verdict: Verdict | None
    rationale: str
    dissents: tuple[DissentRow, ...]
    facts: tuple[tuple[str, str], ...]

    @property
    def waiting_line(self) -> str:
        if not self.scorers:
            return "Nobody present can score this case: record who is present first."
        return who_is_still_to_score(list(self.still_to_score))


def shown_value(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return f"{value:%d %B %Y}"
    return str(value)


def _completed(session: Session, case_id: int) -> list[str]:
    return list(session.scalars(
        select(ReviewerRecord.name).join(ReviewRecord, ReviewRecord.reviewer_id == ReviewerRecord.id)
        .where(ReviewRecord.case_id == case_id, ReviewRecord.kind == ReviewKind.MEMBER.value,
               ReviewRecord.status == ReviewStatus.COMPLETE.value)))


def case_view(db: Database, *, meeting_id: int, case_id: int) -> MeetingCaseView:
    """One agenda case as the meeting screen shows it (answers hidden until all scored)."""
    detail = get_meeting(db, meeting_id=meeting_id)
    audit_id = detail.meeting.audit_id
    item = next((row for row in detail.agenda if row.case_id == case_id), None)
    if item is None:
        raise NotFoundError(f"Case {case_id} is not on the agenda of meeting {meeting_id}")
    declared = tuple((d.member, d.reason) for d in detail.declarations if d.case_id == case_id)
    barred = [member for member, _reason in declared]
    with db.reading() as session:
        facts = _facts(require_case(session, audit_id, case_id))
        completed = _completed(session, case_id)
    scorers = eligible_scorers(detail.present_members, barred)
    shown = answers_may_show(detail.present_members, barred, completed)
    compared = comparison(db, audit_id=audit_id, case_id=case_id)
    spreads: tuple[CriterionSpread, ...] = ()
    verdicts: tuple[tuple[Verdict, int], ...] = ()
    if shown:
        spreads = tuple(spread_order(
            criterion_spread(c.code, c.question, {a.reviewer: a.value for a in c.answers},
                             scorers, c.consensus) for c in compared.criteria))
        counted = Counter(v for name, v in compared.verdicts.items()
                          if v is not None and name in scorers)
        verdicts = tuple(counted.most_common())
    return MeetingCaseView(
        meeting_id, audit_id, case_id, item.position, len(detail.agenda), item.reference,
        item.status, item.carried_reason, tuple(scorers), declared,
        tuple(still_to_score(detail.present_members, barred, completed)), shown, spreads,
        verdicts, compared.consensus_verdict, compared.consensus_rationale,
        tuple(list_dissents(db, audit_id=audit_id, case_id=case_id)), facts)


def _facts(case: CaseRecord) -> tuple[tuple[str, str], ...]:
    return tuple((FIELDS_BY_KEY[key].label, shown_value(getattr(case, key)))
                 for key in FACT_FIELDS if shown_value(getattr(case, key)))


def case_facts(db: Database, *, audit_id: int, case_id: int) -> tuple[tuple[str, str], ...]:
    """What the projector shows of a case carried from an earlier audit: nothing personal."""
    with db.reading() as session:
        return _facts(require_case(session, audit_id, case_id))


def personal_details(db: Database, *, audit_id: int, case_id: int) -> tuple[tuple[str, str], ...]:
    """Names and personal columns of one case, for the chair's "Reveal personal details"."""
    with db.reading() as session:
        case = require_case(session, audit_id, case_id)
        shown = [(field.label, shown_value(getattr(case, field.key))) for field in CASE_FIELDS
                 if field.personal or field.officer_name]
        personal = _personal_columns(session, case)
        shown += [(column, shown_value(value)) for column, value in (case.extra or {}).items()
                  if column.strip().lower() in personal]
        return tuple((label, value) for label, value in shown if value)


def _personal_columns(session: Session, case: CaseRecord) -> set[str]:
    if case.import_id is None:
        return set()
    imported = session.get(PopulationImportRecord, case.import_id)
    if imported is None:
        return set()
    classed = {name for name, kind in (imported.column_classes or {}).items()
               if kind == PERSONAL_CLASS}
    return {name.strip().lower() for name in classed | set(imported.personal_columns or [])}
