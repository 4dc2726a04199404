"""Reading the append-only change log; rows are written by `db.change_log.log_change`
(re-exported here for the services that still import it from this module)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from audit_app.db.change_log import log_change
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


__all__ = ["ChangeRow", "list_changes", "log_change"]
