"""Data retention: close (and reopen) an audit, and after its retention date purge the case data.

Closing makes the audit read-only until the chair reopens it; reopening is possible until
the case data is purged.

Purging deletes the cases (and with them every review, answer, note and sample item) and
blanks the values in the audit's change log, but keeps the aggregate findings (compliance
per criterion, breakdowns, verdicts, agreement, actions) as a snapshot taken just before,
so the audit still reports what it found. The purge itself is logged. A SQLite database
is backed up whole first, whichever front asks for the purge.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.dates import local_date, on_date
from audit_app.core.errors import UserError
from audit_app.core.progress import CancelCheck, check_cancelled
from audit_app.core.statuses import AuditStatus
from audit_app.db.audits import delete_case_data, require_audit, set_status
from audit_app.db.base import utcnow
from audit_app.db.cases import count_all_cases
from audit_app.db.change_log import log_change
from audit_app.db.models import AuditRecord, SampleDrawRecord
from audit_app.services import backups
from audit_app.services.database import Database, current_actor
from audit_app.services.findings import compute_findings
from audit_app.services.sampling import SAMPLE_COUNTS_KEPT

# Sections of the findings that list individual cases or free text about them.
_CASE_LEVEL = ("cases", "learning_points", "good_practice", "feedback", "checks")


@dataclass(frozen=True)
class PurgeResult:
    audit_id: int
    cases_deleted: int
    purged_at: dt.datetime
    # The copy of the whole database taken just before; None on a shared server database,
    # which its administrator backs up.
    backup: Path | None = None


def set_retention(db: Database, *, audit_id: int, retain_until: dt.date | None,
                  actor: str | None = None) -> None:
    actor = actor or current_actor()
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        old = audit.retain_until
        audit.retain_until = retain_until
        log_change(session, actor=actor, audit_id=audit_id, entity="audit", entity_id=audit_id,
                   field="retain_until", old=old, new=retain_until)


def close_audit(db: Database, *, audit_id: int, actor: str | None = None) -> None:
    """Make the audit read-only (see `audits.require_open_audit`); closing twice is a no-op."""
    actor = actor or current_actor()
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        if audit.status == AuditStatus.PURGED:
            raise UserError("This audit's case data has already been purged")
        if audit.status == AuditStatus.CLOSED:
            return  # the first close keeps its date
        set_status(session, audit, AuditStatus.CLOSED, actor)


def reopen_audit(db: Database, *, audit_id: int, actor: str | None = None) -> None:
    """Put a closed audit back to open, until its case data is purged."""
    actor = actor or current_actor()
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        if audit.status == AuditStatus.PURGED:
            raise UserError(f"This audit's case data was deleted{on_date(local_date(audit.purged_at))};"
                            " it cannot be reopened")
        if audit.status != AuditStatus.CLOSED:
            raise UserError("This audit is open already; only a closed audit can be reopened")
        set_status(session, audit, AuditStatus.OPEN, actor)


def purge_audit(db: Database, *, audit_id: int, today: dt.date | None = None,
                actor: str | None = None, keep_backups: int = backups.DEFAULT_KEEP,
                cancelled: CancelCheck | None = None) -> PurgeResult:
    """Back up the database, then delete a closed audit's case data once it is due.

    Every front purges through here, so none can purge without the backup: if the backup
    cannot be written, nothing is deleted. `cancelled` is asked once, after the backup:
    the last moment at which stopping leaves everything as it was."""
    actor = actor or current_actor()
    today = today or dt.date.today()
    with db.reading() as session:
        _refuse_purge_unless_due(require_audit(session, audit_id), today)
    try:
        taken = backups.take_backup(db, keep=keep_backups) if db.is_sqlite else None
    except UserError as exc:
        raise UserError(f"Nothing was deleted: the backup taken before a purge failed. "
                        f"{exc.message}") from exc
    check_cancelled(cancelled)
    snapshot = _aggregate_snapshot(compute_findings(db, audit_id=audit_id).to_dict())
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        _refuse_purge_unless_due(audit, today)  # again: someone may have purged meanwhile
        count = count_all_cases(session, audit_id)
        _keep_sample_counts(session, audit_id)
        purged_at = utcnow()
        delete_case_data(session, audit, snapshot=snapshot, purged_at=purged_at)
        log_change(session, actor=actor, audit_id=audit_id, entity="audit", entity_id=audit_id,
                   field="purged", new=f"{count} cases deleted",
                   detail=f"retention date {audit.retain_until}")
    return PurgeResult(audit_id, count, purged_at, taken.path if taken else None)


def _aggregate_snapshot(findings: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in findings.items() if k not in _CASE_LEVEL}
    kept["actions"] = [{k: v for k, v in a.items() if k != "reference"}
                       for a in findings.get("actions", [])]
    if "agreed_verdicts" in kept:  # the counts stay, the case references go
        kept["agreed_verdicts"] = {**kept["agreed_verdicts"], "more_information": [],
                                   "unable_to_agree": []}
    kept["snapshot_taken_at"] = utcnow().isoformat()
    return kept


def findings_snapshot(db: Database, *, audit_id: int) -> dict[str, Any] | None:
    """The aggregate findings kept when a purged audit's case data was deleted."""
    with db.reading() as session:
        return require_audit(session, audit_id).findings_snapshot


@dataclass(frozen=True)
class RetentionState:
    """Where an audit stands on retention, for a screen to show."""

    audit_id: int
    audit_name: str
    status: str  # open | closed | purged
    retain_until: dt.date | None
    purged_at: dt.datetime | None
    case_count: int
    purge_refusal: str | None  # why the case data cannot be purged yet; None when it can

    @property
    def can_purge(self) -> bool:
        return self.purge_refusal is None


def purge_refusal(*, status: str, retain_until: dt.date | None, today: dt.date) -> str | None:
    """The one rule for purging: why it is not allowed yet, or None when it is."""
    if status == AuditStatus.PURGED:
        return "This audit's case data has already been purged"
    if status != AuditStatus.CLOSED:
        return "Close the audit before purging its case data"
    if retain_until is None:
        return "Set a retention date before purging (the date case data may go)"
    if retain_until > today:
        return f"Case data must be kept until {retain_until:%d %B %Y}; it cannot be purged yet"
    return None


def _refuse_purge_unless_due(audit: AuditRecord, today: dt.date) -> None:
    refusal = purge_refusal(status=audit.status, retain_until=audit.retain_until, today=today)
    if refusal is not None:
        raise UserError(refusal)


def retention_state(db: Database, *, audit_id: int,
                    today: dt.date | None = None) -> RetentionState:
    """The audit's status, retention date, cases held and whether purging is allowed today."""
    today = today or dt.date.today()
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        return RetentionState(
            audit_id=audit.id, audit_name=audit.name, status=audit.status,
            retain_until=audit.retain_until, purged_at=audit.purged_at,
            case_count=count_all_cases(session, audit_id),
            purge_refusal=purge_refusal(status=audit.status, retain_until=audit.retain_until,
                                        today=today))


def _keep_sample_counts(session: Session, audit_id: int) -> None:
    """Write each draw's sample count per stratum into its record before the sample items
    go with the cases: the sample certificate keeps them (they name no case)."""
    for draw in session.scalars(select(SampleDrawRecord)
                                .where(SampleDrawRecord.audit_id == audit_id)):
        counts = Counter(i.stratum for i in draw.items if i.status != "replaced")
        draw.parameters = {**(draw.parameters or {}), SAMPLE_COUNTS_KEPT: dict(counts)}
