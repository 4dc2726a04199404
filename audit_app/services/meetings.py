"""A panel meeting: the agenda from the sample, who came, declarations of interest, the
agenda's progress and dissent from the agreed verdict. Every call commits at once.

A declared interest bars that member from scoring the case and from agreeing its answers
(`services.review_access` refuses it); it is written to the change log as the record of
why. The case screen's read model is in `services.meeting_board`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import ReviewKind
from audit_app.core.dates import local_date
from audit_app.core.errors import UserError, ValidationError
from audit_app.core.meeting import AgendaPage, AgendaStatus, tidy
from audit_app.core.panel_record import CarriedRequest
from audit_app.db import meetings as records
from audit_app.db.audits import require_audit, require_open_audit
from audit_app.db.cases import require_case
from audit_app.db.change_log import log_change
from audit_app.db.meeting_pages import agenda_pages
from audit_app.db.models import CaseRecord, ReviewRecord, SampleDrawRecord, SampleItemRecord
from audit_app.db.models_meeting import MeetingRecord
from audit_app.db.panel_record import earlier_in_family, request_rows
from audit_app.services import review_states
from audit_app.services.database import Database, current_actor

MEETING_FINAL = "the meeting's record of this audit can no longer change"
ENTITY = "meeting"


@dataclass(frozen=True)
class MeetingRow:
    meeting_id: int
    audit_id: int
    held_on: dt.date
    title: str
    chair: str
    cases: int


@dataclass(frozen=True)
class AttendanceRow:
    member: str
    role: str
    agency: str
    guest: bool
    present: bool

    @property
    def presence(self) -> str:
        return "Present" if self.present else "Apologies"


@dataclass(frozen=True)
class AgendaRow:
    position: int
    case_id: int
    reference: str
    status: AgendaStatus
    carried_reason: str


@dataclass(frozen=True)
class DeclarationRow:
    case_id: int
    reference: str
    member: str
    reason: str
    declared_at: dt.datetime


@dataclass(frozen=True)
class MeetingDetail:
    meeting: MeetingRow
    attendance: tuple[AttendanceRow, ...]
    agenda: tuple[AgendaRow, ...]
    declarations: tuple[DeclarationRow, ...]
    # Cases carried from earlier audits of the framework: at the top of the agenda, each
    # with its question, until its request is settled (read afresh, never stored).
    carried: tuple[CarriedRequest, ...] = ()
    # The pages after the start page: the carried cases (earlier audits' first), then the
    # agenda's own cases; a case of this audit carried in is not repeated among them.
    pages: tuple[AgendaPage, ...] = ()

    @property
    def present_members(self) -> list[str]:
        """Members present who score (not guests)."""
        return [row.member for row in self.attendance if row.present and not row.guest]


def _row(session: Session, record: MeetingRecord) -> MeetingRow:
    return MeetingRow(record.id, record.audit_id, record.held_on, record.title, record.chair,
                      len(records.agenda(session, record.id)))


def _sample_case_ids(session: Session, audit_id: int) -> list[int]:
    """The current sample's cases in draw order, replaced ones left out."""
    return list(session.scalars(
        select(SampleItemRecord.case_id)
        .join(SampleDrawRecord, SampleItemRecord.draw_id == SampleDrawRecord.id)
        .where(SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True),
               SampleItemRecord.status != "replaced")
        .order_by(SampleItemRecord.position)))


def create_meeting(db: Database, *, audit_id: int, held_on: dt.date | None = None,
                   title: str = "", chair: str = "", actor: str | None = None) -> MeetingRow:
    """A meeting of the panel on this audit, its agenda the sample's cases in order."""
    who = actor or current_actor()
    day = held_on or dt.date.today()
    with db.transaction() as session:
        require_open_audit(session, audit_id, doing=MEETING_FINAL)
        cases = _sample_case_ids(session, audit_id)
        if not cases:
            raise UserError("Draw the sample first: a meeting's agenda is the sample's cases")
        record = records.add_meeting(
            session, audit_id=audit_id, held_on=day, title=title or f"Panel meeting {day:%d %B %Y}",
            chair=chair, created_by=who, case_ids=cases)
        log_change(session, actor=who, audit_id=audit_id, entity=ENTITY, entity_id=record.id,
                   field="created", new=day.isoformat(), detail=f"{len(cases)} cases on the agenda")
        return _row(session, record)


