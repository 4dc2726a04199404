"""Reading the imported population: counting, paging, searching, one case in full."""

from __future__ import annotations

from audit_app.core.case_fields import FIELD_KEYS

# case_fields and require_case are also read from here by services.scoring, moderation and demo.
from audit_app.db.cases import case_fields, cases_matching, count_matching, require_case
from audit_app.db.models import CaseRecord
from audit_app.db.session import Database
from audit_app.services.records import CaseRow

SORTABLE = set(FIELD_KEYS)


def to_row(record: CaseRecord) -> CaseRow:
    return CaseRow(id=record.id, reference=record.reference, fields=case_fields(record),
                   extra=dict(record.extra or {}))


def count_cases(db: Database, *, audit_id: int, search: str | None = None) -> int:
    with db.reading() as session:
        return count_matching(session, audit_id, search)


def list_cases(db: Database, *, audit_id: int, offset: int = 0, limit: int | None = None,
               search: str | None = None, order_by: str = "reference",
               descending: bool = False) -> list[CaseRow]:
    """A page of cases, sorted in the database so 100,000 rows never load at once."""
    column = getattr(CaseRecord, order_by if order_by in SORTABLE else "reference")
    order = column.desc() if descending else column.asc()
    with db.reading() as session:
        query = cases_matching(audit_id, search).order_by(order, CaseRecord.id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [to_row(r) for r in session.scalars(query)]


def get_case(db: Database, *, audit_id: int, case_id: int) -> CaseRow:
    with db.reading() as session:
        return to_row(require_case(session, audit_id, case_id))
