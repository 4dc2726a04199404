"""One audit as the audit list shows it: the read model every front and both readers share.

`services.audits.list_audits` builds it from the open database, and `db.audit_list_peek`
from a quick look at a SQLite file at start-up; a test keeps the two equal. Light on
purpose (the standard library only), so the peek at start-up stays quick.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditSummary:
    id: int
    name: str
    description: str
    framework_key: str
    framework_version: int
    framework_title: str
    status: str
    created_at: dt.datetime
    case_count: int = 0
    sample_size: int = 0
    reviews_complete: int = 0
    reviews_total: int = 0
