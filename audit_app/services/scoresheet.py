"""Offline scoresheets: export a reviewer's workbook, and read it back into their review.

Import checks every row before writing anything: the case must still be in the sample,
the reference, criterion and question must be as exported, and every answer must be on
the scale. Any problem refuses the whole file, naming row, column and why. Answers are
then written through `scoring.record_answer_sets` inside one `db.batch()` transaction for the
whole sheet: should a later case fail (someone else edited it meanwhile), nothing of the
file is kept, so a file is imported whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit_app.core.answers import Answer, Verdict
from audit_app.core.audit_rows import ReviewView
from audit_app.core.case_fields import outcome_label
from audit_app.core.errors import NotFoundError, UserError, ValidationError
from audit_app.core.framework import Framework
from audit_app.core.withdrawal import WithdrawalReason, WithdrawalStage, withdrawal_codes
from audit_app.io.scoresheet_workbook import (
    CASE_ID_COLUMN,
    DETAIL_CASE_ID_COLUMN,
    DETAIL_COLUMNS,
    SCORING_COLUMNS,
    YES_NO,
    AnswerLine,
    DetailLine,
    ScoresheetContent,
    ScoresheetMeta,
    exported_now,
    read_scoresheet,
    write_scoresheet,
)
from audit_app.services import scoring
from audit_app.services.audits import check_open_audit, get_audit
from audit_app.services.database import Database
from audit_app.services.frameworks import get_framework
from audit_app.services.sampling import get_sample

MAX_PROBLEMS_IN_MESSAGE = 5
# How a closed audit's refusal ends: "This audit was closed on <date>, so ...".
NO_SHEETS_TO_SCORE = "no scoring sheets can be made to score it"
NO_SHEETS_READ = "no scoring sheet can be read into it"


@dataclass(frozen=True)
class ScoresheetImportResult:
    path: Path
    audit_id: int
    reviewer: str
    cases_changed: int
    answers_changed: int
    details_changed: int
    problems: list[str] = field(default_factory=list)
    # Rows deleted from the sheet: those answers were not read, and were left as they were.
    missing_answers: int = 0

    @property
    def missing_warning(self) -> str | None:
        if not self.missing_answers:
            return None
        if self.missing_answers == 1:
            return "1 answer was missing from the scoresheet and was left as it was"
        return (f"{self.missing_answers} answers were missing from the scoresheet and were left "
                "as they were")

    def __str__(self) -> str:
        changed = (f"{self.answers_changed} answer(s) and {self.details_changed} case detail(s) "
                   f"changed on {self.cases_changed} case(s) for {self.reviewer}")
        warning = self.missing_warning
        return f"{changed}. Warning: {warning}." if warning else changed


def _framework(db: Database, audit_id: int) -> Framework:
    audit = get_audit(db, audit_id)
    return get_framework(db, audit.framework_key, version=audit.framework_version)


def _sampled(db: Database, audit_id: int) -> list[tuple[int, str]]:
    return [(row.case.id, row.case.reference)
            for row in get_sample(db, audit_id=audit_id) if row.status != "replaced"]


def _context(db: Database, audit_id: int) -> dict[int, tuple[Any, ...]]:
    """Case id -> the read-only reminders on the Case details sheet (no personal fields)."""
    context: dict[int, tuple[Any, ...]] = {}
    for row in get_sample(db, audit_id=audit_id):
        fields = row.case.fields
        supports = fields.get("victim_supports")
        context[row.case.id] = (
            fields.get("offence_description"), outcome_label(fields.get("outcome_code")),
            str(fields.get("risk_level") or "").capitalize() or None,
            str(supports).capitalize() if supports else None, fields.get("date_finalised"))
    return context


def export_scoresheet(db: Database, *, audit_id: int, reviewer: str, path: Path) -> Path:
    """Write `reviewer`'s scoresheet for the current sample, their answers pre-filled."""
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise UserError("Name the reviewer the scoresheet is for")
    check_open_audit(db, audit_id=audit_id, doing=NO_SHEETS_TO_SCORE)  # a sheet is for scoring
    audit = get_audit(db, audit_id)
    framework = _framework(db, audit_id)
    cases = _sampled(db, audit_id)
    if not cases:
        raise UserError("This audit has no sample yet: draw one before exporting scoresheets")
    context = _context(db, audit_id)
    answers: list[AnswerLine] = []
    details: list[DetailLine] = []
    row = 2
    for detail_row, (case_id, reference) in enumerate(cases, start=2):
        review = scoring.get_review(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer)
        for section in framework.sections:
            for criterion in section.criteria:
                given = review.answers.get(criterion.code)
                guidance = "\n\n".join(part for part in (
                    criterion.guidance, f"Source: {criterion.source}" if criterion.source else "")
                    if part)
                answers.append(AnswerLine(
                    row, case_id, reference, f"{section.code} {section.title}", criterion.code,
                    criterion.question, given.value.label if given else None,
                    given.note if given else None, guidance,
                    allowed=tuple(a.label for a in criterion.answers(framework.scale)),
                    answered_by=criterion.answered_by.label,
                    file_pack=", ".join(criterion.file_pack_labels())))
                row += 1
        details.append(DetailLine(
            detail_row, case_id, reference, review.verdict.label if review.verdict else None,
            "Yes" if review.urgent_safeguarding else "No", review.learning_points or None,
            review.good_practice or None, review.feedback or None, context[case_id],
            review.withdrawal_stage.label if review.withdrawal_stage else None,
            review.withdrawal_reason.label if review.withdrawal_reason else None))
    meta = ScoresheetMeta(audit_id, audit.name, reviewer, framework.key, framework.version,
                          exported_now())
    return write_scoresheet(Path(path), ScoresheetContent(meta, answers, details),
                            answer_labels=[a.label for a in framework.scale],
                            verdict_labels=[v.label for v in Verdict],
                            stage_labels=[s.label for s in WithdrawalStage],
                            reason_labels=[r.label for r in WithdrawalReason])


