"""The findings workbook's case-level sheets: Cases, Answers and Learning (the Actions
register is in `findings_record_sheets`).

Every piece of free text goes through `scrub(place, text)`, which for a partner copy
replaces what looks personal and records it for the release check; `place` says in plain
words where the text sits. Reviewers are named as the privacy rules say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from audit_app.core.answers import Answer, ReviewKind
from audit_app.core.audit_rows import AuditData
from audit_app.core.case_fields import (
    CASE_FIELDS,
    FIELDS_BY_KEY,
    CaseField,
    FieldKind,
    outcome_label,
)
from audit_app.core.copy_rules import FREE_TEXT_FIELDS, PrivacyRules
from audit_app.core.findings import Findings
from audit_app.io.workbook_tables import PERCENT, Column, TableSheet

REFERENCE_WIDTH = 18  # a force's reference or a pseudonym such as CASE-7KDXSX3R
TextScrub = Callable[[str, str], str]  # (where the text sits, the text) -> text to write


def _case_value(key: str, value: Any) -> Any:
    kind = FIELDS_BY_KEY[key].kind
    if value is None:
        return None
    if kind is FieldKind.FLAG:
        return "Yes" if value else "No"
    if key == "outcome_code":
        return outcome_label(value)
    if kind in (FieldKind.RISK, FieldKind.SUPPORT):
        return str(value).capitalize()
    return value


def _field_column(field: CaseField) -> Column:
    """Text (and the outcome, shown with its words) wraps rather than running under the
    next column."""
    if field.key == "outcome_code":  # "16 – Evidential difficulties: …" in two lines
        return Column(field.label, 30, wrap=True)
    if field.kind is FieldKind.TEXT:
        return Column(field.label, 22, wrap=True)
    return Column(field.label, 13, "yyyy-mm-dd" if field.kind is FieldKind.DATE else None)


def _unique_title(name: str, columns: Sequence[Column]) -> str:
    """Excel table headers must be unique: an extract column named like ours gets a suffix."""
    taken = {column.title.lower() for column in columns}
    title = name.strip() or "Column"
    while title.lower() in taken:
        title += " (extract)"
    return title


def _scrubbed(scrub: TextScrub, place: str, value: Any) -> Any:
    return scrub(place, value) if isinstance(value, str) and value.strip() else value


def scrub_text(scrub: TextScrub, place: str, text: str) -> str:
    """`text` through the copy's scrub; blank text has nothing to scrub."""
    return scrub(place, text) if text and text.strip() else text


def cases_sheet(data: AuditData, findings: Findings, rules: PrivacyRules,
                references: dict[str, str], strata_fields: Sequence[str],
                scrub: TextScrub) -> TableSheet:
    fields = [f for f in CASE_FIELDS if f.key != "reference" and rules.keeps_field(f.key)]
    extra_columns = list(rules.shared_extra)
    cases_by_id = {case.case_id: case for case in data.cases}
    # Strata built on a dropped field would repeat its values: leave the label out then.
    show_stratum = all(rules.keeps_field(key) for key in strata_fields)
    columns = [Column("Sample position", 9), Column("Reference", REFERENCE_WIDTH),
               Column("Urgent safeguarding", 12), Column("Status", 12),
               Column("Verdict", 18, wrap=True), Column("Verdict status", 18, wrap=True),
               Column("Reviewers", 20, wrap=True), Column("Compliance (fully met)", 12, PERCENT),
               Column("Met", 7), Column("Partly met", 8), Column("Not met", 8),
               Column("Not evidenced", 10), Column("N/A", 7), Column("Stratum", 18, wrap=True)]
    columns += [_field_column(f) for f in fields]
    columns += [Column(_unique_title(name, columns), 18, wrap=True) for name in extra_columns]
    free_fields = {key for key in FREE_TEXT_FIELDS if rules.for_partner}

    def rows() -> Iterator[Sequence[Any]]:
        for finding in findings.cases:
            case = cases_by_id[finding.case_id]
            counts = finding.compliance
            shown = references.get(case.reference, case.reference)
            values = [_case_value(f.key, case.fields.get(f.key)) for f in fields]
            values = [_scrubbed(scrub, f"Cases sheet, {f.label.lower()} of {shown}", value)
                      if f.key in free_fields else value for f, value in zip(fields, values,
                                                                             strict=True)]
            yield [finding.position, shown,
                   "URGENT" if finding.urgent_safeguarding else "", finding.status,
                   finding.verdict, finding.verdict_status,
                   ", ".join(rules.member(name) for name in finding.reviewers),
                   counts.rate, counts.met, counts.partly_met, counts.not_met,
                   counts.not_evidenced, counts.not_applicable,
                   case.stratum if show_stratum else "", *values,
                   *[_scrubbed(scrub, f"Cases sheet, column {name} of {shown}",
                               case.extra.get(name)) for name in extra_columns]]

    # Too wide for one page: printed in column groups, the scores first, then the
    # extract's fields, with the position and reference on every page.
    return TableSheet("Cases", columns, rows(), len(findings.cases), frozen_columns=2,
                      key_columns=(1, 2))


