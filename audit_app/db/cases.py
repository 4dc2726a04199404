"""The case repository: an audit's imported cases, found, filtered and counted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from audit_app.core.case_fields import FIELD_KEYS
from audit_app.core.errors import NotFoundError
from audit_app.db.models import CaseRecord


def case_fields(record: CaseRecord) -> dict[str, Any]:
    """The canonical fields of a case as a plain mapping (for rules, filters and display)."""
    return {key: getattr(record, key) for key in FIELD_KEYS}


def require_case(session: Session, audit_id: int, case_id: int) -> CaseRecord:
    record = session.get(CaseRecord, case_id)
    if record is None or record.audit_id != audit_id:
        raise NotFoundError(f"No case {case_id} in audit {audit_id}")
    return record


def find_case_by_reference(session: Session, audit_id: int, reference: str) -> CaseRecord:
    record = session.scalar(select(CaseRecord).where(
        CaseRecord.audit_id == audit_id, CaseRecord.reference == reference))
    if record is None:
        raise NotFoundError(f"No case with reference '{reference}' in audit {audit_id}")
    return record


def cases_matching(audit_id: int, search: str | None) -> Select[CaseRecord]:
    """The audit's cases still in its population, narrowed by a search over the text fields."""
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


def count_matching(session: Session, audit_id: int, search: str | None) -> int:
    sub = cases_matching(audit_id, search).with_only_columns(CaseRecord.id).subquery()
    return int(session.scalar(select(func.count()).select_from(sub)) or 0)


def count_all_cases(session: Session, audit_id: int) -> int:
    """Every case the audit holds, removed ones included (what a purge deletes)."""
    return int(session.scalar(select(func.count()).select_from(CaseRecord)
                              .where(CaseRecord.audit_id == audit_id)) or 0)


def population_sizes(session: Session) -> dict[int, int]:
    """Audit id -> cases in its population (removed cases left out)."""
    return dict(session.execute(
        select(CaseRecord.audit_id, func.count()).where(CaseRecord.removed.is_(False))
        .group_by(CaseRecord.audit_id)).all())
