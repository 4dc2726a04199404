"""Reading the imported population: counting, paging, searching, one case in full."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from audit_app.core.case_fields import FIELD_KEYS
from audit_app.core.errors import NotFoundError
from audit_app.db.models import CaseRecord
from audit_app.services.database import Database
from audit_app.services.records import CaseRow

SORTABLE = set(FIELD_KEYS)


def case_fields(record: CaseRecord) -> dict[str, Any]:
    """The canonical fields of a case as a plain mapping (for rules, filters and display)."""
    return {key: getattr(record, key) for key in FIELD_KEYS}


def to_row(record: CaseRecord) -> CaseRow:
    return CaseRow(id=record.id, reference=record.reference, fields=case_fields(record),
                   extra=dict(record.extra or {}))


def _filtered(audit_id: int, search: str | None) -> Select[CaseRecord]:
    query = select(CaseRecord).where(CaseRecord.audit_id == audit_id,
                                     CaseRecord.removed.is_(False))
    if search and search.strip():
        pattern = f"%{search.strip()}%"
        query = query.where(or_(
            CaseRecord.reference.ilike(pattern), CaseRecord.offence_description.ilike(pattern),
            CaseRecord.area.ilike(pattern), CaseRecord.team.ilike(pattern),
            CaseRecord.officer.ilike(pattern), CaseRecord.risk_level.ilike(pattern),
        ))
    return query


def count_cases(db: Database, *, audit_id: int, search: str | None = None) -> int:
    with db.reading() as session:
        sub = _filtered(audit_id, search).with_only_columns(CaseRecord.id).subquery()
        return int(session.scalar(select(func.count()).select_from(sub)) or 0)


def list_cases(db: Database, *, audit_id: int, offset: int = 0, limit: int | None = None,
               search: str | None = None, order_by: str = "reference",
               descending: bool = False) -> list[CaseRow]:
    """A page of cases, sorted in the database so 100,000 rows never load at once."""
    column = getattr(CaseRecord, order_by if order_by in SORTABLE else "reference")
    order = column.desc() if descending else column.asc()
    with db.reading() as session:
        query = _filtered(audit_id, search).order_by(order, CaseRecord.id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [to_row(r) for r in session.scalars(query)]


def require_case(session: Session, audit_id: int, case_id: int) -> CaseRecord:
    record = session.get(CaseRecord, case_id)
    if record is None or record.audit_id != audit_id:
        raise NotFoundError(f"No case {case_id} in audit {audit_id}")
    return record


def get_case(db: Database, *, audit_id: int, case_id: int) -> CaseRow:
    with db.reading() as session:
        return to_row(require_case(session, audit_id, case_id))


def find_case_by_reference(session: Session, audit_id: int, reference: str) -> CaseRecord:
    record = session.scalar(select(CaseRecord).where(
        CaseRecord.audit_id == audit_id, CaseRecord.reference == reference))
    if record is None:
        raise NotFoundError(f"No case with reference '{reference}' in audit {audit_id}")
    return record
