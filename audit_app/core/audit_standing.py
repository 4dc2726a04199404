"""Where an audit stands, in words both fronts show: the refusal of a write to a closed or
purged audit, and the notice at the top of a screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from audit_app.core.dates import on_date
from audit_app.core.statuses import AuditStatus

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
        return self.status == AuditStatus.OPEN

    @property
    def case_data_deleted(self) -> bool:
        return self.status == AuditStatus.PURGED

    def refusal(self, doing: str) -> str | None:
        """Why a write is refused, or None when the audit is open.

        `doing` finishes "This audit was closed on <date>, so ...", e.g. "its scores can
        no longer change".
        """
        if self.status == AuditStatus.PURGED:
            return (f"This audit's case data was deleted{on_date(self.purged_on)} under the "
                    "retention rule; nothing more can be added.")
        if self.status != AuditStatus.OPEN:
            return f"This audit was closed{on_date(self.closed_on)}, so {doing}. {REOPEN_HINT}"
        return None

    @property
    def notice(self) -> str:
        """A calm sentence or two for the top of a screen; empty for an open audit."""
        if self.status == AuditStatus.PURGED:
            return (f"This audit's case data was deleted{on_date(self.purged_on)} under the "
                    "retention rule. Its cases, sample, answers and notes are gone; the "
                    "findings kept at that time are on the Findings page.")
        if self.status != AuditStatus.OPEN:
            return (f"This audit was closed{on_date(self.closed_on)}. Its cases, sample and "
                    "scores can be read and exported but no longer changed. "
                    f"{REOPEN_HINT}")
        return ""
