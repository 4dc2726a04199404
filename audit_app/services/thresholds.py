"""Read and set an audit's RAG thresholds (Green from, Amber from).

Allowed on open, closed and purged audits alike: thresholds change how the figures are
shown (status words and fills), never an answer, a case or a rate, so closing an audit
does not freeze them. Every change goes in the change log like other audit edits, so a
workbook that shows different statuses from an earlier one can be explained.
"""

from __future__ import annotations

from audit_app.core.thresholds import Thresholds, check_thresholds
from audit_app.db.audits import require_audit
from audit_app.db.change_log import log_change
from audit_app.services.database import Database, current_actor


def get_thresholds(db: Database, *, audit_id: int) -> Thresholds:
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        return Thresholds(audit.green_from, audit.amber_from)


def set_thresholds(db: Database, *, audit_id: int, green_from: int | None = None,
                   amber_from: int | None = None, actor: str | None = None) -> Thresholds:
    """Change either or both; the other keeps its value. Bad values change nothing."""
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        old = Thresholds(audit.green_from, audit.amber_from)
        green = old.green_from if green_from is None else green_from
        amber = old.amber_from if amber_from is None else amber_from
        check_thresholds(green, amber)
        new = Thresholds(green, amber)
        if new != old:
            audit.green_from, audit.amber_from = green, amber
            log_change(session, actor=actor or current_actor(), audit_id=audit_id,
                       entity="audit", entity_id=audit_id, field="thresholds",
                       old=old.describe(), new=new.describe(),
                       detail="RAG thresholds changed (presentation only: no figure changes)")
    return new
