"""Closing and purging an audit after its retention date: cases go, findings stay."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from audit_app.core.errors import UserError
from audit_app.db.models import AnswerRecord, CaseRecord, ChangeLogRecord
from audit_app.services import audits, retention, sampling
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

    drawn = sampling.get_sample_summary(db, audit_id=audit.id)
    result = retention.purge_audit(db, audit_id=audit.id, today=dt.date(2027, 1, 2))
    assert result.cases_deleted == 200
    kept = sampling.get_sample_summary(db, audit_id=audit.id)
    assert drawn is not None and kept is not None and kept.sample_counts_known
    assert kept.strata == drawn.strata and kept.fingerprint == drawn.fingerprint
    assert sum(count for _, _, count in kept.strata) == 12
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


def test_retention_state_says_why_purge_must_wait_and_matches_purge(db: Database) -> None:
    audit = create_demo(db, seed=5, population=60, sample_size=6)
    before, due = dt.date(2027, 3, 30), dt.date(2027, 3, 31)

    state = retention.retention_state(db, audit_id=audit.id, today=due)
    assert (state.audit_name, state.status, state.retain_until, state.purged_at) == \
        (audit.name, "open", None, None)
    assert state.case_count == 60 and not state.can_purge
    assert state.purge_refusal == "Close the audit before purging its case data"

    retention.close_audit(db, audit_id=audit.id)
    state = retention.retention_state(db, audit_id=audit.id, today=due)
    assert state.status == "closed" and "Set a retention date" in (state.purge_refusal or "")

    retention.set_retention(db, audit_id=audit.id, retain_until=due)
    early = retention.retention_state(db, audit_id=audit.id, today=before)
    assert early.retain_until == due
    assert early.purge_refusal == ("Case data must be kept until 31 March 2027; "
                                   "it cannot be purged yet")
    # One rule: purge refuses with exactly the reason the state gives.
    with pytest.raises(UserError) as refused:
        retention.purge_audit(db, audit_id=audit.id, today=before)
    assert refused.value.message == early.purge_refusal

    on_the_day = retention.retention_state(db, audit_id=audit.id, today=due)
    assert on_the_day.can_purge and on_the_day.purge_refusal is None
    retention.purge_audit(db, audit_id=audit.id, today=due)

    purged = retention.retention_state(db, audit_id=audit.id, today=due)
    assert purged.status == "purged" and purged.case_count == 0
    assert purged.purged_at is not None and not purged.can_purge
    assert purged.purge_refusal == "This audit's case data has already been purged"


def test_retention_state_of_a_missing_audit_is_a_plain_error(db: Database) -> None:
    with pytest.raises(UserError, match="No audit with id 999"):
        retention.retention_state(db, audit_id=999)
