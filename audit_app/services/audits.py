"""Audits (review rounds): create, list and read them, and where each one stands.

An audit is open, closed or purged. A closed audit is final: its cases, sample, scores,
agreed answers, case details and population stay as they were until the chair reopens
it. A purged audit's case data is gone. The lookups and the guard on writing
(`require_open_audit`) are in the audit repository, `db.audits`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from audit_app.core.audit_standing import AuditStanding as AuditStanding  # re-exported for the app
from audit_app.core.audit_summary import AuditSummary
from audit_app.core.dates import long_date as long_date  # re-exported: callers read it here
from audit_app.core.errors import UserError
from audit_app.core.statuses import AuditStatus
from audit_app.db import audits as audit_records

# require_audit, require_open_audit and standing_of are also read from here by services.scoring,
# moderation, packages, package_items, package_keys, sampling and population_import.
from audit_app.db.audits import no_such_audit, standing_of
from audit_app.db.audits import require_audit as require_audit
from audit_app.db.audits import require_open_audit as require_open_audit
from audit_app.db.cases import population_sizes
from audit_app.db.frameworks import find_framework
from audit_app.db.session import Database
from audit_app.services.database import current_actor
from audit_app.services.frameworks import parse_framework_ref

# The app compares an audit's status with these (`AuditStatus` members equal the stored words).
OPEN: str = AuditStatus.OPEN
CLOSED: str = AuditStatus.CLOSED
PURGED: str = AuditStatus.PURGED


def create_audit(db: Database, *, name: str, framework: str, description: str = "",
                 actor: str | None = None) -> AuditSummary:
    """Start an audit on the newest version of `framework` (or 'key@version')."""
    name = " ".join(name.split())
    if not name:
        raise UserError("An audit needs a name, e.g. 'DA NFA review Q3 2026'")
    key, version = parse_framework_ref(framework)
    with db.transaction() as session:
        audit_id = audit_records.add_audit(
            session, name=name, description=description,
            framework=find_framework(session, key, version), actor=actor or current_actor())
        return _summaries(session, [audit_id])[0]


def _summaries(session: Session, audit_ids: list[int] | None) -> list[AuditSummary]:
    rows = audit_records.audits_with_frameworks(session, audit_ids)
    case_counts = population_sizes(session)
    sample_counts = audit_records.sample_sizes(session)
    complete, total = audit_records.member_review_progress(session)
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
        raise no_such_audit(audit_id)
    return found[0]


def audit_standing(db: Database, *, audit_id: int) -> AuditStanding:
    with db.reading() as session:
        return standing_of(session, require_audit(session, audit_id))


def check_open_audit(db: Database, *, audit_id: int, doing: str) -> None:
    """The same refusal, before work that reads first (a file, a comparison) and writes later."""
    with db.reading() as session:
        audit_records.refuse_unless_open(session, require_audit(session, audit_id), doing)
