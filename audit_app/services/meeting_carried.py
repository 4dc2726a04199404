"""Carrying a case on from a meeting: this audit's case to the next meeting (with the
question asked, so it also reaches the next audit until answered), or an earlier audit's
unanswered question once more. Settling is `information_requests.settle_request`.
"""

from __future__ import annotations

from sqlalchemy import select

from audit_app.core.errors import NotFoundError, UserError, ValidationError
from audit_app.core.meeting import AgendaStatus
from audit_app.db import meetings as records
from audit_app.db.audits import require_open_audit
from audit_app.db.cases import require_case
from audit_app.db.change_log import log_change
from audit_app.db.models import InformationRequestRecord
from audit_app.services import information_requests
from audit_app.services.database import Database, current_actor
from audit_app.services.meetings import MEETING_FINAL, AgendaRow, set_agenda_status


def carry_case(db: Database, *, meeting_id: int, case_id: int, question: str,
               answerer_role: str = "", answerer_agency: str = "",
               actor: str | None = None) -> AgendaRow:
    """Carry this audit's case to the next meeting with the question the panel asked; the
    question is recorded as a request for information (once) until it is settled."""
    question = question.strip()
    who_answers = ", ".join(p.strip() for p in (answerer_role, answerer_agency) if p.strip())
    if not question:
        raise ValidationError("Say what the panel needs to know before the case is carried "
                              "to the next meeting")
    with db.reading() as session:
        audit_id = records.require_meeting(session, meeting_id).audit_id
        reference = require_case(session, audit_id, case_id).reference
        asked = set(session.scalars(select(InformationRequestRecord.question).where(
            InformationRequestRecord.case_id == case_id,
            InformationRequestRecord.settled_on.is_(None))))
    reason = question + (f" (to be answered by {who_answers})" if who_answers else "")
    row = set_agenda_status(db, meeting_id=meeting_id, case_id=case_id,
                            status=AgendaStatus.CARRIED, reason=reason, actor=actor)
    if question not in asked:
        information_requests.add_request(
            db, audit_id=audit_id, case_reference=reference, question=question,
            answerer_role=answerer_role, answerer_agency=answerer_agency, actor=actor)
    return row


def carry_again(db: Database, *, meeting_id: int, request_id: int, note: str = "",
                actor: str | None = None) -> None:
    """Keep an earlier audit's unanswered question open to the next meeting, with a note
    for the minutes (kept in the change log against the request)."""
    who = actor or current_actor()
    with db.transaction() as session:
        meeting = records.require_meeting(session, meeting_id)
        require_open_audit(session, meeting.audit_id, doing=MEETING_FINAL)
        request = session.get(InformationRequestRecord, request_id)
        if request is None:
            raise NotFoundError(f"No request for information with number {request_id}")
        if request.settled_on is not None:
            raise UserError("That question is already settled: it is not carried on")
        log_change(session, actor=who, audit_id=request.audit_id,
                   entity=records.REQUEST_ENTITY, entity_id=request.id,
                   case_id=request.case_id, field=records.CARRIED_AGAIN, new=str(meeting_id),
                   detail=note.strip() or "no answer yet")
