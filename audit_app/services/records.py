"""The frozen row dataclasses services hand to the fronts (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from audit_app.core.audit_summary import AuditSummary as AuditSummary  # its home is core


@dataclass(frozen=True)
class FrameworkSummary:
    id: int
    key: str
    version: int
    title: str
    description: str
    section_count: int
    criterion_count: int
    builtin: bool


@dataclass(frozen=True)
class CaseRow:
    id: int
    reference: str
    fields: dict[str, Any]
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewerRow:
    id: int
    name: str
    organisation: str
    is_chair: bool
