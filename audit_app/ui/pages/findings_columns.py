"""Column specs for the Findings page's tables (what each row shows and sorts by)."""

from __future__ import annotations

from audit_app.core.audit_rows import ActionRow
from audit_app.core.clustered import ONE_CASE, PooledRate, settled_bounds
from audit_app.core.findings import CaseFinding, CriterionFinding, TextEntry
from audit_app.core.findings_rates import BreakdownRow
from audit_app.core.statistics import Compliance
from audit_app.core.weighted import WeightedRate
from audit_app.ui.models.formatting import stratum_text
from audit_app.ui.models.row_table import Column

URGENT_COLOUR = "#f6d5d2"


WORD_JOINER = "\u2060"  # no line break here
NO_BREAK_SPACE = "\u00a0"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def span_text(low: float, high: float) -> str:
    """'70%–90%': the house style for a range of percentages, for a label that wraps: never
    split across lines (an en dash is otherwise a place a line may break). The tables keep
    '70% – 90%': a cell does not wrap."""
    return f"{low:.0%}{WORD_JOINER}\u2013{WORD_JOINER}{high:.0%}"


def unbroken(text: str) -> str:
    """`text` held on one line wherever a label wraps: "95% interval 54%–65%"."""
    return text.replace(" ", NO_BREAK_SPACE)


def rate_text(compliance: Compliance) -> str:
    if compliance.rate is None:
        return "—"
    return f"{compliance.rate:.0%}" + (" *" if compliance.small_sample else "")


def interval_text(compliance: Compliance) -> str:
    interval = compliance.interval
    return "—" if interval is None else f"{interval[0]:.0%} – {interval[1]:.0%}"


def pooled_rate_text(pooled: PooledRate) -> str:
    """A pooled rate, starred when fewer than ten cases were scored."""
    if pooled.rate is None:
        return "—"
    return f"{pooled.rate:.0%}" + (" *" if pooled.small_sample else "")


def pooled_interval_text(pooled: PooledRate) -> str:
    if pooled.interval is not None:
        return f"{pooled.interval[0]:.0%} – {pooled.interval[1]:.0%}"
    return ONE_CASE if pooled.cases == 1 else "—"


def bounds_text(met: int, scored: int, awaiting: int) -> str:
    """'42% – 50%': the rate if every answer awaiting moderation went one way or the other."""
    bounds = settled_bounds(met, scored, awaiting)
    return "—" if bounds is None else f"{bounds[0]:.0%} – {bounds[1]:.0%}"


def _pooled_key(pooled: PooledRate) -> float:
    return -1.0 if pooled.rate is None else pooled.rate


def _rate_key(compliance: Compliance) -> float:
    return -1.0 if compliance.rate is None else compliance.rate


CRITERIA_COLUMNS: list[Column[CriterionFinding]] = [
    Column("Code", lambda c: c.code),
    Column("Question", lambda c: c.question),
    Column("Met", lambda c: str(c.compliance.met), lambda c: c.compliance.met, True),
    Column("Partly", lambda c: str(c.compliance.partly_met), lambda c: c.compliance.partly_met, True),
    Column("Not met", lambda c: str(c.compliance.not_met), lambda c: c.compliance.not_met, True),
    Column("Not evid.", lambda c: str(c.compliance.not_evidenced),
           lambda c: c.compliance.not_evidenced, True, "Not evidenced on the file"),
    Column("N/A", lambda c: str(c.compliance.not_applicable),
           lambda c: c.compliance.not_applicable, True),
    Column("Compliance", lambda c: rate_text(c.compliance), lambda c: _rate_key(c.compliance), True,
           "Share fully met, of answers that count (N/A left out). * small sample"),
    Column("95% interval", lambda c: interval_text(c.compliance), tooltip="Wilson score interval"),
    Column("Awaiting mod.", lambda c: str(c.awaiting_moderation), lambda c: c.awaiting_moderation,
           True, "Members disagree and the panel has not yet moderated"),
    Column("If settled", lambda c: bounds_text(c.compliance.met, c.compliance.denominator,
                                               c.awaiting_moderation),
           tooltip="Compliance if every answer awaiting moderation were settled as not met, "
                   "and if every one were settled as met"),
]

