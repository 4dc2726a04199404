"""Meetings, attendance, declarations of interest, the agenda and dissent: the session-level
reads and writes. The caller's session decides the unit of work; nothing here commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from audit_app.core.errors import NotFoundError
from audit_app.core.meeting import AgendaStatus, tidy
from audit_app.db.models import ChangeLogRecord, InformationRequestRecord
from audit_app.db.models_meeting import (
    InterestDeclarationRecord,
    MeetingAttendanceRecord,
    MeetingCaseRecord,
    MeetingRecord,
    VerdictDissentRecord,
)


def require_meeting(session: Session, meeting_id: int) -> MeetingRecord:
    record = session.get(MeetingRecord, meeting_id)
    if record is None:
        raise NotFoundError(f"No meeting {meeting_id}")
    return record


def add_meeting(session: Session, *, audit_id: int, held_on: dt.date, title: str, chair: str,
                created_by: str, case_ids: Sequence[int]) -> MeetingRecord:
    """The meeting, with `case_ids` as its agenda in that order."""
    record = MeetingRecord(audit_id=audit_id, held_on=held_on, title=title.strip(),
                           chair=tidy(chair), created_by=created_by)
    session.add(record)
    session.flush()
    session.add_all(MeetingCaseRecord(meeting_id=record.id, case_id=case_id, position=position,
                                      status=AgendaStatus.TO_DISCUSS.value, carried_reason="")
                    for position, case_id in enumerate(case_ids, start=1))
    session.flush()
    return record


def meetings_of(session: Session, audit_id: int | None) -> list[MeetingRecord]:
    query = select(MeetingRecord).order_by(MeetingRecord.held_on, MeetingRecord.id)
    if audit_id is not None:
        query = query.where(MeetingRecord.audit_id == audit_id)
    return list(session.scalars(query))


def attendance(session: Session, meeting_id: int) -> list[MeetingAttendanceRecord]:
    return list(session.scalars(select(MeetingAttendanceRecord).where(
        MeetingAttendanceRecord.meeting_id == meeting_id).order_by(
        MeetingAttendanceRecord.guest, MeetingAttendanceRecord.member)))


def attendee(session: Session, meeting_id: int, member: str) -> MeetingAttendanceRecord | None:
    return session.scalar(select(MeetingAttendanceRecord).where(
        MeetingAttendanceRecord.meeting_id == meeting_id,
        MeetingAttendanceRecord.member == tidy(member)))


def agenda(session: Session, meeting_id: int) -> list[MeetingCaseRecord]:
    return list(session.scalars(select(MeetingCaseRecord).where(
        MeetingCaseRecord.meeting_id == meeting_id).order_by(MeetingCaseRecord.position)))


def agenda_item(session: Session, meeting_id: int, case_id: int) -> MeetingCaseRecord:
    record = session.scalar(select(MeetingCaseRecord).where(
        MeetingCaseRecord.meeting_id == meeting_id, MeetingCaseRecord.case_id == case_id))
    if record is None:
        raise NotFoundError(f"Case {case_id} is not on the agenda of meeting {meeting_id}")
    return record


def declarations(session: Session, audit_id: int,
                 case_id: int | None = None) -> list[InterestDeclarationRecord]:
    query = select(InterestDeclarationRecord).where(
        InterestDeclarationRecord.audit_id == audit_id)
    if case_id is not None:
        query = query.where(InterestDeclarationRecord.case_id == case_id)
    return list(session.scalars(query.order_by(InterestDeclarationRecord.case_id,
                                               InterestDeclarationRecord.member)))


def declared(session: Session, audit_id: int, case_id: int, member: str) -> bool:
    """Whether `member` declared an interest in this case (and so may not score it)."""
    return declaration_of(session, audit_id, case_id, member) is not None


def declaration_of(session: Session, audit_id: int, case_id: int,
                   member: str) -> InterestDeclarationRecord | None:
    return session.scalar(select(InterestDeclarationRecord).where(
        InterestDeclarationRecord.audit_id == audit_id,
        InterestDeclarationRecord.case_id == case_id,
        InterestDeclarationRecord.member == tidy(member)).limit(1))


def add_declaration(session: Session, *, audit_id: int, meeting_id: int | None, case_id: int,
                    member: str, reason: str) -> tuple[InterestDeclarationRecord, bool]:
    """The declaration, and whether it is new (a second one updates the reason)."""
    existing = session.scalar(select(InterestDeclarationRecord).where(
        InterestDeclarationRecord.audit_id == audit_id,
        InterestDeclarationRecord.case_id == case_id,
        InterestDeclarationRecord.member == tidy(member)))
    if existing is not None:
        existing.reason = reason.strip()
        return existing, False
    record = InterestDeclarationRecord(audit_id=audit_id, meeting_id=meeting_id,
                                       case_id=case_id, member=tidy(member),
                                       reason=reason.strip())
    session.add(record)
    session.flush()
    return record, True


def dissents(session: Session, review_id: int) -> list[VerdictDissentRecord]:
    return list(session.scalars(select(VerdictDissentRecord).where(
        VerdictDissentRecord.review_id == review_id).order_by(VerdictDissentRecord.id)))


def add_dissent(session: Session, *, review_id: int, member: str, reason: str,
                recorded_by: str) -> VerdictDissentRecord:
    record = VerdictDissentRecord(review_id=review_id, member=tidy(member),
                                  reason=reason.strip(), recorded_by=recorded_by)
    session.add(record)
    session.flush()
    return record


def earlier_meetings(session: Session, record: MeetingRecord) -> list[MeetingRecord]:
    """The same audit's meetings before this one, oldest first."""
    return [m for m in meetings_of(session, record.audit_id)
            if (m.held_on, m.id) < (record.held_on, record.id)]


def requests_since(session: Session, audit_ids: Collection[int],
                   since: dt.date) -> list[InformationRequestRecord]:
    """These audits' requests for information still open, or settled on or after `since`
    (at the meeting held that day, or later), in the order asked."""
    return list(session.scalars(select(InformationRequestRecord).where(
        InformationRequestRecord.audit_id.in_(audit_ids),
        or_(InformationRequestRecord.settled_on.is_(None),
            InformationRequestRecord.settled_on >= since))
        .order_by(InformationRequestRecord.audit_id, InformationRequestRecord.id)))


# How "carried again at this meeting" is kept: the change log's row for the request.
REQUEST_ENTITY = "information request"
CARRIED_AGAIN = "carried again"


def carried_again(session: Session, meeting_id: int) -> dict[int, str]:
    """Request number -> the note, for the requests this meeting carried on again."""
    rows = session.execute(select(ChangeLogRecord.entity_id, ChangeLogRecord.detail).where(
        ChangeLogRecord.entity == REQUEST_ENTITY, ChangeLogRecord.field == CARRIED_AGAIN,
        ChangeLogRecord.new_value == str(meeting_id)).order_by(ChangeLogRecord.id))
    return {request_id: detail for request_id, detail in rows if request_id is not None}
