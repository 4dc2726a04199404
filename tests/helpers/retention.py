"""Purging an audit as the retention rules allow, for the kept-findings tests."""

from __future__ import annotations

import datetime as dt

from audit_app.services import retention
from audit_app.services.database import Database


def purge(db: Database, audit_id: int) -> None:
    retention.close_audit(db, audit_id=audit_id)
    retention.set_retention(db, audit_id=audit_id, retain_until=dt.date(2020, 1, 31))
    retention.purge_audit(db, audit_id=audit_id)
