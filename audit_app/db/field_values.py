"""The distinct values of one case field across an audit's population, with their counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_app.core.case_fields import FIELD_KEYS
from audit_app.db.models import CaseRecord


def value_counts(session: Session, audit_id: int, field: str) -> list[tuple[Any, int]]:
    """(value, cases holding it) for `field`, most common first; blanks included as None."""
    if field not in FIELD_KEYS:
        raise ValueError(f"Not a case field: {field}")
    column = getattr(CaseRecord, field)
    counted = func.count().label("cases")
    rows = session.execute(
        select(column, counted)
        .where(CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(False))
        .group_by(column).order_by(counted.desc(), column)).all()
    return [(None if value == "" else value, int(cases)) for value, cases in rows]
