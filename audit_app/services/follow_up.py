"""The panel's follow-up periods on an audit: how long a response to an escalation may
take, and when an action agreed without a due date falls due.

Allowed on open, closed and purged audits alike (the follow-up outlives the meeting);
every change goes in the change log.
"""

from __future__ import annotations

from audit_app.core.panel_record import FollowUpPeriods, check_period
from audit_app.db.audits import require_audit
from audit_app.db.change_log import log_change
from audit_app.db.panel_record import periods_of
from audit_app.services.database import Database, current_actor


def get_follow_up_periods(db: Database, *, audit_id: int) -> FollowUpPeriods:
    with db.reading() as session:
        return periods_of(require_audit(session, audit_id))


def set_follow_up_periods(db: Database, *, audit_id: int, escalation_days: int | None = None,
                          action_days: int | None = None, actor: str | None = None
                          ) -> FollowUpPeriods:
    """Change either or both; a bad value changes nothing."""
    if escalation_days is not None:
        check_period(escalation_days, "a response to an escalation")
    if action_days is not None:
        check_period(action_days, "an action without a due date")
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        for field, value in (("escalation_days", escalation_days),
                             ("action_days", action_days)):
            old = getattr(audit, field)
            if value is not None and value != old:
                setattr(audit, field, value)
                log_change(session, actor=actor or current_actor(), audit_id=audit_id,
                           entity="audit", entity_id=audit_id, field=field, old=old, new=value)
        return periods_of(audit)
