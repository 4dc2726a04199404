"""`audit-app stats --compare-with ID` for people: last time's rate, this time's, the
change with its 95% Newcombe interval, and whether the samples can show it."""

from __future__ import annotations

from audit_app.cli.output import format_table
from audit_app.cli.stats_findings import percent
from audit_app.core.comparison import RateDifference
from audit_app.services.comparison import AuditComparison, ComparisonRow


def points(value: float) -> str:
    """A change in percentage points, signed: '+12 pts', '-3 pts', '0 pts'."""
    rounded = round(value * 100)
    return f"{rounded:+d} pts" if rounded else "0 pts"


def change_text(change: RateDifference | None) -> str:
    if change is None:
        return "no scored answers"
    return f"{points(change.difference)} ({points(change.low)} to {points(change.high)})"


def significance_text(change: RateDifference | None) -> str:
    if change is None:
        return "–"
    return "yes" if change.significant else "no"


def _rate(row: ComparisonRow, now: bool) -> str:
    compliance = row.now if now else row.before
    if compliance.rate is None:
        return "–"
    return f"{percent(compliance.rate)} of {compliance.denominator}"


def comparison_text(comparison: AuditComparison) -> list[str]:
    lines = [f"Compared with {comparison.earlier_name} (audit {comparison.earlier_audit_id})",
             comparison.notice]
    if comparison.overall is not None:
        lines.append(comparison.overall.sentence)
    lines += [f"Criterion {row.criterion_code} is compared with the earlier "
              f"{row.earlier_code or row.criterion_code}: {row.mapped_because}"
              for row in comparison.rows if row.mapped_because]
    lines += [f"Not compared: earlier criterion {code}. {why}"
              for code, why in comparison.not_compared]
    if not comparison.rows:
        return lines
    lines += ["", format_table(
        ("Criterion", "Last time", "This time", "Change (95% interval)", "Significant"),
        [(row.criterion_code, _rate(row, now=False), _rate(row, now=True),
          change_text(row.difference), significance_text(row.difference))
         for row in comparison.rows])]
    lines += ["Rates are the share of scored cases fully met. Each change has a 95% Newcombe "
              "interval over cases; it is significant where the interval leaves out zero.",
              "The pooled change's interval is case-clustered: answers within a case are not "
              "independent."]
    return lines
