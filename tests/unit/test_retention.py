"""Closing and purging an audit after its retention date: cases go, findings stay."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from audit_app.core.errors import UserError
from audit_app.db.models import AnswerRecord, CaseRecord, ChangeLogRecord
from audit_app.services import audits, retention
from audit_app.services.database import Database
from audit_app.services.demo import create_demo


def test_purge_keeps_aggregate_findings_and_removes_case_data(db: Database) -> None:
    audit = create_demo(db, seed=3, population=200, sample_size=12)
    with pytest.raises(UserError, match="Close the audit"):
        retention.purge_audit(db, audit_id=audit.id)
    retention.close_audit(db, audit_id=audit.id)
    with pytest.raises(UserError, match="retention date"):
        retention.purge_audit(db, audit_id=audit.id)
    retention.set_retention(db, audit_id=audit.id, retain_until=dt.date(2027, 1, 1))
    with pytest.raises(UserError, match="cannot be purged yet"):
        retention.purge_audit(db, audit_id=audit.id, today=dt.date(2026, 12, 31))

    result = retention.purge_audit(db, audit_id=audit.id, today=dt.date(2027, 1, 2))
    assert result.cases_deleted == 200
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(CaseRecord)) == 0
        assert session.scalar(select(func.count()).select_from(AnswerRecord)) == 0
        leftovers = session.scalars(select(ChangeLogRecord.new_value).where(
            ChangeLogRecord.audit_id == audit.id, ChangeLogRecord.field != "purged")).all()
        assert set(leftovers) == {None}
    snapshot = retention.findings_snapshot(db, audit_id=audit.id)
    assert snapshot is not None and snapshot["criteria"] and "cases" not in snapshot
    assert snapshot["headline"]["cases_sampled"] == 12
    assert audits.get_audit(db, audit.id).status == "purged"
    with pytest.raises(UserError, match="already been purged"):
        retention.purge_audit(db, audit_id=audit.id, today=dt.date(2027, 1, 2))