def answers_sheet(data: AuditData, rules: PrivacyRules, references: dict[str, str],
                  scrub: TextScrub) -> TableSheet:
    cases = {case.case_id: case for case in data.cases}
    sections = {c.code: s.code for s in data.framework.sections for c in s.criteria}
    labels = {answer: answer.label for answer in Answer}
    columns = (Column("Reference", REFERENCE_WIDTH), Column("Section", 8), Column("Criterion", 10),
               Column("Reviewer", 20), Column("Role", 11), Column("Answer", 20),
               Column("Note", 50, wrap=True), Column("Automatic N/A", 10))
    case_positions = {case.case_id: case.position for case in data.cases}
    criterion_order = {c.code: index for index, c in enumerate(data.framework.criteria)}
    review_order = {r.review_id: (case_positions[r.case_id], r.kind != ReviewKind.CONSENSUS, r.reviewer)
                    for r in data.reviews}

    # Each review's reference, reviewer and role, worked out once rather than per answer.
    shown_by_review: dict[int, tuple[str, str, str]] = {}
    for r in data.reviews:
        reference = cases[r.case_id].reference
        shown_by_review[r.review_id] = (
            references.get(reference, reference), rules.member(r.reviewer, r.kind),
            "Panel (agreed)" if r.kind == ReviewKind.CONSENSUS else "Member")

    def rows() -> Iterator[Sequence[Any]]:
        # Case by case in sample order, criteria in framework order, the panel's answer first.
        ordered = sorted(data.answers, key=lambda a: (
            review_order[a.review_id][0], criterion_order.get(a.criterion_code, 0),
            review_order[a.review_id]))
        for answer in ordered:
            shown, reviewer, role = shown_by_review[answer.review_id]
            note = answer.note
            if note.strip():
                note = scrub(f"Answers sheet, note on {answer.criterion_code} for {shown} "
                             f"by {reviewer}", note)
            yield (shown, sections.get(answer.criterion_code, ""), answer.criterion_code,
                   reviewer, role, labels[answer.value], note,
                   "Yes" if answer.automatic else "")

    return TableSheet("Answers", columns, rows(), len(data.answers), frozen_columns=1)


def learning_sheet(data: AuditData, findings: Findings, rules: PrivacyRules,
                   references: dict[str, str], scrub: TextScrub,
                   tags: Mapping[tuple[str, str, str, str], tuple[str, ...]] | None = None
                   ) -> TableSheet:
    """Learning, good practice, feedback and rationale; `tags` are the themes each review's
    learning and good practice carry (by reference, reviewer, review kind, tag kind)."""
    columns = (Column("Reference", REFERENCE_WIDTH), Column("Kind", 18), Column("Reviewer", 20),
               Column("Role", 12), Column("Text", 80, wrap=True),
               Column("Themes", 28, wrap=True))
    entries = [(kind, e.reference, e.reviewer, e.kind, e.text, tag_kind)
               for kind, group, tag_kind in (("Learning point", findings.learning_points,
                                              "learning"),
                                             ("Good practice", findings.good_practice,
                                              "good_practice"),
                                             ("Feedback to officer", findings.feedback, ""))
               for e in group]
    case_references = {case.case_id: case.reference for case in data.cases}
    entries += [("Moderation rationale", case_references[r.case_id], r.reviewer, r.kind,
                 r.rationale.strip(), "") for r in data.reviews
                if r.rationale.strip() and r.case_id in case_references]
    rows = []
    for kind, reference, reviewer, review_kind, text, tag_kind in entries:
        shown = references.get(reference, reference)
        named = rules.member(reviewer, review_kind)
        themes = (tags or {}).get((reference, reviewer, review_kind, tag_kind), ())
        rows.append((shown, kind, named,
                     "Panel (agreed)" if review_kind == ReviewKind.CONSENSUS else "Member",
                     scrub(f"Learning sheet, {kind.lower()} for {shown} by {named}", text),
                     "; ".join(themes)))
    return TableSheet("Learning", columns, rows, len(rows), frozen_columns=1)
