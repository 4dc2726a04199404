"""The audit repository: finding an audit, the guard on writing to it, its status changes,
and the counts the audit list shows.

Every service that writes case data to an audit calls `require_open_audit` first, so the
refusal and its wording (`core.audit_standing`) are the same on every path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.orm import Session

from audit_app.core.answers import ReviewKind, ReviewStatus
from audit_app.core.audit_standing import AuditStanding
from audit_app.core.dates import local_date
from audit_app.core.errors import AuditNotOpenError, NotFoundError
from audit_app.core.statuses import AuditStatus
from audit_app.db.change_log import log_change
from audit_app.db.models import (
    AuditRecord,
    CaseRecord,
    ChangeLogRecord,
    FrameworkRecord,
    ReviewRecord,
    SampleDrawRecord,
    SampleItemRecord,
)


def no_such_audit(audit_id: int) -> NotFoundError:
    # Worded for either front: the app and the command line both list the audits.
    return NotFoundError(f"No audit with id {audit_id}. The list of audits shows which ids exist.")


def require_audit(session: Session, audit_id: int) -> AuditRecord:
    audit = session.get(AuditRecord, audit_id)
    if audit is None:
        raise no_such_audit(audit_id)
    return audit


def add_audit(session: Session, *, name: str, description: str, framework: FrameworkRecord,
              actor: str) -> int:
    """A new open audit on `framework`, its creation logged; returns its id."""
    audit = AuditRecord(name=name, description=description, framework_id=framework.id)
    session.add(audit)
    session.flush()
    log_change(session, actor=actor, audit_id=audit.id, entity="audit", entity_id=audit.id,
               field="created", new=name, detail=f"framework {framework.key} v{framework.version}")
    return audit.id


# --- open, closed or purged ----------------------------------------------------------

def closed_on(session: Session, audit_id: int) -> dt.date | None:
    """The day of the latest close in the change log (None if it was never logged)."""
    return local_date(session.scalar(
        select(ChangeLogRecord.at).where(
            ChangeLogRecord.audit_id == audit_id, ChangeLogRecord.entity == "audit",
            ChangeLogRecord.field == "status", ChangeLogRecord.new_value == AuditStatus.CLOSED)
        .order_by(ChangeLogRecord.id.desc()).limit(1)))


def standing_of(session: Session, audit: AuditRecord) -> AuditStanding:
    closed = closed_on(session, audit.id) if audit.status == AuditStatus.CLOSED else None
    return AuditStanding(audit.id, audit.status, closed, local_date(audit.purged_at))


def require_open_audit(session: Session, audit_id: int, *, doing: str) -> AuditRecord:
    """The audit, inside a write transaction, if its case data may change; else refuse.

    The row is read FOR SHARE (PostgreSQL; SQLite has one writer anyway), so a close
    committing meanwhile waits for this write, or this write sees the close and refuses.
    """
    audit = session.get(AuditRecord, audit_id, with_for_update={"read": True})
    if audit is None:
        raise no_such_audit(audit_id)
    refuse_unless_open(session, audit, doing)
    return audit


def refuse_unless_open(session: Session, audit: AuditRecord, doing: str) -> None:
    if audit.status != AuditStatus.OPEN:
        raise AuditNotOpenError(standing_of(session, audit).refusal(doing) or "")


def set_status(session: Session, audit: AuditRecord, status: AuditStatus, actor: str) -> None:
    """Open or close the audit, logged (the close's date is read back from the log)."""
    old, audit.status = audit.status, status
    log_change(session, actor=actor, audit_id=audit.id, entity="audit", entity_id=audit.id,
               field="status", old=old, new=status)


def delete_case_data(session: Session, audit: AuditRecord, *, snapshot: dict[str, object],
                     purged_at: dt.datetime) -> None:
    """Delete the audit's cases (reviews, answers, notes and sample items go with them),
    blank the values in its change log, and keep the aggregate findings `snapshot`."""
    session.execute(delete(CaseRecord).where(CaseRecord.audit_id == audit.id))
    session.execute(update(ChangeLogRecord).where(ChangeLogRecord.audit_id == audit.id)
                    .values(old_value=None, new_value=None, detail="(purged)"))
    audit.findings_snapshot = snapshot
    audit.purged_at = purged_at
    audit.status = AuditStatus.PURGED


# --- the audit list --------------------------------------------------------------------

def audits_with_frameworks(session: Session, audit_ids: Sequence[int] | None
                           ) -> Sequence[Row[AuditRecord, FrameworkRecord]]:
    """The audits (all, or those in `audit_ids`), newest first, each with its framework."""
    query = select(AuditRecord, FrameworkRecord).join(FrameworkRecord)
    if audit_ids is not None:
        query = query.where(AuditRecord.id.in_(audit_ids))
    return session.execute(
        query.order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc())).all()


def sample_sizes(session: Session) -> dict[int, int]:
    """Audit id -> cases in its current sample (replaced cases left out)."""
    return dict(session.execute(
        select(SampleDrawRecord.audit_id, func.count(SampleItemRecord.id))
        .join(SampleItemRecord)
        .where(SampleDrawRecord.is_current.is_(True), SampleItemRecord.status != "replaced")
        .group_by(SampleDrawRecord.audit_id)).all())


def member_review_progress(session: Session) -> tuple[dict[int, int], dict[int, int]]:
    """Audit id -> members' reviews complete, and audit id -> members' reviews in all."""
    complete: dict[int, int] = {}
    total: dict[int, int] = {}
    for audit_id, status, count in session.execute(
            select(ReviewRecord.audit_id, ReviewRecord.status, func.count())
            .where(ReviewRecord.kind == ReviewKind.MEMBER)
            .group_by(ReviewRecord.audit_id, ReviewRecord.status)):
        total[audit_id] = total.get(audit_id, 0) + count
        if status == ReviewStatus.COMPLETE:
            complete[audit_id] = complete.get(audit_id, 0) + count
    return complete, total
