"""The change log's one writer: every change to an answer, verdict, note or import adds
a row here, in the same transaction as the change itself (append-only)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from audit_app.db.models import ChangeLogRecord


def log_change(session: Session, *, actor: str, audit_id: int | None, entity: str,
               entity_id: int | None = None, case_id: int | None = None, field: str = "",
               old: object = None, new: object = None, detail: str = "") -> None:
    session.add(ChangeLogRecord(
        actor=actor, audit_id=audit_id, entity=entity, entity_id=entity_id, case_id=case_id,
        field=field, old_value=None if old is None else str(old),
        new_value=None if new is None else str(new), detail=detail,
    ))
