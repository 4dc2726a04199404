"""Requests for more information: the question a "More information needed" verdict asks,
who will answer it, and its settling.

An unsettled request carries its case onto later audits of the same framework
(`carried_cases`) until it is settled. Allowed on closed audits too: the answer usually
comes after the meeting. Each call is one transaction, every change in the change log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from audit_app.core.errors import NotFoundError, UserError
from audit_app.core.panel_record import CarriedRequest
from audit_app.db.audits import require_audit
from audit_app.db.cases import find_case_by_reference
from audit_app.db.change_log import log_change
from audit_app.db.models import InformationRequestRecord
from audit_app.db.panel_record import earlier_in_family, request_rows
from audit_app.services.database import Database, current_actor

ENTITY = "information request"


def _require(session: Session, request_id: int) -> InformationRequestRecord:
    record = session.get(InformationRequestRecord, request_id)
    if record is None:
        raise NotFoundError(f"No request for information with number {request_id}")
    return record


def add_request(db: Database, *, audit_id: int, case_reference: str, question: str,
                answerer_role: str = "", answerer_agency: str = "", answerer_name: str = "",
                asked_on: dt.date | None = None, actor: str | None = None) -> int:
    """Record the question the panel needs answered about a case; returns its number."""
    question = question.strip()
    if not question:
        raise UserError("A request for more information needs the question asked")
    if not case_reference.strip():
        raise UserError("A request for more information needs the case it is about")
    who = actor or current_actor()
    with db.transaction() as session:
        require_audit(session, audit_id)
        case = find_case_by_reference(session, audit_id, case_reference.strip())
        record = InformationRequestRecord(
            audit_id=audit_id, case_id=case.id, question=question,
            answerer_role=answerer_role.strip(), answerer_agency=answerer_agency.strip(),
            answerer_name=answerer_name.strip(), asked_on=asked_on or dt.date.today(),
            answer="", settled_by="", created_by=who)
        session.add(record)
        session.flush()
        log_change(session, actor=who, audit_id=audit_id, entity=ENTITY, entity_id=record.id,
                   case_id=case.id, field="created", new=question,
                   detail="More information asked for")
        return record.id


def settle_request(db: Database, *, request_id: int, answer: str,
                   settled_on: dt.date | None = None, actor: str | None = None) -> None:
    """Record the answer and settle the request: its case is no longer carried on."""
    answer = answer.strip()
    if not answer:
        raise UserError("Settling a request needs the answer received")
    who = actor or current_actor()
    with db.transaction() as session:
        record = _require(session, request_id)
        changes = {"answer": answer, "settled_on": settled_on or dt.date.today(),
                   "settled_by": who}
        for name, value in changes.items():
            old = getattr(record, name)
            if old != value:
                setattr(record, name, value)
                log_change(session, actor=who, audit_id=record.audit_id, entity=ENTITY,
                           entity_id=record.id, case_id=record.case_id, field=name, old=old,
                           new=value)


def list_requests(db: Database, *, audit_id: int) -> tuple[CarriedRequest, ...]:
    """The audit's own requests, unsettled first."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        rows = request_rows(session, {audit.id: audit.name}, unsettled_only=False)
    return tuple(sorted(rows, key=lambda row: (row.is_settled, row.request_id)))


def carried_cases(db: Database, *, audit_id: int) -> tuple[CarriedRequest, ...]:
    """Unsettled requests of earlier audits of the same framework: their cases belong on
    this audit's agenda until settled. Oldest audit first."""
    with db.reading() as session:
        earlier = earlier_in_family(session, require_audit(session, audit_id))
        return tuple(request_rows(session, earlier, unsettled_only=True)) if earlier else ()
