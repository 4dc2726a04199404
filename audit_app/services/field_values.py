"""What the condition builder's pick-lists hold: a field's values, and how many cases match.

Values come from the audit's population (with counts) or, when none is at hand (the
framework editor), from the field's known vocabulary. Counting the cases a condition
selects reads the population the same way a draw does (`services.sampling_scope`), so the
count is the scope the draw will use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.condition_rows import known_values, value_label, writable
from audit_app.core.progress import CancelCheck
from audit_app.db.audits import require_audit
from audit_app.db.cases import count_matching
from audit_app.db.field_values import value_counts
from audit_app.services.database import Database
from audit_app.services.sampling_scope import read_scope

# More distinct values than anyone scrolls through: the most common are offered.
MOST_VALUES = 1000


@dataclass(frozen=True)
class FieldValue:
    value: Any
    label: str
    cases: int | None = None  # None: a known value, no population counted

    @property
    def text(self) -> str:
        """The pick-list line: "16 — Evidential difficulties: … (812)"."""
        return self.label if self.cases is None else f"{self.label} ({self.cases:,})"


@dataclass(frozen=True)
class ConditionCount:
    matching: int
    population: int


def _key(value: Any) -> Any:
    # The condition compares text without regard to case or spaces around it.
    return value.strip().lower() if isinstance(value, str) else value


def population_values(db: Database, *, audit_id: int, field: str) -> list[FieldValue]:
    """The field's values in the audit's population, most common first, with counts."""
    if field not in FIELDS_BY_KEY:
        raise ValueError(f"Not a case field: {field}")
    with db.reading() as session:
        require_audit(session, audit_id)
        counted = value_counts(session, audit_id, field)
    merged: dict[Any, list[Any]] = {}  # "North" and "north " are one value to a condition
    for value, cases in counted:
        if value is None or not writable(value):
            continue
        if isinstance(value, str) and not value.strip():
            continue
        entry = merged.setdefault(_key(value), [value, 0])
        entry[1] += cases
    ranked = sorted(merged.values(), key=lambda entry: -entry[1])[:MOST_VALUES]
    return [FieldValue(value, value_label(field, value), cases) for value, cases in ranked]


def vocabulary_values(field: str) -> list[FieldValue]:
    """The values a field is known to take, without counts (no population at hand)."""
    return [FieldValue(value, value_label(field, value)) for value in known_values(field)]


def rule_values(db: Database, *, audit_id: int, field: str) -> list[FieldValue]:
    """For a framework's rule: the open audit's values with their counts, then the field's
    other known values (a rule serves every audit, not only this one)."""
    found = population_values(db, audit_id=audit_id, field=field)
    seen = {_key(value.value) for value in found}
    return found + [value for value in vocabulary_values(field) if _key(value.value) not in seen]


def count_condition(db: Database, *, audit_id: int, condition: str,
                    cancelled: CancelCheck | None = None) -> ConditionCount:
    """How many of the audit's cases the condition selects, of how many."""
    with db.reading() as session:
        require_audit(session, audit_id)
        total = count_matching(session, audit_id, None)
        if not condition.strip():
            return ConditionCount(total, total)
        scope = read_scope(session, audit_id, strata_fields=(), where=condition,
                           include_always="", exclude_reviewed=False, cancelled=cancelled)
    return ConditionCount(len(scope.population), total)