BREAKDOWN_COLUMNS: list[Column[BreakdownRow]] = [
    Column("By", lambda b: b.dimension),
    Column("Group", lambda b: b.group),
    Column("Cases sampled", lambda b: str(b.cases), lambda b: b.cases, True),
    Column("Cases scored", lambda b: "—" if b.cases_scored is None else str(b.cases_scored),
           lambda b: b.cases_scored or 0, True, "Cases with at least one scored answer here"),
    Column("Answers", lambda b: str(b.compliance.denominator), lambda b: b.compliance.denominator, True),
    Column("Compliance", lambda b: pooled_rate_text(b.pooled), lambda b: _pooled_key(b.pooled), True,
           "The sample's share fully met (unweighted). * fewer than 10 cases scored"),
    Column("95% interval", lambda b: pooled_interval_text(b.pooled),
           tooltip="With the case as the unit: answers on one case are not independent"),
    Column("If settled", lambda b: bounds_text(b.pooled.met, b.pooled.scored, b.pooled.awaiting),
           tooltip="Compliance if every answer awaiting moderation were settled as not met, "
                   "and if every one were settled as met"),
    Column("Population estimate", lambda b: weighted_text(b.population),
           lambda b: b.population.rate if b.population and b.population.rate is not None
           else -1.0, True,
           "Weighted by each case's chance of selection, with its 95% interval; the "
           "Compliance column is the sample's own rate, unweighted"),
]
# Shown only where the draw makes weights apply (see core.findings_weights).
POPULATION_COLUMN = len(BREAKDOWN_COLUMNS) - 1


def weighted_text(estimate: WeightedRate | None) -> str:
    """'34% (95% interval 21% – 50%)', or a dash where the figure is not weighted."""
    if estimate is None or estimate.rate is None:
        return "—"
    interval = estimate.interval
    return f"{estimate.rate:.0%}" + (
        f" (95% interval {interval[0]:.0%} – {interval[1]:.0%})" if interval else "")

CASE_COLUMNS: list[Column[CaseFinding]] = [
    Column("Urgent", lambda c: "URGENT" if c.urgent_safeguarding else "",
           lambda c: not c.urgent_safeguarding, tooltip="Urgent safeguarding concern",
           highlight=lambda c: URGENT_COLOUR if c.urgent_safeguarding else None),
    Column("#", lambda c: str(c.position), lambda c: c.position, True),
    Column("Reference", lambda c: c.reference),
    Column("Stratum", lambda c: stratum_text(c.stratum)),
    Column("Status", lambda c: c.status),
    Column("Verdict", lambda c: c.verdict),
    Column("Verdict status", lambda c: c.verdict_status or "—",
           tooltip="Only verdicts agreed by the panel count in the headline; provisional "
                   "ones are shown apart"),
    Column("Reviewers", lambda c: ", ".join(c.reviewers)),
    Column("Compliance", lambda c: rate_text(c.compliance), lambda c: _rate_key(c.compliance), True),
]

TEXT_COLUMNS: list[Column[tuple[str, TextEntry]]] = [
    Column("Type", lambda t: t[0]),
    Column("Reference", lambda t: t[1].reference),
    Column("Reviewer", lambda t: t[1].reviewer + (" (panel)" if t[1].kind == "consensus" else "")),
    Column("Text", lambda t: t[1].text),
]

ACTION_COLUMNS: list[Column[ActionRow]] = [
    Column("Description", lambda a: a.description),
    Column("Case", lambda a: a.case_reference or "—"),
    Column("Criterion", lambda a: a.criterion_code or "—"),
    Column("Owner", lambda a: a.owner or "—"),
    Column("Due", lambda a: a.due_date.strftime("%d/%m/%Y") if a.due_date else "—",
           lambda a: a.due_date.isoformat() if a.due_date else "9999"),
    Column("Status", lambda a: a.status.replace("_", " ").capitalize()),
]
