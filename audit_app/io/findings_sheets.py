"""The findings workbook's summary sheets: Summary, Criteria, Breakdown and Agreement,
built from the findings as plain rows for the table writer (Method: `findings_method_sheets`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from audit_app.core.agreement import NOT_DEFINED, Agreement
from audit_app.core.answers import ReviewKind
from audit_app.core.audit_rows import AuditData
from audit_app.core.clustered import ONE_CASE, PooledRate, settled_bounds
from audit_app.core.copy_rules import PrivacyRules
from audit_app.core.findings import Findings
from audit_app.core.statistics import SMALL_SAMPLE, Compliance
from audit_app.core.verdicts import AgreedVerdicts
from audit_app.core.weighted import WeightedRate
from audit_app.io.findings_case_sheets import TextScrub, scrub_text
from audit_app.io.findings_weighting import (
    labelled,
    sample_label,
    weighted_columns,
    weighted_values,
)
from audit_app.io.workbook_tables import PERCENT, Column, Formatted, TableSheet

DATE = "yyyy-mm-dd"
RATE = "Compliance (fully met)"
# Named for what they bound: a sheet may hold more than one interval.
INTERVAL_LOW = "Compliance 95% interval low"
INTERVAL_HIGH = "Compliance 95% interval high"
COUNT_COLUMNS = (Column("Met", 7), Column("Partly met", 8), Column("Not met", 8),
                 Column("Not evidenced", 10), Column("N/A", 7), Column("Scored", 8),
                 Column(RATE, 12, PERCENT), Column(INTERVAL_LOW, 11, PERCENT),
                 Column(INTERVAL_HIGH, 11, PERCENT), Column("Partly met share", 10, PERCENT))
# 1-based column numbers on the Criteria sheet (after Section, Title, Code, Question).
CRITERIA_RATE_COLUMNS = (11,)
CRITERIA_WARNING_COLUMN = 17
SMALL_WARNING = f"Fewer than {SMALL_SAMPLE} scored cases: read with care"
SETTLED_COLUMNS = (Column("If awaiting answers all not met", 12, PERCENT),
                   Column("If awaiting answers all met", 12, PERCENT))


def count_values(compliance: Compliance) -> list[Any]:
    interval = compliance.interval
    return [compliance.met, compliance.partly_met, compliance.not_met, compliance.not_evidenced,
            compliance.not_applicable, compliance.denominator, compliance.rate,
            interval[0] if interval else None, interval[1] if interval else None,
            compliance.partly_rate]


def pooled_values(compliance: Compliance, pooled: PooledRate) -> list[Any]:
    """The counts, with the case-level interval in place of the answer-level one."""
    interval = pooled.interval
    return [*count_values(compliance)[:7], interval[0] if interval else None,
            interval[1] if interval else None, compliance.partly_rate]


def settled_values(met: int, scored: int, awaiting: int) -> list[float | None]:
    bounds = settled_bounds(met, scored, awaiting)
    return [bounds[0], bounds[1]] if bounds else [None, None]


def _percent(value: float | None) -> Formatted | str:
    return "–" if value is None else Formatted(value, PERCENT)


def summary_rows(data: AuditData, findings: Findings, rules: PrivacyRules,
                 scrub: TextScrub, references: Mapping[str, str] | None = None,
                 exported_by: str = "") -> list[tuple[Any, Any]]:
    head = findings.headline
    overall = head.overall
    pooled = head.pooled
    interval = pooled.interval
    no_interval = (ONE_CASE if pooled.cases == 1 else
                   "not kept with these findings" if pooled.cases is None else "–")
    bounds = pooled.settled_bounds
    order = list(rules.member_labels)  # members by role: in their numbered order
    members = {r.reviewer: r.organisation for r in data.reviews if r.kind != ReviewKind.CONSENSUS}
    panel = [rules.member(name) + (f" ({members[name]})" if members[name] else "")
             for name in sorted(members, key=lambda name: (
                 order.index(name) if name in order else 0, name))]
    deleted = findings.case_data_deleted
    if deleted is not None and not panel:
        panel = ["(not kept: the reviews went with the case data)"]
    rows: list[tuple[Any, Any]] = [
        ("Audit", scrub_text(scrub, "Summary sheet, audit name", data.audit_name)),
        *([("Case data deleted", deleted.notice)] if deleted is not None else []),
        ("Description", scrub_text(scrub, "Summary sheet, audit description", data.description)),
        ("Framework", data.framework.title_and_version),
        ("Meeting date", Formatted(data.meeting_date, DATE) if data.meeting_date else "–"),
        ("Exported on", Formatted(dt.date.today(), DATE)),
        *([("Exported by", exported_by)] if exported_by else []),
        ("Panel", ", ".join(panel)),
        ("Cases sampled", head.cases_sampled),
        ("Cases reviewed", head.cases_reviewed),
        ("Cases complete", head.cases_complete),
        (sample_label(findings, "Overall compliance (fully met)"), _percent(overall.rate)),
        ("95% interval, low (case level)", _percent(interval[0]) if interval else no_interval),
        ("95% interval, high (case level)", _percent(interval[1]) if interval else no_interval),
        ("Cases scored", "–" if pooled.cases is None else pooled.cases),
        ("Design effect (answers per independent answer)",
         Formatted(pooled.design_effect, "0.0") if pooled.design_effect is not None else "–"),
        *_weighted_rows(head.population, head.weighting),
        ("Partly met (shown apart)", _percent(overall.partly_rate)),
        ("Scored answers (N/A left out)", overall.denominator),
        ("Answers awaiting moderation (left out)", head.awaiting_moderation),
        *([("Compliance if all awaiting answers are not met", _percent(bounds[0])),
           ("Compliance if all awaiting answers are met", _percent(bounds[1]))]
          if bounds else []),
        ("Urgent safeguarding cases", head.urgent_safeguarding),
    ]
    if findings.agreed_verdicts is None:  # kept before agreed verdicts were counted
        rows += [(f"Verdict (agreed and provisional together): {label}", count)
                 for label, count in findings.verdicts]
    else:
        rows += _verdict_rows(findings.agreed_verdicts, rules, references or {})
    return rows + _withdrawal_rows(findings)


def _withdrawal_rows(findings: Findings) -> list[tuple[Any, Any]]:
    """When and why victims withdrew, as coded: counts only, so a partner copy keeps them."""
    picture = findings.withdrawals
    if picture is None or not (picture.cases_coded or picture.cases_not_agreed):
        return []
    return [("Cases coded with when and why the victim withdrew", picture.cases_coded),
            *((f"Withdrew: {c.stage_label}; {c.reason_label}", c.cases) for c in picture.counts),
            *([("Coded differently by members, not yet agreed", picture.cases_not_agreed)]
              if picture.cases_not_agreed else [])]


def _verdict_rows(agreed: AgreedVerdicts, rules: PrivacyRules, references: Mapping[str, str]
                  ) -> list[tuple[Any, Any]]:
    """The panel's question first; provisional verdicts and unresolved cases apart."""
    interval = agreed.interval
    rows: list[tuple[Any, Any]] = [
        ("Verdicts agreed by the panel", agreed.headline()),
        (f"{agreed.subject} judged appropriate (including with observations)",
         agreed.appropriate),
        ("Panel-agreed cases (appropriate or inappropriate)", agreed.cases),
        ("Judged appropriate, share of panel-agreed cases", _percent(agreed.rate)),
        ("95% interval, low (Wilson)", _percent(interval[0] if interval else None)),
        ("95% interval, high (Wilson)", _percent(interval[1] if interval else None)),
        ("Provisional verdicts (not yet agreed by the panel)", agreed.provisional_cases),
        ("Provisional: members say appropriate", agreed.provisional_appropriate),
        ("Provisional: members say inappropriate", agreed.provisional_inappropriate),
        ("Provisional: members differ or undecided", agreed.provisional_other)]
    for label, refs, count in (
            ("More information needed (not counted)", agreed.more_information,
             agreed.more_information_cases),
            ("Panel unable to agree (not counted)", agreed.unable_to_agree,
             agreed.unable_to_agree_cases)):
        # A partner copy carries aggregates only: the count, never the references.
        listed = ", ".join(references.get(r, r) for r in refs)
        rows.append((label, f"{count}: {listed}" if listed and not rules.for_partner
                     else count))
    return rows


