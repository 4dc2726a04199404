"""Append-only change log: every change to an answer, verdict, note or import is recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.db.models import ChangeLogRecord
from audit_app.services.database import Database


@dataclass(frozen=True)
class ChangeRow:
    at: dt.datetime
    actor: str
    entity: str
    entity_id: int | None
    case_id: int | None
    field: str
    old_value: str | None
    new_value: str | None
    detail: str


def log_change(session: Session, *, actor: str, audit_id: int | None, entity: str,
               entity_id: int | None = None, case_id: int | None = None, field: str = "",
               old: object = None, new: object = None, detail: str = "") -> None:
    session.add(ChangeLogRecord(
        actor=actor, audit_id=audit_id, entity=entity, entity_id=entity_id, case_id=case_id,
        field=field, old_value=None if old is None else str(old),
        new_value=None if new is None else str(new), detail=detail,
    ))


def list_changes(db: Database, *, audit_id: int, case_id: int | None = None,
                 limit: int | None = None) -> list[ChangeRow]:
    with db.reading() as session:
        query = select(ChangeLogRecord).where(ChangeLogRecord.audit_id == audit_id)
        if case_id is not None:
            query = query.where(ChangeLogRecord.case_id == case_id)
        query = query.order_by(ChangeLogRecord.id.desc())
        if limit:
            query = query.limit(limit)
        return [ChangeRow(r.at, r.actor, r.entity, r.entity_id, r.case_id, r.field, r.old_value,
                          r.new_value, r.detail) for r in session.scalars(query)]
