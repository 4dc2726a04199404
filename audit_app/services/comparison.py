"""This audit against an earlier one: the fully-met rate per criterion, then and now.

Criteria are matched on code and question together, so a criterion reworded in a new
framework version is not passed off as the same measure; the comparison says plainly when
the framework versions differ and how many criteria both audits share. Per criterion there
is one answer per case, so each difference carries a Newcombe interval over cases
(`core.comparison`). No pooled "all criteria" row is given: answers within a case are not
independent, and a pooled difference needs a case-level (clustered) interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit_app.core.comparison import RateDifference, rate_difference
from audit_app.core.errors import UserError
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.statistics import Compliance
from audit_app.services.database import Database
from audit_app.services.findings import Findings, compute_findings


@dataclass(frozen=True)
class ComparisonRow:
    criterion_code: str
    question: str
    now: Compliance
    before: Compliance
    difference: RateDifference | None  # None where either audit has no scored case

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion_code, "question": self.question,
                "met_before": self.before.met, "scored_before": self.before.denominator,
                "rate_before": self.before.rate, "met_now": self.now.met,
                "scored_now": self.now.denominator, "rate_now": self.now.rate,
                "difference": self.difference.difference if self.difference else None,
                "ci_low": self.difference.low if self.difference else None,
                "ci_high": self.difference.high if self.difference else None,
                "significant": self.difference.significant if self.difference else None}


@dataclass(frozen=True)
class AuditComparison:
    audit_id: int
    audit_name: str
    framework_now: tuple[str, int, str]  # key, version, title
    earlier_audit_id: int
    earlier_name: str
    framework_before: tuple[str, int, str]
    criteria_now: int
    criteria_before: int
    rows: tuple[ComparisonRow, ...]

    @property
    def same_framework(self) -> bool:
        return self.framework_now[:2] == self.framework_before[:2]

    @property
    def notice(self) -> str:
        """One or two plain sentences on what is compared; every front shows it."""
        shared = len(self.rows)
        both = (f"only the {shared} criteria in both are compared" if shared > 1 else
                "only the one criterion in both is compared" if shared == 1 else
                "no criterion is in both, so nothing can be compared")
        key_now, version_now, title_now = self.framework_now
        key_before, version_before, title_before = self.framework_before
        if key_now != key_before:
            return (f"This audit uses the framework \u201c{title_now}\u201d, the earlier one "
                    f"\u201c{title_before}\u201d: {both}.")
        if version_now != version_before:
            return (f"This audit uses version {version_now} of the framework, the earlier one "
                    f"version {version_before}: {both}.")
        if shared < max(self.criteria_now, self.criteria_before):
            return f"Both audits use version {version_now} of the framework: {both}."
        return (f"Both audits use version {version_now} of the framework; all {shared} "
                "criteria are compared.")

    @property
    def significant_rows(self) -> tuple[ComparisonRow, ...]:
        return tuple(row for row in self.rows if row.difference and row.difference.significant)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain dicts, lists, numbers and strings only."""
        return {"audit_id": self.audit_id, "audit_name": self.audit_name,
                "framework": _framework_name(self.framework_now),
                "earlier_audit_id": self.earlier_audit_id, "earlier_name": self.earlier_name,
                "earlier_framework": _framework_name(self.framework_before),
                "same_framework": self.same_framework, "notice": self.notice,
                "interval": "95% Newcombe hybrid score interval over cases",
                "criteria": [row.to_dict() for row in self.rows]}


def _framework_name(framework: tuple[str, int, str]) -> str:
    return f"{framework[0]} v{framework[1]}"


def compare_audits(db: Database, *, audit_id: int, earlier_audit_id: int,
                   progress: ProgressCallback | None = None,
                   cancelled: CancelCheck | None = None) -> AuditComparison:
    """Fully-met rates now against an earlier audit, for the criteria both audits share
    (same code and question), each difference with a 95% Newcombe interval."""
    if audit_id == earlier_audit_id:
        raise UserError(f"Audit {audit_id} cannot be compared with itself: choose an "
                        "earlier audit")
    now = compute_findings(db, audit_id=audit_id)
    report(progress, 1, 2)
    check_cancelled(cancelled)
    before = compute_findings(db, audit_id=earlier_audit_id)
    report(progress, 2, 2)
    return comparison_of(now, before)


def comparison_of(now: Findings, before: Findings) -> AuditComparison:
    """The comparison of two audits' findings (pure: no database)."""
    earlier = {(row.code, _same_wording(row.question)): row.compliance
               for row in before.criteria}
    rows = []
    for criterion in now.criteria:
        previous = earlier.get((criterion.code, _same_wording(criterion.question)))
        if previous is None:
            continue
        current = criterion.compliance
        rows.append(ComparisonRow(criterion.code, criterion.question, current, previous,
                                  rate_difference(current.met, current.denominator,
                                                  previous.met, previous.denominator)))
    head, head_before = now.headline, before.headline
    return AuditComparison(
        head.audit_id, head.audit_name,
        (head.framework_key, head.framework_version, head.framework_title),
        head_before.audit_id, head_before.audit_name,
        (head_before.framework_key, head_before.framework_version, head_before.framework_title),
        len(now.criteria), len(before.criteria), tuple(rows))


def _same_wording(question: str) -> str:
    # Spacing and letter case are not a change of measure; a change of words is.
    return " ".join(question.split()).casefold()
