"""A meeting's agenda pages: the cases carried into it, then its own agenda.

Carried in are (1) the cases of earlier audits of the same framework whose question for
more information is still unanswered, and (2) this audit's cases an earlier meeting of
it carried on (its latest decision on them was to carry them). A question settled at this
meeting (on its day or later) keeps its page, showing the answer, so the agenda does not
shift under the chair. Read afresh each time; nothing is stored for the pages themselves.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from audit_app.core.meeting import AgendaPage, AgendaStatus, CarriedIn, agenda_order, carried_by_meetings
from audit_app.db import meetings as records
from audit_app.db.audits import require_audit
from audit_app.db.models import AuditRecord, InformationRequestRecord
from audit_app.db.models_meeting import MeetingCaseRecord, MeetingRecord
from audit_app.db.panel_record import earlier_in_family, references_of


def answerer(request: InformationRequestRecord) -> str:
    return ", ".join(part for part in (request.answerer_name, request.answerer_role,
                                       request.answerer_agency) if part)


def _from_request(request: InformationRequestRecord, audit_name: str, again: str,
                  carried_on: dt.date | None = None) -> CarriedIn:
    return CarriedIn(request.audit_id, audit_name, request.question, answerer(request),
                     request.id, request.answer, request.settled_on, carried_on, again)


def _own(audit: AuditRecord, carried: tuple[dt.date, str] | None,
         request: InformationRequestRecord | None) -> CarriedIn | None:
    """Why this audit's case is carried in, if it is: its request's question if one was
    recorded, else the reason the earlier meeting gave."""
    if carried is None:
        return None
    day, reason = carried
    if request is not None:
        return _from_request(request, audit.name, "", day)
    return CarriedIn(audit.id, audit.name, reason, "", carried_on=day)


def agenda_pages(session: Session, record: MeetingRecord, items: list[MeetingCaseRecord],
                 references: dict[int, str]) -> tuple[AgendaPage, ...]:
    audit = require_audit(session, record.audit_id)
    earlier = earlier_in_family(session, audit)
    again = records.carried_again(session, record.id)
    requests = records.requests_since(session, {*earlier, audit.id}, record.held_on)
    shown = references_of(session, {r.case_id for r in requests if r.case_id})
    from_earlier = [AgendaPage(r.case_id, r.audit_id, shown.get(r.case_id, "") if r.case_id
                               else "", None,
                               _from_request(r, earlier[r.audit_id], again.get(r.id, "")))
                    for r in requests if r.audit_id in earlier]
    own_requests = {r.case_id: r for r in requests if r.audit_id == audit.id and r.case_id}
    carried = carried_by_meetings(
        (meeting.held_on, [(item.case_id, AgendaStatus(item.status), item.carried_reason)
                           for item in records.agenda(session, meeting.id)])
        for meeting in records.earlier_meetings(session, record))
    own = [AgendaPage(item.case_id, audit.id, references.get(item.case_id, ""),
                      AgendaStatus(item.status),
                      _own(audit, carried.get(item.case_id), own_requests.get(item.case_id)))
           for item in items]
    return agenda_order(from_earlier, own)