def list_meetings(db: Database, *, audit_id: int | None = None) -> list[MeetingRow]:
    with db.reading() as session:
        if audit_id is not None:
            require_audit(session, audit_id)
        return [_row(session, record) for record in records.meetings_of(session, audit_id)]


def meeting_on(db: Database, *, audit_id: int, day: dt.date) -> MeetingRow | None:
    """The audit's latest meeting held on `day`, if any (the app reopens today's)."""
    found = [row for row in list_meetings(db, audit_id=audit_id) if row.held_on == day]
    return found[-1] if found else None


def get_meeting(db: Database, *, meeting_id: int) -> MeetingDetail:
    with db.reading() as session:
        record = records.require_meeting(session, meeting_id)
        items = records.agenda(session, meeting_id)
        declared = records.declarations(session, record.audit_id)
        references = _references(session, {item.case_id for item in items}
                                 | {d.case_id for d in declared})
        return MeetingDetail(
            MeetingRow(record.id, record.audit_id, record.held_on, record.title, record.chair,
                       len(items)),
            tuple(AttendanceRow(a.member, a.role, a.agency, a.guest, a.present)
                  for a in records.attendance(session, meeting_id)),
            tuple(AgendaRow(item.position, item.case_id, references.get(item.case_id, ""),
                            AgendaStatus(item.status), item.carried_reason) for item in items),
            tuple(DeclarationRow(d.case_id, references.get(d.case_id, ""), d.member, d.reason,
                                 d.declared_at) for d in declared),
            _carried(session, record.audit_id),
            agenda_pages(session, record, items, references))


def _carried(session: Session, audit_id: int) -> tuple[CarriedRequest, ...]:
    """Unsettled requests of earlier audits of the same framework, oldest audit first."""
    earlier = earlier_in_family(session, require_audit(session, audit_id))
    return tuple(request_rows(session, earlier, unsettled_only=True)) if earlier else ()


def _references(session: Session, case_ids: set[int]) -> dict[int, str]:
    rows = session.execute(select(CaseRecord.id, CaseRecord.reference).where(
        CaseRecord.id.in_(sorted(case_ids)))).all()
    return {case_id: reference for case_id, reference in rows}


def record_attendance(db: Database, *, meeting_id: int, member: str, present: bool = True,
                      role: str = "", agency: str = "", guest: bool = False,
                      actor: str | None = None) -> AttendanceRow:
    """Present or apologies for a member or guest; a second call updates the first."""
    name = tidy(member)
    if not name:
        raise ValidationError("Name the member or guest attending")
    who = actor or current_actor()
    with db.transaction() as session:
        meeting = records.require_meeting(session, meeting_id)
        require_open_audit(session, meeting.audit_id, doing=MEETING_FINAL)
        row = records.attendee(session, meeting_id, name)
        if row is None:
            row = records.MeetingAttendanceRecord(meeting_id=meeting_id, member=name)
            session.add(row)
        old = None if row.present is None else ("present" if row.present else "apologies")
        row.role, row.agency, row.guest, row.present = role.strip(), agency.strip(), guest, present
        new = "present" if present else "apologies"
        if old != new:
            log_change(session, actor=who, audit_id=meeting.audit_id, entity=ENTITY,
                       entity_id=meeting_id, field="attendance", old=old, new=new, detail=name)
        return AttendanceRow(name, row.role, row.agency, guest, present)


def declare_interest(db: Database, *, audit_id: int, case_id: int, member: str, reason: str,
                     meeting_id: int | None = None, actor: str | None = None) -> DeclarationRow:
    """Record that `member` has an interest in this case: from now on they cannot score it."""
    name = tidy(member)
    if not name:
        raise ValidationError("Name the member declaring an interest")
    if not reason.strip():
        raise ValidationError("Say briefly why the member has an interest (for the minutes)")
    who = actor or current_actor()
    with db.transaction() as session:
        require_open_audit(session, audit_id, doing=MEETING_FINAL)
        case = require_case(session, audit_id, case_id)
        if meeting_id is not None and records.require_meeting(session, meeting_id).audit_id != audit_id:
            raise ValidationError(f"Meeting {meeting_id} is not a meeting of audit {audit_id}")
        record, new = records.add_declaration(session, audit_id=audit_id, meeting_id=meeting_id,
                                              case_id=case_id, member=name, reason=reason)
        if new:
            log_change(session, actor=who, audit_id=audit_id, entity="case", entity_id=case_id,
                       case_id=case_id, field="interest declared", new=name,
                       detail=f"{name} declared an interest and does not score this case")
        row = DeclarationRow(case_id, case.reference, name, record.reason, record.declared_at)
    for kind in (ReviewKind.MEMBER.value, ReviewKind.CONSENSUS.value):  # no quick path past it
        review_states.forget(db, review_states.ReviewKey(audit_id, case_id, name, kind))
    return row


