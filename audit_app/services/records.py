"""The frozen row dataclasses services hand to the fronts (never live ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


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
