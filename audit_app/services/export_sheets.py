"""The findings workbook's smaller sheets: Summary, Criteria, Breakdown, Learning,
Agreement and Method, built from the findings as plain rows for the table writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from audit_app.core.agreement import NOT_DEFINED, Agreement
from audit_app.core.answers import ReviewKind
from audit_app.core.audit_rows import AuditData
from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.clustered import ONE_CASE, PooledRate, settled_bounds
from audit_app.core.findings import Findings
from audit_app.core.statistics import SMALL_SAMPLE, Compliance
from audit_app.core.verdicts import AgreedVerdicts
from audit_app.core.weighted import WeightedRate
from audit_app.io.workbook_tables import PERCENT, Column, Formatted, TableSheet
from audit_app.services.comparison import AuditComparison
from audit_app.services.export_case_sheets import TextScrub
from audit_app.services.export_privacy import PrivacyRules
from audit_app.services.export_weighting import (
    VERDICT_METHOD,
    WEIGHTS_METHOD,
    labelled,
    sample_label,
    weighted_columns,
    weighted_values,
)

DATE = "yyyy-mm-dd"
RATE = "Compliance (fully met)"
CHANGE = "+0%;-0%;0%"  # a change in percentage points, signed
COMPARISON_METHOD = ("Each change is this audit's fully-met rate minus the earlier one's, "
                     "with a 95% Newcombe hybrid score interval over cases (one answer per "
                     "case on a criterion); it is significant where the interval leaves out "
                     "zero.")
COMPARISON_OVERALL = ("The first row pools every shared criterion: answers within a case are "
                      "not independent, so its change has a 95% interval from each audit's "
                      "case-clustered variance, summed.")

COUNT_COLUMNS = (Column("Met", 7), Column("Partly met", 8), Column("Not met", 8),
                 Column("Not evidenced", 10), Column("N/A", 7), Column("Scored", 8),
                 Column(RATE, 12, PERCENT), Column("95% CI low", 9, PERCENT),
                 Column("95% CI high", 9, PERCENT), Column("Partly met share", 10, PERCENT))
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
                 scrub: TextScrub, references: Mapping[str, str] | None = None
                 ) -> list[tuple[Any, Any]]:
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
        ("Audit", _scrub(scrub, "Summary sheet, audit name", data.audit_name)),
        *([("Case data deleted", deleted.notice)] if deleted is not None else []),
        ("Description", _scrub(scrub, "Summary sheet, audit description", data.description)),
        ("Framework", f"{data.framework.title} ({data.framework.key} v{data.framework.version})"),
        ("Meeting date", Formatted(data.meeting_date, DATE) if data.meeting_date else "–"),
        ("Exported on", Formatted(dt.date.today(), DATE)),
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
    return rows


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
    columns = (Column("Section", 8), Column("Section title", 24), Column("Criterion", 10),
               Column("Question", 50), *COUNT_COLUMNS, Column("Awaiting moderation", 11),
               Column("Unanswered", 10), Column("Warning", 30), *SETTLED_COLUMNS)
    rows = [(c.section_code, c.section_title, c.code, c.question, *count_values(c.compliance),
             c.awaiting_moderation, c.unanswered,
             SMALL_WARNING if c.compliance.small_sample else "",
             *settled_values(c.compliance.met, c.compliance.denominator, c.awaiting_moderation))
            for c in findings.criteria]
    return TableSheet("Criteria", columns, rows, len(rows), finish=finish)


def breakdown_sheet(findings: Findings) -> TableSheet:
    weighted = weighted_columns(findings)  # population estimates beside the sample's rates
    columns = (Column("Breakdown", 14), Column("Group", 40), Column("Cases sampled", 8),
               Column("Cases scored", 8), *labelled(COUNT_COLUMNS, findings, RATE), *weighted,
               Column("Design effect", 8, "0.0"),
               Column("Warning", 30), Column("Awaiting moderation", 11), *SETTLED_COLUMNS)
    rows = [(b.dimension, b.group, b.cases, b.cases_scored,
             *pooled_values(b.compliance, b.pooled), *weighted_values(b.population, bool(weighted)),
             b.pooled.design_effect, _pooled_warning(b.pooled), b.pooled.awaiting,
             *settled_values(b.pooled.met, b.pooled.scored, b.pooled.awaiting))
            for b in findings.breakdowns]
    return TableSheet("Breakdown", columns, rows, len(rows))


def _pooled_warning(pooled: PooledRate) -> str:
    if pooled.cases == 1:
        return f"{SMALL_WARNING} ({ONE_CASE})"
    return SMALL_WARNING if pooled.small_sample else ""


def agreement_sheet(data: AuditData, findings: Findings) -> TableSheet:
    """One row for every criterion pooled, then one per criterion: n cases rated by two or
    more members beside every figure, each figure with its 95% interval."""
    questions = {c.code: c.question for c in data.framework.criteria}
    columns = (Column("Criterion", 12), Column("Question", 50),
               Column("Cases rated by two or more members", 12), Column("Members", 9),
               Column("Percent agreement", 11, PERCENT), Column("Agreement low", 9, PERCENT),
               Column("Agreement high", 9, PERCENT), Column("Fleiss' kappa", 10, "0.00"),
               Column("Kappa low", 9, "0.00"), Column("Kappa high", 9, "0.00"),
               Column("Gwet's AC1", 10, "0.00"), Column("AC1 low", 9, "0.00"),
               Column("AC1 high", 9, "0.00"), Column("Cohen's kappa (two members only)", 12,
                                                      "0.00"),
               Column("Reading (kappa)", 20), Column("How the intervals were found", 40))
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
    return TableSheet("Agreement", columns, rows, len(rows))


def _ends(interval: tuple[float, float] | None) -> tuple[float | None, float | None]:
    return (None, None) if interval is None else interval


def _interval_method(measures: Agreement, pooled: bool) -> str:
    if not measures.resamples:
        return "(not recorded for these kept findings)"
    resampling = (f"{measures.resamples:,} resamples of the cases (seed {measures.seed})")
    return (f"All three by {resampling}" if pooled
            else f"Agreement: Wilson score; kappa and AC1: {resampling}")


METHOD_NOTES = (
    ("Compliance", "Fully met ÷ (met + partly met + not met + not evidenced). N/A leaves the "
                   "denominator; 'not evidenced on file' counts against; 'partly met' is shown "
                   "apart, never half-counted."),
    ("Confidence interval", "Per criterion (one answer per case): 95% Wilson score "
                            "interval, suited to small samples and to rates near 0% or 100%."),
    ("Pooled rates", "Overall, section and group rates treat the case as the unit: answers on "
                     "one case are not independent. Ratio estimator (met ÷ scored, summed over "
                     "cases) with case-clustered linearised (Taylor) variance and the n/(n-1) "
                     "factor; 95% interval on the logit scale, so it stays between 0% and "
                     "100%. Where every case scores the same (for example all 100%) the "
                     "interval is Wilson's with one observation per case; one case gives no "
                     "interval. The design effect says how many answers count as one "
                     "independent answer."),
    ("Weights", WEIGHTS_METHOD),
    ("Headline verdict rate", VERDICT_METHOD),
    ("Small samples", f"Figures resting on fewer than {SMALL_SAMPLE} scored cases are flagged."),
    ("Awaiting moderation", "Answers where members differ and the panel has not yet agreed are "
                            "left out of the rate and shown as bounds: the rate if every one "
                            "were settled as not met, and if every one were settled as met."),
    ("Which answer counts", "The panel's agreed (consensus) answer; else a single member's "
                            "answer; else the members' shared answer. Where members differ "
                            "and the panel has not agreed, the answer awaits moderation: it "
                            "is left out of the rate and shown as bounds."),
    ("Cases counted", "The current sample's cases, excluding any replaced."),
    ("Agreement", "Between members' own answers (automatic N/A left out), over cases rated "
                  "by at least two members. Percent agreement with a Wilson interval; Fleiss' "
                  "kappa (for a varying number of members; not defined where every answer is "
                  "the same) and Gwet's AC1 with 95% intervals from 2,000 resamples of cases "
                  "(seed 1971); pooled figures resample whole cases; Cohen's kappa where two "
                  "members rated. Readings after Landis and Koch (1977), only with 10 or more "
                  "cases."),
)


def _field_label(key: str) -> str:
    field = FIELDS_BY_KEY.get(key)
    return field.label if field is not None else key


def _scrub(scrub: TextScrub, place: str, text: str) -> str:
    return scrub(place, text) if text and text.strip() else text


def method_sheet(data: AuditData, sample: Any, rules: PrivacyRules, references: dict[str, str],
                 scrub: TextScrub, release_lines: Sequence[tuple[str, str]] = ()) -> TableSheet:
    columns = (Column("Topic", 26), Column("Detail", 70), Column("In population", 12),
               Column("In sample", 10))
    framework = data.framework
    rows: list[Sequence[Any]] = [
        ("Framework", f"{framework.key} version {framework.version}: {framework.title}", None,
         None)]
    rows += [(topic, detail, None, None) for topic, detail in METHOD_NOTES]
    deleted = data.case_data_deleted
    if deleted is not None:
        rows.append(("Findings kept at deletion", deleted.notice + (
            " Every figure here comes from the aggregate findings stored just before the "
            "deletion." if deleted.findings_kept else ""), None, None))
    if sample is None:
        rows.append(("Sample", "No sample drawn yet", None, None))
    else:
        strata_shown = all(rules.keeps_field(key) for key in sample.strata_fields)
        rows += [
            ("Sample method", sample.method, None, None),
            ("Seed", str(sample.seed), None, None),
            ("Population fingerprint (SHA-256)", sample.fingerprint, None, None),
            ("Population and sample size", "", sample.population_size, sample.size),
            # Not who drew it: that may be a computer account (the change log keeps it).
            ("Drawn", f"{sample.drawn_at:%Y-%m-%d %H:%M} UTC", None, None),
            ("Stratified by", ", ".join(_field_label(key) for key in sample.strata_fields)
             or "(not stratified)", None, None),
            ("Allocation", sample.allocation, None, None),
            # A filter may name an officer or victim: the partner copy scrubs it like notes.
            ("Scope filter", _scrub(scrub, "Method sheet, scope filter", sample.where)
             or "(whole population)", None, None),
            ("Always included", _scrub(scrub, "Method sheet, cases always included",
                                       sample.include_always) or "(none)", None, None),
            ("Excluded as reviewed in earlier audits",
             str(sample.excluded_reviewed) if sample.exclude_reviewed else "(none)", None, None),
            ("Selection rule", sample.selection_rule, None, None),
            ("Fingerprint rule", sample.fingerprint_rule, None, None),
            ("Stratum names", "Field values joined by ' / '; not recorded reads (blank), "
             "yes/no fields Yes or No, dates YYYY-MM-DD", None, None),
        ]
        for replaced in sample.replacements:
            # References are swapped whole (a raw one must not survive pseudonymising).
            original = references.get(replaced.original_reference,
                                      replaced.original_reference)
            new = (references.get(replaced.replacement_reference,
                                  replaced.replacement_reference)
                   if replaced.replacement_reference else "(none left in stratum)")
            reason = _scrub(scrub, f"Method sheet, reason {original} was replaced",
                            replaced.reason)
            rows.append(("Replacement", f"{original} replaced by {new}: {reason}", None, None))
        for name, in_population, in_sample in sample.strata:
            label = name if strata_shown else "(withheld: built on a personal field)"
            # A sample purged before purges kept its counts per stratum: they are unknown.
            rows.append((f"Stratum: {label}" if name else "Stratum: (all)", "", in_population,
                         in_sample if sample.sample_counts_known else None))
    rows += [(topic, detail, None, None) for topic, detail in release_lines]
    return TableSheet("Method", columns, rows, len(rows), landscape=False)


def comparison_sheet(comparison: AuditComparison, earlier_name: str) -> TableSheet:
    """Rates per shared criterion then and now, the change and its Newcombe interval; the
    notes under the table say which criteria were compared and why no pooled row is given."""
    columns = (Column("Criterion", 12), Column("Question", 50), Column("Met before", 8),
               Column("Scored before", 8), Column("Compliance before", 11, PERCENT),
               Column("Met now", 8), Column("Scored now", 8),
               Column("Compliance now", 11, PERCENT), Column("Change", 9, CHANGE),
               Column("Change 95% CI low", 10, CHANGE), Column("Change 95% CI high", 10, CHANGE),
               Column(f"Significant (vs {earlier_name})"[:120], 16))
    values: list[tuple[Any, ...]] = []
    overall = comparison.overall
    if overall is not None:
        change = overall.difference
        values.append(("All shared", "Every criterion in both audits, pooled case by case",
                       overall.before.met, overall.before.scored, overall.before.rate,
                       overall.now.met, overall.now.scored, overall.now.rate,
                       change.difference if change else None, change.low if change else None,
                       change.high if change else None,
                       ("Yes" if change.significant else "No") if change else
                       "Too few scored cases"))
    for row in comparison.rows:
        change = row.difference
        values.append((row.criterion_code, row.question, row.before.met,
                       row.before.denominator, row.before.rate, row.now.met,
                       row.now.denominator, row.now.rate,
                       change.difference if change else None, change.low if change else None,
                       change.high if change else None,
                       ("Yes" if change.significant else "No") if change else
                       "No scored answers"))
    blank = (None,) * (len(columns) - 2)
    values += [("Note", comparison.notice, *blank),
               ("Note", COMPARISON_METHOD, *blank),
               ("Note", COMPARISON_OVERALL, *blank)]
    return TableSheet("Comparison", columns, values, len(values))