def declared_on(db: Database, *, audit_id: int, case_id: int, member: str
                ) -> tuple[dt.date, bool] | None:
    """When `member` declared an interest in this case, and whether at a meeting (then the
    meeting's day); None if they did not. The review screen shows it as a standing notice."""
    with db.reading() as session:
        record = records.declaration_of(session, audit_id, case_id, member)
        if record is None:
            return None
        meeting = session.get(MeetingRecord, record.meeting_id) if record.meeting_id else None
        if meeting is not None:
            return meeting.held_on, True
        return local_date(record.declared_at) or dt.date.today(), False


def set_agenda_status(db: Database, *, meeting_id: int, case_id: int, status: AgendaStatus | str,
                      reason: str = "", actor: str | None = None) -> AgendaRow:
    """Mark a case discussed, carried to the next meeting (with a reason), or back to discuss."""
    try:
        wanted = AgendaStatus(status)
    except ValueError:
        raise ValidationError(f"'{status}' is not an agenda status (use "
                              f"{', '.join(s.value for s in AgendaStatus)})") from None
    if wanted is AgendaStatus.CARRIED and not reason.strip():
        raise ValidationError("Say why the case is carried to the next meeting "
                              "(the question asked, and who will answer it)")
    who = actor or current_actor()
    with db.transaction() as session:
        meeting = records.require_meeting(session, meeting_id)
        require_open_audit(session, meeting.audit_id, doing=MEETING_FINAL)
        item = records.agenda_item(session, meeting_id, case_id)
        old = item.status
        item.status = wanted.value
        item.carried_reason = reason.strip() if wanted is AgendaStatus.CARRIED else ""
        if old != wanted.value:
            log_change(session, actor=who, audit_id=meeting.audit_id, entity="case",
                       entity_id=case_id, case_id=case_id, field="meeting status",
                       old=AgendaStatus(old).label, new=wanted.label, detail=item.carried_reason)
        reference = require_case(session, meeting.audit_id, case_id).reference
        return AgendaRow(item.position, case_id, reference, wanted, item.carried_reason)


@dataclass(frozen=True)
class DissentRow:
    member: str
    reason: str
    recorded_by: str
    recorded_at: dt.datetime


def record_dissent(db: Database, *, audit_id: int, case_id: int, member: str, reason: str,
                   actor: str | None = None) -> DissentRow:
    """A member's dissent from the panel's agreed verdict, and why (recorded once agreed)."""
    name = tidy(member)
    if not name or not reason.strip():
        raise ValidationError("A dissent needs the member's name and their reason")
    who = actor or current_actor()
    with db.transaction() as session:
        require_open_audit(session, audit_id, doing=MEETING_FINAL)
        require_case(session, audit_id, case_id)
        consensus = session.scalar(select(ReviewRecord).where(
            ReviewRecord.case_id == case_id, ReviewRecord.kind == ReviewKind.CONSENSUS.value))
        if consensus is None or consensus.verdict is None:
            raise ValidationError("Record the panel's agreed verdict before a dissent from it")
        record = records.add_dissent(session, review_id=consensus.id, member=name,
                                     reason=reason, recorded_by=who)
        log_change(session, actor=who, audit_id=audit_id, entity="review",
                   entity_id=consensus.id, case_id=case_id, field="dissent", new=name,
                   detail=reason.strip())
        return DissentRow(record.member, record.reason, record.recorded_by, record.recorded_at)


def list_dissents(db: Database, *, audit_id: int, case_id: int) -> list[DissentRow]:
    with db.reading() as session:
        require_case(session, audit_id, case_id)
        consensus = session.scalar(select(ReviewRecord.id).where(
            ReviewRecord.case_id == case_id, ReviewRecord.kind == ReviewKind.CONSENSUS.value))
        if consensus is None:
            return []
        return [DissentRow(d.member, d.reason, d.recorded_by, d.recorded_at)
                for d in records.dissents(session, consensus)]
