"""Meetings, attendance, declarations of interest, the agenda and dissent: the session-level
reads and writes. The caller's session decides the unit of work; nothing here commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.errors import NotFoundError
from audit_app.core.meeting import AgendaStatus, tidy
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
    return session.scalar(select(InterestDeclarationRecord.id).where(
        InterestDeclarationRecord.audit_id == audit_id,
        InterestDeclarationRecord.case_id == case_id,
        InterestDeclarationRecord.member == tidy(member)).limit(1)) is not None


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
