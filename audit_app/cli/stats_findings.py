"""`audit-app stats` for people: the headline, then one line per criterion with its interval."""

from __future__ import annotations

from audit_app.cli.output import format_table
from audit_app.core.clustered import describe_bounds, describe_pooled, settled_bounds
from audit_app.core.consistency import checks_lines
from audit_app.core.findings import Findings
from audit_app.core.findings_rates import file_pack_text
from audit_app.core.statistics import Compliance
from audit_app.core.thresholds import Thresholds
from audit_app.core.weighted import WeightedRate


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def rate_with_interval(compliance: Compliance) -> str:
    """'62% (48%–74%)', or 'no scored answers'; small samples are marked with '*'."""
    if compliance.rate is None:
        return "no scored answers"
    interval = compliance.interval
    text = percent(compliance.rate)
    if interval is not None:
        text += f" ({percent(interval[0])}–{percent(interval[1])})"
    return text + (" *" if compliance.small_sample else "")


def findings_text(findings: Findings) -> list[str]:
    head = findings.headline
    lines = [
        f"{head.audit_name} (audit {head.audit_id}), {head.framework_title} "
        f"v{head.framework_version}",
        *([findings.case_data_deleted.notice] if findings.case_data_deleted else []),
        f"Cases sampled {head.cases_sampled}, reviewed {head.cases_reviewed}, "
        f"complete {head.cases_complete}",
        f"Overall compliance (fully met){_UNWEIGHTED if head.population else ''}: "
        f"{describe_pooled(head.pooled)}, "
        f"{head.overall.denominator} scored answers" + _design_effect(head.pooled.design_effect),
    ]
    lines.append(status_line(findings.thresholds, head.overall.rate))
    if head.overall.not_in_file:  # a data-availability gap, apart from compliance
        lines.append(f"Data availability: {file_pack_text(head.overall)}.")
    if head.population is not None and head.population.rate is not None:
        lines.append(f"Population estimate (weighted): {_weighted_text(head.population)}")
    if head.weighting:
        lines.append(head.weighting)
    if head.pooled.small_sample:
        lines.append("* fewer than 10 cases scored: read the overall rate with care.")
    if head.awaiting_moderation:
        bounds = describe_bounds(head.pooled.settled_bounds, head.pooled.awaiting)
        lines.append(f"{head.awaiting_moderation} answers where reviewers differ are left out "
                     "until the panel agrees them" + (f": {bounds}." if bounds else "."))
    if head.urgent_safeguarding and findings.urgent_cases:
        references = ", ".join(case.reference for case in findings.urgent_cases)
        lines.append(f"URGENT safeguarding flagged on {head.urgent_safeguarding} case(s): "
                     f"{references}")
    elif head.urgent_safeguarding:  # kept findings: the references went with the case data
        lines.append(f"Urgent safeguarding was flagged on {head.urgent_safeguarding} case(s).")
    lines += verdict_lines(findings) + (findings.withdrawals.summary() if findings.withdrawals
                                        else [])
    if findings.case_data_deleted is None:  # the checks name cases: they go with the case data
        lines += checks_lines(findings.checks)
    lines += ["", format_table(
        ("Criterion", "Met", "Partly", "Not met", "Not evid.", "N/A", "Compliance (95% CI)",
         "Status"),
        [(c.code, c.compliance.met, c.compliance.partly_met, c.compliance.not_met,
          c.compliance.not_evidenced, c.compliance.not_applicable,
          rate_with_interval(c.compliance), findings.thresholds.status(c.compliance.rate) or "–")
         for c in findings.criteria])]
    if any(c.compliance.small_sample for c in findings.criteria):
        lines.append("* fewer than 10 cases scored: read with care.")
    lines += [f"{c.code}: {file_pack_text(c.compliance)}"
              for c in findings.criteria if c.compliance.not_in_file]
    lines += _criteria_bounds(findings)
    if findings.breakdowns:
        weighted = any(b.population is not None for b in findings.breakdowns)
        lines += ["", "By section and group (95% interval with the case as the unit):",
                  format_table(("By", "Group", "Cases sampled",
                                "Compliance (95% CI), cases scored"
                                + (_UNWEIGHTED if weighted else ""),
                                *(["Population estimate (weighted)"] if weighted else [])),
                               [(b.dimension, b.group, b.cases, describe_pooled(b.pooled)
                                 + (" *" if b.pooled.small_sample and b.pooled.rate is not None else ""),
                                 *([_weighted_text(b.population)] if weighted else []))
                                for b in findings.breakdowns])]
    return lines


_UNWEIGHTED = ", sample (unweighted)"


def verdict_lines(findings: Findings) -> list[str]:
    """The agreed-verdict headline, provisional verdicts apart, unresolved cases listed."""
    agreed = findings.agreed_verdicts
    if agreed is None:  # findings kept before agreed verdicts were counted
        return (["Verdicts (agreed and provisional together): " + "; ".join(
            f"{label} {count}" for label, count in findings.verdicts)]
            if findings.verdicts else [])
    return [agreed.headline(), *([agreed.provisional()] if agreed.provisional_cases else []),
            *agreed.unresolved()]


def _weighted_text(estimate: WeightedRate | None) -> str:
    if estimate is None or estimate.rate is None:
        return "–"
    interval = estimate.interval
    text = f"{percent(estimate.rate)}"
    return text + (f" (95% interval {percent(interval[0])}–{percent(interval[1])})"
                   if interval else "")


def _design_effect(value: float | None) -> str:
    return "" if value is None else f" (design effect {value:.1f})"


def _criteria_bounds(findings: Findings) -> list[str]:
    """One line per criterion with answers awaiting moderation: the rate settled either way."""
    lines = []
    for criterion in findings.criteria:
        bounds = settled_bounds(criterion.compliance.met, criterion.compliance.denominator,
                                criterion.awaiting_moderation)
        if bounds is not None:
            lines.append(f"{criterion.code}: {percent(criterion.compliance.rate)}; "
                         + describe_bounds(bounds, criterion.awaiting_moderation))
    return ["", "Awaiting moderation:", *lines] if lines else []


def status_line(thresholds: Thresholds, overall_rate: float | None) -> str:
    """'Overall status: Red (panel's thresholds: Green from 90%, ...)'."""
    status = thresholds.status(overall_rate) or "no rate yet"
    return f"Overall status: {status} (panel's thresholds: {thresholds.describe()})"
