"""This audit against an earlier one: the fully-met rate per criterion, then and now.

Criteria are matched on code and question together, so a criterion reworded in a new
framework version is not passed off as the same measure; the comparison says plainly when
the framework versions differ and how many criteria both audits share. Per criterion there
is one answer per case, so each difference carries a Newcombe interval over cases
(`core.comparison`). The overall row pools the shared criteria case by case, and its change
has a case-clustered interval: answers within a case are not independent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from audit_app.core.clustered import PooledRate
from audit_app.core.comparison import RateDifference, pooled_difference, rate_difference
from audit_app.core.errors import UserError
from audit_app.core.findings import Findings
from audit_app.core.findings_rates import pooled_over
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.statistics import Compliance
from audit_app.core.version_mapping import VersionMapping
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.frameworks import shipped_mapping


@dataclass(frozen=True)
class ComparisonRow:
    criterion_code: str
    question: str
    now: Compliance
    before: Compliance
    difference: RateDifference | None  # None where either audit has no scored case
    # Set where a version mapping pairs this criterion with a reworded earlier one.
    earlier_code: str = ""
    mapped_because: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion_code, "question": self.question,
                "earlier_criterion": self.earlier_code or self.criterion_code,
                "mapped_because": self.mapped_because or None,
                "met_before": self.before.met, "scored_before": self.before.denominator,
                "rate_before": self.before.rate, "met_now": self.now.met,
                "scored_now": self.now.denominator, "rate_now": self.now.rate,
                "difference": self.difference.difference if self.difference else None,
                "ci_low": self.difference.low if self.difference else None,
                "ci_high": self.difference.high if self.difference else None,
                "significant": self.difference.significant if self.difference else None}


@dataclass(frozen=True)
class OverallChange:
    """Every shared criterion pooled, case by case, then and now."""

    now: PooledRate
    before: PooledRate
    difference: RateDifference | None  # None without case-level spread on both sides

    @property
    def sentence(self) -> str:
        """'All shared criteria pooled over cases: 55% (12 cases) last time, 62% (11 cases)
        this time, a change of +7 points (95% interval -5 to +19), not significant.'"""
        change = self.difference
        text = (f"All shared criteria pooled over cases: {_pooled_text(self.before)} last "
                f"time, {_pooled_text(self.now)} this time")
        if change is None:
            return text + "; too few scored cases for an interval on the change."
        verdict = "significant" if change.significant else "not significant"
        unit = "point" if round(abs(change.difference) * 100) == 1 else "points"
        return (text + f", a change of {_points(change.difference)} {unit} (95% interval "
                f"{_points(change.low)} to {_points(change.high)}), {verdict}.")

    def to_dict(self) -> dict[str, Any]:
        change = self.difference
        return {"met_before": self.before.met, "scored_before": self.before.scored,
                "cases_before": self.before.cases, "rate_before": self.before.rate,
                "met_now": self.now.met, "scored_now": self.now.scored,
                "cases_now": self.now.cases, "rate_now": self.now.rate,
                "difference": change.difference if change else None,
                "ci_low": change.low if change else None,
                "ci_high": change.high if change else None,
                "significant": change.significant if change else None,
                "interval": "95% normal interval, case-clustered variances summed"}


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
    overall: OverallChange | None = None  # None where it cannot be pooled on both sides
    # Earlier criteria the version mapping says cannot be compared: (code, why).
    not_compared: tuple[tuple[str, str], ...] = ()
    # The earlier audit's question for each of those codes, so a reader sees what was asked.
    earlier_questions: tuple[tuple[str, str], ...] = ()

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
            mapped = sum(1 for row in self.rows if row.mapped_because)
            return (f"This audit uses version {version_now} of the framework, the earlier one "
                    f"version {version_before}: {both}"
                    + (f", {mapped} of them reworded but measuring the same thing"
                       if mapped else "") + ".")
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
                "overall": self.overall.to_dict() if self.overall else None,
                "criteria": [row.to_dict() for row in self.rows],
                "not_compared": [{"earlier_criterion": code, "why": why}
                                 for code, why in self.not_compared]}


def _pooled_text(pooled: PooledRate) -> str:
    if pooled.rate is None:
        return "no scored answers"
    cases = f" ({pooled.cases} case{'' if pooled.cases == 1 else 's'})" if pooled.cases else ""
    return f"{pooled.rate:.0%}{cases}"


def _points(value: float) -> str:
    rounded = round(value * 100)
    return f"{rounded:+d}" if rounded else "0"


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
    head, head_before = now.headline, before.headline
    mapping = (shipped_mapping(head.framework_key, head_before.framework_version,
                               head.framework_version)
               if head.framework_key == head_before.framework_key else None)
    return comparison_of(now, before, mapping)


def comparison_of(now: Findings, before: Findings,
                  mapping: VersionMapping | None = None) -> AuditComparison:
    """The comparison of two audits' findings (pure: no database). `mapping` pairs reworded
    criteria that measure the same thing, and says why others are not compared."""
    earlier = {(row.code, _same_wording(row.question)): row.compliance
               for row in before.criteria}
    by_code = {row.code: row.compliance for row in before.criteria}
    rows, shared_before = [], []
    for criterion in now.criteria:
        previous = earlier.get((criterion.code, _same_wording(criterion.question)))
        old_code, because = criterion.code, ""
        mapped = mapping.earlier_code(criterion.code) if mapping else None
        if previous is None and mapping is not None and mapped in by_code:
            previous, old_code = by_code[mapped], mapped
            because = mapping.why_comparable(criterion.code)
        if previous is None:
            continue
        current = criterion.compliance
        rows.append(ComparisonRow(
            criterion.code, criterion.question, current, previous,
            rate_difference(current.met, current.denominator, previous.met,
                            previous.denominator),
            old_code if old_code != criterion.code else "", because))
        shared_before.append(old_code)
    head, head_before = now.headline, before.headline
    return AuditComparison(
        head.audit_id, head.audit_name,
        (head.framework_key, head.framework_version, head.framework_title),
        head_before.audit_id, head_before.audit_name,
        (head_before.framework_key, head_before.framework_version, head_before.framework_title),
        len(now.criteria), len(before.criteria), tuple(rows),
        _overall(now, before, [row.criterion_code for row in rows], shared_before),
        tuple(sorted(mapping.not_comparable.items())) if mapping else (),
        tuple((row.code, row.question) for row in before.criteria
              if mapping and row.code in mapping.not_comparable))


def _overall(now: Findings, before: Findings, shared: list[str],
             shared_before: list[str]) -> OverallChange | None:
    """The shared criteria pooled per case on each side (by each side's own codes). A purged
    audit has no answers left, only its kept overall rate: usable only when every one of
    its criteria is shared."""
    pooled_now, pooled_before = _pooled(now, shared), _pooled(before, shared_before)
    if not shared or pooled_now is None or pooled_before is None:
        return None
    return OverallChange(pooled_now, pooled_before,
                         pooled_difference(pooled_now, pooled_before))


def _pooled(findings: Findings, shared: list[str]) -> PooledRate | None:
    if findings.case_data_deleted is None:
        case_ids = [case.case_id for case in findings.cases]
        # Answers awaiting moderation only feed the bounds, which a comparison does not use.
        return pooled_over(case_ids, shared, findings.effective, set())[1]
    if len(shared) == len(findings.criteria):
        return replace(findings.headline.pooled, awaiting=0)  # as the live side counts it
    return None


def _same_wording(question: str) -> str:
    # Spacing and letter case are not a change of measure; a change of words is.
    return " ".join(question.split()).casefold()