@dataclass
class _Planned:
    """What one case's import will write: answers to change and details to change."""

    answers: dict[str, tuple[Answer | None, str]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def import_scoresheet(db: Database, *, path: Path) -> ScoresheetImportResult:
    """Read a filled-in scoresheet into its reviewer's review: all of it, or nothing."""
    path = Path(path)
    content = read_scoresheet(path)
    meta = content.meta
    try:
        framework = _framework(db, meta.audit_id)
    except NotFoundError:
        raise ValidationError(f"{path.name} belongs to audit {meta.audit_id}, which is not in "
                              "this database; nothing was imported") from None
    # Before checking rows: a purged audit's cases are gone, and would read as tampering.
    check_open_audit(db, audit_id=meta.audit_id, doing=NO_SHEETS_READ)
    if (framework.key, framework.version) != (meta.framework_key, meta.framework_version):
        raise ValidationError(
            f"{path.name} was made for framework {meta.framework_key} v{meta.framework_version}"
            f" but the audit uses {framework.key} v{framework.version}; nothing was imported")
    references = dict(_sampled(db, meta.audit_id))
    reviews = {case_id: scoring.get_review(db, audit_id=meta.audit_id, case_id=case_id,
                                           reviewer=meta.reviewer) for case_id in references}
    problems: list[str] = []
    plans: dict[int, _Planned] = {}
    read = _check_answers(content.answers, framework, references, reviews, plans, problems)
    _check_details(content.details, references, reviews, plans, problems)
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_IN_MESSAGE])
        more = len(problems) - MAX_PROBLEMS_IN_MESSAGE
        raise ValidationError(
            f"{path.name} was not imported ({len(problems)} problem(s)); nothing was changed. "
            + shown + (f"; and {more} more" if more > 0 else ""), list(problems))
    with db.batch() as unit:  # every case, or none
        _write(unit, meta, plans, reviews)
    expected = len(references) * len(framework.criteria)
    return ScoresheetImportResult(
        path, meta.audit_id, meta.reviewer, len(plans),
        sum(len(p.answers) for p in plans.values()), sum(len(p.details) for p in plans.values()),
        missing_answers=expected - len(read))


def _where(row: int, column: int, columns: tuple[tuple[str, int], ...], sheet: str) -> str:
    return f"{sheet} row {row}, column {chr(64 + column)} ({columns[column - 1][0]})"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _case_id(value: Any) -> int | None:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return None


