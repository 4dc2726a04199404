"""Audits (review rounds): create, list, read."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_app.core.errors import NotFoundError, UserError
from audit_app.db.models import (
    AuditRecord,
    CaseRecord,
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
        .where(ReviewRecord.kind == "member")
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


def get_audit(db: Database, audit_id: int) -> AuditSummary:
    with db.reading() as session:
        found = _summaries(session, [audit_id])
    if not found:
        raise NotFoundError(f"No audit with id {audit_id}. 'audit-app audit list' shows them.")
    return found[0]


def require_audit(session: Session, audit_id: int) -> AuditRecord:
    audit = session.get(AuditRecord, audit_id)
    if audit is None:
        raise NotFoundError(f"No audit with id {audit_id}. 'audit-app audit list' shows them.")
    return audit
