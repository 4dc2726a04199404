"""Audits (review rounds): create, list, read, and the one guard on writing to them.

An audit is open, closed or purged. A closed audit is final: its cases, sample, scores,
agreed answers, case details and population stay as they were until the chair reopens
it. A purged audit's case data is gone. Every service that writes case data to an
audit calls `require_open_audit` first, so the refusal and its wording live here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_app.core.answers import ReviewKind
from audit_app.core.dates import local_date, on_date
from audit_app.core.dates import long_date as long_date  # re-exported: callers read it here
from audit_app.core.errors import AuditNotOpenError, NotFoundError, UserError
from audit_app.db.models import (
    AuditRecord,
    CaseRecord,
    ChangeLogRecord,
    FrameworkRecord,
    ReviewRecord,
    SampleDrawRecord,
    SampleItemRecord,
)
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_user
from audit_app.services.frameworks import _find, parse_framework_ref
from audit_app.services.records import AuditSummary


def create_audit(db: Database, *, name: str, framework: str, description: str = "",
                 actor: str | None = None) -> AuditSummary:
    """Start an audit on the newest version of `framework` (or 'key@version')."""
    name = " ".join(name.split())
    if not name:
        raise UserError("An audit needs a name, e.g. 'DA NFA review Q3 2026'")
    key, version = parse_framework_ref(framework)
    with db.transaction() as session:
        framework_record = _find(session, key, version)
        audit = AuditRecord(name=name, description=description, framework_id=framework_record.id)
        session.add(audit)
        session.flush()
        log_change(session, actor=actor or current_user(), audit_id=audit.id, entity="audit",
                   entity_id=audit.id, field="created", new=name,
                   detail=f"framework {framework_record.key} v{framework_record.version}")
        audit_id = audit.id
    return get_audit(db, audit_id)


def _summaries(session: Session, audit_ids: list[int] | None) -> list[AuditSummary]:
    query = select(AuditRecord, FrameworkRecord).join(FrameworkRecord)
    if audit_ids is not None:
        query = query.where(AuditRecord.id.in_(audit_ids))
    rows = session.execute(query.order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc())).all()
    case_counts = dict(session.execute(
        select(CaseRecord.audit_id, func.count()).where(CaseRecord.removed.is_(False))
        .group_by(CaseRecord.audit_id)).all())
    sample_counts = dict(session.execute(
        select(SampleDrawRecord.audit_id, func.count(SampleItemRecord.id))
        .join(SampleItemRecord)
        .where(SampleDrawRecord.is_current.is_(True), SampleItemRecord.status != "replaced")
        .group_by(SampleDrawRecord.audit_id)).all())
    review_rows = session.execute(
        select(ReviewRecord.audit_id, ReviewRecord.status, func.count())
        .where(ReviewRecord.kind == ReviewKind.MEMBER)
        .group_by(ReviewRecord.audit_id, ReviewRecord.status)).all()
    complete: dict[int, int] = {}
    total: dict[int, int] = {}
    for audit_id, status, count in review_rows:
        total[audit_id] = total.get(audit_id, 0) + count
        if status == "complete":
            complete[audit_id] = complete.get(audit_id, 0) + count
    return [
        AuditSummary(
            id=a.id, name=a.name, description=a.description, framework_key=f.key,
            framework_version=f.version, framework_title=f.title, status=a.status,
            created_at=a.created_at, case_count=case_counts.get(a.id, 0),
            sample_size=sample_counts.get(a.id, 0), reviews_complete=complete.get(a.id, 0),
            reviews_total=total.get(a.id, 0),
        )
        for a, f in rows
    ]


def list_audits(db: Database) -> list[AuditSummary]:
    with db.reading() as session:
        return _summaries(session, None)


def no_such_audit(audit_id: int) -> NotFoundError:
    # Worded for either front: the app and the command line both list the audits.
    return NotFoundError(f"No audit with id {audit_id}. The list of audits shows which ids exist.")


def get_audit(db: Database, audit_id: int) -> AuditSummary:
    with db.reading() as session:
        found = _summaries(session, [audit_id])
    if not found:
        raise no_such_audit(audit_id)
    return found[0]


def require_audit(session: Session, audit_id: int) -> AuditRecord:
    audit = session.get(AuditRecord, audit_id)
    if audit is None:
        raise no_such_audit(audit_id)
    return audit


# --- open, closed or purged ----------------------------------------------------------

OPEN, CLOSED, PURGED = "open", "closed", "purged"
REOPEN_HINT = "The chair can reopen it under Retention."  # both fronts have one


@dataclass(frozen=True)
class AuditStanding:
    """Where an audit stands: open to change, closed (read-only), or its case data deleted."""

    audit_id: int
    status: str
    closed_on: dt.date | None = None
    purged_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def case_data_deleted(self) -> bool:
        return self.status == PURGED

    def refusal(self, doing: str) -> str | None:
        """Why a write is refused, or None when the audit is open.

        `doing` finishes "This audit was closed on <date>, so ...", e.g. "its scores can
        no longer change".
        """
        if self.status == PURGED:
            return (f"This audit's case data was deleted{on_date(self.purged_on)} under the "
                    "retention rule; nothing more can be added.")
        if self.status != OPEN:
            return f"This audit was closed{on_date(self.closed_on)}, so {doing}. {REOPEN_HINT}"
        return None

    @property
    def notice(self) -> str:
        """A calm sentence or two for the top of a screen; empty for an open audit."""
        if self.status == PURGED:
            return (f"This audit's case data was deleted{on_date(self.purged_on)} under the "
                    "retention rule. Its cases, sample, answers and notes are gone; the "
                    "findings kept at that time are on the Findings page.")
        if self.status != OPEN:
            return (f"This audit was closed{on_date(self.closed_on)}. Its cases, sample and "
                    "scores can be read and exported but no longer changed. "
                    f"{REOPEN_HINT}")
        return ""


def _closed_on(session: Session, audit_id: int) -> dt.date | None:
    """The day of the latest close in the change log (None if it was never logged)."""
    return local_date(session.scalar(
        select(ChangeLogRecord.at).where(
            ChangeLogRecord.audit_id == audit_id, ChangeLogRecord.entity == "audit",
            ChangeLogRecord.field == "status", ChangeLogRecord.new_value == CLOSED)
        .order_by(ChangeLogRecord.id.desc()).limit(1)))


def standing_of(session: Session, audit: AuditRecord) -> AuditStanding:
    closed_on = _closed_on(session, audit.id) if audit.status == CLOSED else None
    return AuditStanding(audit.id, audit.status, closed_on, local_date(audit.purged_at))


def audit_standing(db: Database, *, audit_id: int) -> AuditStanding:
    with db.reading() as session:
        return standing_of(session, require_audit(session, audit_id))


def require_open_audit(session: Session, audit_id: int, *, doing: str) -> AuditRecord:
    """The audit, inside a write transaction, if its case data may change; else refuse.

    The row is read FOR SHARE (PostgreSQL; SQLite has one writer anyway), so a close
    committing meanwhile waits for this write, or this write sees the close and refuses.
    """
    audit = session.get(AuditRecord, audit_id, with_for_update={"read": True})
    if audit is None:
        raise no_such_audit(audit_id)
    _refuse_unless_open(session, audit, doing)
    return audit


def check_open_audit(db: Database, *, audit_id: int, doing: str) -> None:
    """The same refusal, before work that reads first (a file, a comparison) and writes later."""
    with db.reading() as session:
        _refuse_unless_open(session, require_audit(session, audit_id), doing)


def _refuse_unless_open(session: Session, audit: AuditRecord, doing: str) -> None:
    if audit.status != OPEN:
        raise AuditNotOpenError(standing_of(session, audit).refusal(doing) or "")