def _check_answers(lines: list[AnswerLine], framework: Framework, references: dict[int, str],
                   reviews: dict[int, ReviewView], plans: dict[int, _Planned],
                   problems: list[str]) -> set[tuple[int, str]]:
    """Check every Scoring row; returns the (case, criterion) pairs the sheet holds."""
    criteria = {c.code: c for c in framework.criteria}
    labels = ", ".join(a.label for a in framework.scale)
    seen: set[tuple[int, str]] = set()
    for line in lines:
        def where(column: int, row: int = line.row) -> str:
            return _where(row, column, SCORING_COLUMNS, "Scoring")

        case_id, code = _case_id(line.case_id), _text(line.code)
        if case_id not in references or code not in criteria:
            problems.append(f"{where(CASE_ID_COLUMN)}: this row was not in the exported scoresheet "
                            "(rows cannot be added or their hidden columns changed)")
            continue
        if (case_id, code) in seen:
            problems.append(f"{where(3)}: this case's criterion {code} appears twice")
            continue
        seen.add((case_id, code))
        if _text(line.reference) != references[case_id]:
            problems.append(f"{where(1)}: the case reference was changed "
                            "(it must stay as exported)")
        if _text(line.shown_code) != code:
            problems.append(f"{where(3)}: the criterion was changed (expected {code})")
        if " ".join(_text(line.question).split()) != " ".join(criteria[code].question.split()):
            problems.append(f"{where(4)}: the question text was changed")
        answer: Answer | None = None
        if _text(line.answer):
            try:
                answer = Answer.parse(_text(line.answer))
            except ValueError:
                problems.append(f"{where(5)}: this is not an answer; choose one of {labels}")
                continue
            if answer not in framework.scale:
                problems.append(f"{where(5)}: '{answer.label}' is not on this framework's scale")
                continue
            if answer not in criteria[code].answers(framework.scale):
                problems.append(f"{where(5)}: criterion {code} cannot be answered "
                                f"'{answer.label}'")
                continue
        note = _text(line.note)
        if answer is None and note:
            problems.append(f"{where(6)}: a note needs an answer in column E")
            continue
        current = reviews[case_id].answers.get(code)
        if (current.value if current else None, current.note if current else "") != (answer, note):
            plans.setdefault(case_id, _Planned()).answers[code] = (answer, note)
    return seen


def _check_details(lines: list[DetailLine], references: dict[int, str],
                   reviews: dict[int, ReviewView], plans: dict[int, _Planned],
                   problems: list[str]) -> None:
    seen: set[int] = set()
    for line in lines:
        def where(column: int, row: int = line.row) -> str:
            return _where(row, column, DETAIL_COLUMNS, "Case details")

        case_id = _case_id(line.case_id)
        if case_id not in references or case_id in seen:
            problems.append(f"{where(DETAIL_CASE_ID_COLUMN)}: this row was not in the exported "
                            "scoresheet")
            continue
        seen.add(case_id)
        if _text(line.reference) != references[case_id]:
            problems.append(f"{where(1)}: the case reference was changed "
                            "(it must stay as exported)")
        review = reviews[case_id]
        changes: dict[str, Any] = {}
        verdict_text = _text(line.verdict)
        try:
            verdict = Verdict.parse(verdict_text) if verdict_text else None
        except ValueError:
            problems.append(f"{where(2)}: this is not a verdict; choose one from the list")
            continue
        if verdict != review.verdict:
            changes["verdict"] = verdict
        urgent_text = _text(line.urgent).capitalize() or "No"
        if urgent_text not in YES_NO:
            problems.append(f"{where(3)}: this should be Yes or No")
            continue
        if (urgent_text == "Yes") != review.urgent_safeguarding:
            changes["urgent_safeguarding"] = urgent_text == "Yes"
        coded = _withdrawal(line, review, where(7), problems)
        if coded is None:
            continue
        if coded != (review.withdrawal_stage, review.withdrawal_reason):
            changes["withdrawal"] = coded
        for name, value in (("learning_points", line.learning_points),
                            ("good_practice", line.good_practice), ("feedback", line.feedback)):
            if _text(value) != getattr(review, name).strip():
                changes[name] = _text(value)
        if changes:
            plans.setdefault(case_id, _Planned()).details.update(changes)


def _withdrawal(line: DetailLine, review: ReviewView, where: str, problems: list[str]
                ) -> tuple[str | None, str | None] | None:
    """The row's (stage, reason) codes, or None (and a problem) if either is not on its list."""
    try:
        return withdrawal_codes(_text(line.withdrawal_stage), _text(line.withdrawal_reason))
    except ValueError:
        problems.append(f"{where}: choose the withdrawal stage and reason from their lists")
        return None


def _write(db: Database, meta: ScoresheetMeta, plans: dict[int, _Planned],
           before: dict[int, ReviewView]) -> None:
    """Every case's answers in one set, then each case's details."""
    answered = {case_id: dict(plan.answers) for case_id, plan in plans.items() if plan.answers}
    if answered:
        scoring.record_answer_sets(
            db, audit_id=meta.audit_id, reviewer=meta.reviewer, answers=answered,
            expected_versions={case_id: before[case_id].version if before[case_id].review_id
                               else None for case_id in answered})
    for case_id, plan in plans.items():
        if plan.details:
            details = dict(plan.details)
            verdict = details.pop("verdict", before[case_id].verdict)
            scoring.set_case_details(db, audit_id=meta.audit_id, case_id=case_id,
                                     reviewer=meta.reviewer, verdict=verdict,
                                     clear_verdict=verdict is None, **details)
