"""Urgent safeguarding escalations: what the panel did about a case a member marked urgent.

Recorded, answered and closed even after the audit closes (like actions: the follow-up
outlives the meeting). Each call is one transaction and every change is in the change log.
Lists put open escalations first, overdue ones at the top.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from audit_app.core.errors import NotFoundError, UserError
from audit_app.core.panel_record import EscalationRow, ordered_escalations
from audit_app.db.audits import require_audit
from audit_app.db.cases import find_case_by_reference
from audit_app.db.change_log import log_change
from audit_app.db.models import EscalationRecord
from audit_app.db.panel_record import escalation_rows
from audit_app.services.database import Database, current_actor

ENTITY = "escalation"
KEEP = object()  # "leave as it is" for a date (None clears it)


def _require(session: Session, escalation_id: int) -> EscalationRecord:
    record = session.get(EscalationRecord, escalation_id)
    if record is None:
        raise NotFoundError(f"No escalation with number {escalation_id}")
    return record


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise UserError(f"An escalation needs {what}")
    return value


def add_escalation(db: Database, *, audit_id: int, case_reference: str, reason: str,
                   sent_to_role: str = "", sent_to_agency: str = "",
                   sent_on: dt.date | None = None, actor: str | None = None) -> int:
    """Record that an urgent concern about a case was passed on; returns its number."""
    reason = _text(reason, "the reason it is urgent")
    if not case_reference.strip():
        raise UserError("An escalation needs the case it is about")
    who = actor or current_actor()
    with db.transaction() as session:
        require_audit(session, audit_id)
        case = find_case_by_reference(session, audit_id, case_reference.strip())
        record = EscalationRecord(audit_id=audit_id, case_id=case.id, reason=reason,
                                  sent_to_role=sent_to_role.strip(),
                                  sent_to_agency=sent_to_agency.strip(), sent_on=sent_on,
                                  response="", closed_by="", created_by=who)
        session.add(record)
        session.flush()
        log_change(session, actor=who, audit_id=audit_id, entity=ENTITY, entity_id=record.id,
                   case_id=case.id, field="created", new=reason,
                   detail="Urgent safeguarding escalation recorded")
        return record.id


def _apply(session: Session, record: EscalationRecord, changes: dict[str, object],
           actor: str) -> None:
    for name, value in changes.items():
        old = getattr(record, name)
        if old != value:
            setattr(record, name, value)
            log_change(session, actor=actor, audit_id=record.audit_id, entity=ENTITY,
                       entity_id=record.id, case_id=record.case_id, field=name, old=old,
                       new=value)


def update_escalation(db: Database, *, escalation_id: int, reason: str | None = None,
                      sent_to_role: str | None = None, sent_to_agency: str | None = None,
                      sent_on: dt.date | object | None = KEEP,
                      actor: str | None = None) -> None:
    changes: dict[str, object] = {}
    if reason is not None:
        changes["reason"] = _text(reason, "the reason it is urgent")
    if sent_to_role is not None:
        changes["sent_to_role"] = sent_to_role.strip()
    if sent_to_agency is not None:
        changes["sent_to_agency"] = sent_to_agency.strip()
    if sent_on is not KEEP:
        changes["sent_on"] = sent_on
    with db.transaction() as session:
        _apply(session, _require(session, escalation_id), changes, actor or current_actor())


def respond_escalation(db: Database, *, escalation_id: int, response: str,
                       response_on: dt.date | None = None, actor: str | None = None) -> None:
    """Record the response received (dated today unless told)."""
    text = _text(response, "the response received")
    with db.transaction() as session:
        _apply(session, _require(session, escalation_id),
               {"response": text, "response_on": response_on or dt.date.today()},
               actor or current_actor())


def close_escalation(db: Database, *, escalation_id: int, closed_on: dt.date | None = None,
                     actor: str | None = None) -> None:
    """Close it (today unless told); closing twice changes nothing."""
    who = actor or current_actor()
    with db.transaction() as session:
        record = _require(session, escalation_id)
        if record.closed_on is None:
            _apply(session, record, {"closed_on": closed_on or dt.date.today(),
                                     "closed_by": who}, who)


def reopen_escalation(db: Database, *, escalation_id: int, actor: str | None = None) -> None:
    with db.transaction() as session:
        _apply(session, _require(session, escalation_id), {"closed_on": None, "closed_by": ""},
               actor or current_actor())


def list_escalations(db: Database, *, audit_id: int, today: dt.date | None = None
                     ) -> tuple[EscalationRow, ...]:
    """The audit's escalations: open first (overdue at the top), then closed."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        return ordered_escalations(escalation_rows(session, audit), today or dt.date.today())