def _weighted_rows(estimate: WeightedRate | None, note: str) -> list[tuple[Any, Any]]:
    rows: list[tuple[Any, Any]] = []
    if estimate is not None and estimate.rate is not None:
        interval = estimate.interval
        rows += [("Population estimate (weighted)", _percent(estimate.rate)),
                 ("Population estimate, 95% interval low",
                  _percent(interval[0] if interval else None)),
                 ("Population estimate, 95% interval high",
                  _percent(interval[1] if interval else None))]
    return rows + ([("Weighting", note)] if note else [])


def criteria_sheet(findings: Findings, finish: Callable[[Any, int], None]) -> TableSheet:
    columns = (Column("Section", 8), Column("Section title", 18, wrap=True),
               Column("Criterion", 10), Column("Question", 44, wrap=True), *COUNT_COLUMNS,
               Column("Awaiting moderation", 11), Column("Unanswered", 10),
               Column("Warning", 22, wrap=True), *SETTLED_COLUMNS,
               # data availability: last, so the columns before keep their places
               Column("Not in the file pack", 10), Column("Answered from the file pack", 12))
    rows = [(c.section_code, c.section_title, c.code, c.question, *count_values(c.compliance),
             c.awaiting_moderation, c.unanswered,
             SMALL_WARNING if c.compliance.small_sample else "",
             *settled_values(c.compliance.met, c.compliance.denominator, c.awaiting_moderation),
             c.compliance.not_in_file,
             f"{c.compliance.denominator} of {c.compliance.file_pack_needed}")
            for c in findings.criteria]
    return TableSheet("Criteria", columns, rows, len(rows), finish=finish, frozen_columns=3,
                      key_columns=(3, 4))


