"""Where an audit, a merge conflict and an agreed action stand: the stored words, once.

The values are the words the database has always held ("open", "closed", ...), so a
member compares equal to the stored string and nothing needs migrating.
"""

from __future__ import annotations

from enum import StrEnum


class AuditStatus(StrEnum):
    """Open to change, closed (read-only until the chair reopens it), or its case data deleted."""

    OPEN = "open"
    CLOSED = "closed"
    PURGED = "purged"

    @property
    def label(self) -> str:
        return {"open": "Open", "closed": "Closed", "purged": "Case data deleted"}[self.value]


class ConflictStatus(StrEnum):
    """A difference met when merging a review package: still to settle, or settled."""

    OPEN = "open"
    RESOLVED = "resolved"


class ActionStatus(StrEnum):
    """Where an action the panel agreed stands; followed up even after the audit closes."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {"open": "Open", "in_progress": "In progress", "done": "Done",
                "dropped": "Dropped"}[self.value]
