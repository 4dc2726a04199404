"""The findings workbook's Method and Comparison sheets: how every figure was found, the
sample's record, and the change since an earlier audit.

They read the sample record and the comparison through the small protocols below, so the
layout depends only on what it shows, not on where the records come from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from audit_app.core.audit_rows import AuditData
from audit_app.core.case_fields import describe_case_condition, field_label
from audit_app.core.clustered import PooledRate
from audit_app.core.comparison import RateDifference
from audit_app.core.copy_rules import PrivacyRules
from audit_app.core.sampling import ALLOCATION_LABELS, METHOD_LABELS
from audit_app.core.statistics import SMALL_SAMPLE, Compliance
from audit_app.io.findings_case_sheets import TextScrub, scrub_text
from audit_app.io.findings_weighting import VERDICT_METHOD, WEIGHTS_METHOD
from audit_app.io.workbook_tables import PERCENT, Column, TableSheet

CHANGE = "+0%;-0%;0%"  # a change in percentage points, signed
COMPARISON_METHOD = ("Each change is this audit's fully-met rate minus the earlier one's, "
                     "with a 95% Newcombe hybrid score interval over cases (one answer per "
                     "case on a criterion); it is significant where the interval leaves out "
                     "zero.")
COMPARISON_OVERALL = ("The first row pools every shared criterion: answers within a case are "
                      "not independent, so its change has a 95% interval from each audit's "
                      "case-clustered variance, summed.")



class Replacement(Protocol):
    @property
    def original_reference(self) -> str: ...
    @property
    def replacement_reference(self) -> str | None: ...
    @property
    def reason(self) -> str: ...


class SampleRecord(Protocol):
    """What the Method sheet shows of the sample's record (`services.sampling`)."""

    @property
    def method(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def population_size(self) -> int: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def strata_fields(self) -> tuple[str, ...]: ...
    @property
    def allocation(self) -> str: ...
    @property
    def where(self) -> str: ...
    @property
    def drawn_at(self) -> dt.datetime: ...
    @property
    def strata(self) -> tuple[tuple[str, int, int], ...]: ...
    @property
    def include_always(self) -> str: ...
    @property
    def exclude_reviewed(self) -> bool: ...
    @property
    def excluded_reviewed(self) -> int: ...
    @property
    def replacements(self) -> Sequence[Replacement]: ...
    @property
    def sample_counts_known(self) -> bool: ...
    @property
    def selection_rule(self) -> str: ...
    @property
    def fingerprint_rule(self) -> str: ...


class ComparedCriterion(Protocol):
    @property
    def criterion_code(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def now(self) -> Compliance: ...
    @property
    def before(self) -> Compliance: ...
    @property
    def difference(self) -> RateDifference | None: ...


class PooledChange(Protocol):
    @property
    def now(self) -> PooledRate: ...
    @property
    def before(self) -> PooledRate: ...
    @property
    def difference(self) -> RateDifference | None: ...


class Comparison(Protocol):
    """What the Comparison sheet shows (`services.comparison.AuditComparison`)."""

    @property
    def rows(self) -> Sequence[ComparedCriterion]: ...
    @property
    def overall(self) -> PooledChange | None: ...
    @property
    def notice(self) -> str: ...
    @property
    def not_compared(self) -> Sequence[tuple[str, str]]: ...  # earlier code, why
    @property
    def earlier_questions(self) -> Sequence[tuple[str, str]]: ...  # earlier code, question


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


def _as_written(_place: str, text: str) -> str:
    return text


def _label(labels: Mapping[Any, str], value: str) -> str:
    """A stored method or allocation ("proportional") as people say it."""
    return labels.get(value, value)


def method_sheet(data: AuditData, sample: SampleRecord | None, rules: PrivacyRules,
                 references: dict[str, str], scrub: TextScrub,
                 release_lines: Sequence[tuple[str, str]] = ()) -> TableSheet:
    columns = (Column("Topic", 26, wrap=True), Column("Detail", 90, wrap=True),
               Column("In population", 12), Column("In sample", 10))
    framework = data.framework
    rows: list[Sequence[Any]] = [
        ("Framework", framework.title_and_version, None, None)]
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
            ("Sample method", _label(METHOD_LABELS, sample.method), None, None),
            ("Seed", str(sample.seed), None, None),
            ("Population fingerprint (SHA-256)", sample.fingerprint, None, None),
            ("Population and sample size", "", sample.population_size, sample.size),
            # Not who drew it: that may be a computer account (the change log keeps it).
            ("Drawn", f"{sample.drawn_at:%Y-%m-%d %H:%M} UTC", None, None),
            ("Stratified by", ", ".join(field_label(key) for key in sample.strata_fields)
             or "(not stratified)", None, None),
            ("Allocation", _label(ALLOCATION_LABELS, sample.allocation), None, None),
            # A filter may name an officer or victim: the partner copy scrubs it like notes.
            ("Scope filter", scrub_text(scrub, "Method sheet, scope filter",
                                         describe_case_condition(sample.where))
             or "(whole population)", None, None),
            ("Always included", scrub_text(scrub, "Method sheet, cases always included",
                                       describe_case_condition(sample.include_always))
             or "(none)", None, None),
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
            reason = scrub_text(scrub, f"Method sheet, reason {original} was replaced",
                            replaced.reason)
            rows.append(("Replacement", f"{original} replaced by {new}: {reason}", None, None))
        for name, in_population, in_sample in sample.strata:
            label = name if strata_shown else "(withheld: built on a personal field)"
            # A sample purged before purges kept its counts per stratum: they are unknown.
            rows.append((f"Stratum: {label}" if name else "Stratum: (all)", "", in_population,
                         in_sample if sample.sample_counts_known else None))
    rows += [(topic, detail, None, None) for topic, detail in release_lines]
    return TableSheet("Method", columns, rows, len(rows))


def _not_compared_rows(comparison: Comparison, scrub: TextScrub, width: int
                       ) -> list[tuple[Any, ...]]:
    """One row per earlier criterion the version mapping leaves out: its code, its question
    and why. Framework text, not case data, yet scrubbed like the sheet's other free text."""
    questions = dict(comparison.earlier_questions)
    blank = (None,) * (width - 2)
    rows: list[tuple[Any, ...]] = []
    for code, why in comparison.not_compared:
        question = " ".join(questions.get(code, "").split())
        text = (f"Earlier criterion {code}" + (f", \u201c{question}\u201d" if question else "")
                + f", is not compared. {why}")
        rows.append(("Not compared", scrub_text(scrub, f"Comparison sheet, criterion {code}",
                                                text), *blank))
    return rows


def comparison_sheet(comparison: Comparison, earlier_name: str,
                     scrub: TextScrub | None = None) -> TableSheet:
    """Rates per shared criterion then and now, the change and its Newcombe interval; the
    notes under the table say which criteria were compared and why no pooled row is given,
    and which earlier criteria were not compared, and why."""
    columns = (Column("Criterion", 12), Column("Question", 40, wrap=True),
               Column("Met before", 8),
               Column("Scored before", 8), Column("Compliance before", 11, PERCENT),
               Column("Met now", 8), Column("Scored now", 8),
               Column("Compliance now", 11, PERCENT), Column("Change", 9, CHANGE),
               Column("Change 95% interval low", 10, CHANGE),
               Column("Change 95% interval high", 10, CHANGE),
               Column(f"Significant (vs {earlier_name})"[:120], 16, wrap=True))
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
    values += _not_compared_rows(comparison, scrub or _as_written, len(columns))
    return TableSheet("Comparison", columns, values, len(values), frozen_columns=1)