def breakdown_sheet(findings: Findings) -> TableSheet:
    weighted = weighted_columns(findings)  # population estimates beside the sample's rates
    columns = (Column("Breakdown", 14), Column("Group", 30, wrap=True),
               Column("Cases sampled", 8),
               Column("Cases scored", 8), *labelled(COUNT_COLUMNS, findings, RATE), *weighted,
               Column("Design effect", 8, "0.0"),
               Column("Warning", 22, wrap=True), Column("Awaiting moderation", 11),
               *SETTLED_COLUMNS)
    rows = [(b.dimension, b.group, b.cases, b.cases_scored,
             *pooled_values(b.compliance, b.pooled), *weighted_values(b.population, bool(weighted)),
             b.pooled.design_effect, _pooled_warning(b.pooled), b.pooled.awaiting,
             *settled_values(b.pooled.met, b.pooled.scored, b.pooled.awaiting))
            for b in findings.breakdowns]
    return TableSheet("Breakdown", columns, rows, len(rows), frozen_columns=2,
                      key_columns=(1, 2))


def _pooled_warning(pooled: PooledRate) -> str:
    if pooled.cases == 1:
        return f"{SMALL_WARNING} ({ONE_CASE})"
    return SMALL_WARNING if pooled.small_sample else ""


def agreement_sheet(data: AuditData, findings: Findings) -> TableSheet:
    """One row for every criterion pooled, then one per criterion: n cases rated by two or
    more members beside every figure, each figure with its 95% interval."""
    questions = {c.code: c.question for c in data.framework.criteria}
    columns = (Column("Criterion", 12), Column("Question", 40, wrap=True),
               Column("Cases rated by two or more members", 12), Column("Members", 9),
               Column("Percent agreement", 11, PERCENT),
               Column("Agreement 95% interval low", 11, PERCENT),
               Column("Agreement 95% interval high", 11, PERCENT),
               Column("Fleiss' kappa", 10, "0.00"),
               Column("Kappa 95% interval low", 10, "0.00"),
               Column("Kappa 95% interval high", 10, "0.00"),
               Column("Gwet's AC1", 10, "0.00"), Column("AC1 95% interval low", 10, "0.00"),
               Column("AC1 95% interval high", 10, "0.00"),
               Column("Cohen's kappa (two members only)", 12, "0.00"),
               Column("Reading (kappa)", 18, wrap=True),
               Column("How the intervals were found", 32, wrap=True))
    rows = []
    for finding in findings.agreement:
        measures = finding.agreement
        rated = measures.rated
        pooled = not finding.criterion_code
        rows.append((finding.criterion_code or "All criteria",
                     questions.get(finding.criterion_code, "Every criterion pooled"),
                     measures.cases, measures.raters, measures.percent_agreement,
                     *_ends(measures.percent_interval),
                     measures.fleiss_kappa if measures.fleiss_kappa is not None or not rated
                     else NOT_DEFINED, *_ends(measures.kappa_interval),
                     measures.gwet_ac1, *_ends(measures.ac1_interval), measures.cohen_kappa,
                     measures.reading, _interval_method(measures, pooled) if rated else ""))
    return TableSheet("Agreement", columns, rows, len(rows), frozen_columns=1,
                      key_columns=(1, 2))


def _ends(interval: tuple[float, float] | None) -> tuple[float | None, float | None]:
    return (None, None) if interval is None else interval


def _interval_method(measures: Agreement, pooled: bool) -> str:
    if not measures.resamples:
        return "(not recorded for these kept findings)"
    resampling = (f"{measures.resamples:,} resamples of the cases (seed {measures.seed})")
    return (f"All three by {resampling}" if pooled
            else f"Agreement: Wilson score; kappa and AC1: {resampling}")
