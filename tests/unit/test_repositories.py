"""The repositories in `db` (audits, cases, frameworks), on a real SQLite file: the
lookups services share, the guard on writing, and the stored words of the status enums."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from audit_app.core.audit_standing import AuditStanding
from audit_app.core.errors import AuditNotOpenError, NotFoundError
from audit_app.core.statuses import AuditStatus, ConflictStatus
from audit_app.db import audits as audit_records
from audit_app.db import cases as case_records
from audit_app.db import frameworks as framework_records
from audit_app.db.models import AuditRecord, ChangeLogRecord
from audit_app.services.audits import create_audit, get_audit, list_audits
from audit_app.services.database import Database
from audit_app.services.retention import close_audit
from tests.helpers.audits import build_audit


def test_the_statuses_keep_the_stored_words() -> None:
    assert [s.value for s in AuditStatus] == ["open", "closed", "purged"]
    assert [s.value for s in ConflictStatus] == ["open", "resolved"]
    assert AuditStatus.CLOSED == "closed" and AuditStatus("purged") is AuditStatus.PURGED


@given(st.sampled_from(list(AuditStatus)), st.dates() | st.none())
def test_only_an_open_audit_takes_writes(status: AuditStatus, day: dt.date | None) -> None:
    standing = AuditStanding(1, status, closed_on=day, purged_on=day)
    assert standing.is_open == (status is AuditStatus.OPEN)
    assert (standing.refusal("its scores can no longer change") is None) == standing.is_open
    assert (standing.notice == "") == standing.is_open
    assert standing.case_data_deleted == (status is AuditStatus.PURGED)


def test_an_unknown_audit_is_refused_in_plain_words(sqlite_db: Database) -> None:
    with sqlite_db.reading() as session, pytest.raises(NotFoundError) as caught:
        audit_records.require_audit(session, 999)
    assert "No audit with id 999" in caught.value.message


def test_a_closed_audit_refuses_a_write_with_its_close_date(sqlite_db: Database) -> None:
    audit_id = create_audit(sqlite_db, name="Q1", framework="da-nfa-review").id
    close_audit(sqlite_db, audit_id=audit_id, actor="Chair")
    with sqlite_db.transaction() as session, pytest.raises(AuditNotOpenError) as caught:
        audit_records.require_open_audit(session, audit_id, doing="its scores can no longer change")
    assert caught.value.message.startswith("This audit was closed on ")
    with sqlite_db.reading() as session:
        standing = audit_records.standing_of(session, audit_records.require_audit(session, audit_id))
        logged = session.scalars(select(ChangeLogRecord.new_value).where(
            ChangeLogRecord.audit_id == audit_id, ChangeLogRecord.field == "status")).all()
    assert standing.status == AuditStatus.CLOSED and standing.closed_on is not None
    assert logged == ["closed"]


def test_create_audit_logs_and_returns_its_summary_in_one_step(sqlite_db: Database) -> None:
    summary = create_audit(sqlite_db, name="  Q2   review ", framework="da-nfa-review",
                           actor="Chair")
    assert summary == get_audit(sqlite_db, summary.id)
    assert summary.name == "Q2 review" and summary.status == AuditStatus.OPEN
    assert [a.id for a in list_audits(sqlite_db)] == [summary.id]
    with sqlite_db.reading() as session:
        created = session.scalars(select(ChangeLogRecord.detail).where(
            ChangeLogRecord.audit_id == summary.id, ChangeLogRecord.field == "created")).all()
    assert created == [f"framework da-nfa-review v{summary.framework_version}"]


def test_cases_are_found_by_id_and_reference_within_their_audit(sqlite_db: Database) -> None:
    audit_id = build_audit(sqlite_db).audit_id
    other = create_audit(sqlite_db, name="Other", framework="da-nfa-review").id
    with sqlite_db.reading() as session:
        first = session.scalars(case_records.cases_matching(audit_id, None)).first()
        assert first is not None
        assert case_records.require_case(session, audit_id, first.id) is first
        assert case_records.find_case_by_reference(session, audit_id, first.reference) is first
        with pytest.raises(NotFoundError):
            case_records.require_case(session, other, first.id)
        counted = case_records.count_matching(session, audit_id, None)
        assert counted == case_records.population_sizes(session)[audit_id]
        assert counted <= case_records.count_all_cases(session, audit_id)
        assert case_records.count_matching(session, audit_id, first.reference) >= 1


def test_framework_versions_are_found_newest_first(sqlite_db: Database) -> None:
    with sqlite_db.reading() as session:
        newest = framework_records.find_framework(session, "da-nfa-review", None)
        assert framework_records.find_version(session, "da-nfa-review", newest.version) is newest
        assert framework_records.find_version(session, "da-nfa-review", newest.version + 1) is None
        with pytest.raises(NotFoundError) as caught:
            framework_records.find_framework(session, "no-such", None)
        assert "Known frameworks: " in caught.value.message
        ids = framework_records.criterion_ids(session, newest.id)
        codes = framework_records.criterion_codes(session, newest.id)
        assert ids and codes == {criterion_id: code for code, criterion_id in ids.items()}
        code, criterion_id = next(iter(ids.items()))
        assert framework_records.criterion_with_code(session, newest.id, code) == criterion_id
        counts = {record.id: count for record, count in framework_records.all_frameworks(session)}
        assert counts[newest.id] == len(ids)
        assert session.scalar(select(AuditRecord.id)) is None  # reading made nothing
