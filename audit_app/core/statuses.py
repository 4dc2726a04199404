"""Where an audit stands, and where a merge conflict stands: the stored words, once.

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
