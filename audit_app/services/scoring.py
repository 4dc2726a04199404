"""Scoring: reviewers, answers, verdicts, completion. Every call commits at once.

Each change is written to the change log (who, old value, new value) in the same
transaction as the change itself. A caller that read a review may pass its `version` as
`expected_version`; if someone else saved the review since, the call is refused with a
`ConflictError` and nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.core.audit_rows import AnswerEntry, ReviewView
from audit_app.core.errors import ConflictError, NotFoundError, ValidationError
from audit_app.core.framework import Framework
from audit_app.core.scoring import completeness_gaps
from audit_app.core.withdrawal import withdrawal_codes
from audit_app.db import reviews as reviewers
from audit_app.db.base import utcnow
from audit_app.db.models import (
    CaseRecord,
    ReviewerRecord,
    ReviewRecord,
)
from audit_app.db.review_rows import ReviewState, StaleReview, WantedAnswer
from audit_app.services import review_states
from audit_app.services.audits import require_audit, require_open_audit
from audit_app.services.cases import case_fields, require_case
from audit_app.services.change_log import log_change
from audit_app.services.database import Database
from audit_app.services.frameworks import criterion_ids
from audit_app.services.records import ReviewerRow
from audit_app.services.review_access import (  # the kinds, as callers have always read them
    CONSENSUS as CONSENSUS,
)
from audit_app.services.review_access import (
    KINDS as KINDS,
)
from audit_app.services.review_access import (
    MEMBER,
    RACED,
    SCORES_FINAL,
    AnswerInput,
    OpenReview,
    check_kind,
    check_on_scale,
    framework_for,
    open_review,
    parse_answer,
    read_review,
    refuse_declared,
    review_record,
    review_view,
    reviewer_record,
    saving,
)
from audit_app.services.review_states import ReviewKey
from audit_app.services.scoring_state import fits, state_of

# How a closed audit's refusal ends: "This audit was closed on <date>, so ...".
DETAILS_FINAL = "its case details (verdict, learning, good practice, feedback) can no longer change"
COMPLETION_FINAL = "no review can be marked complete"
CASE_TEXT_FIELDS = ("learning_points", "good_practice", "feedback", "rationale")


# --- reviewers -------------------------------------------------------------------------

def add_reviewer(db: Database, *, name: str, organisation: str = "",
                 is_chair: bool = False) -> ReviewerRow:
    with db.transaction() as session:
        record = reviewer_record(session, name, create=True, organisation=organisation,
                                 is_chair=is_chair)
        return ReviewerRow(record.id, record.name, record.organisation, record.is_chair)


def list_reviewers(db: Database) -> list[ReviewerRow]:
    with db.reading() as session:
        return [ReviewerRow(r.id, r.name, r.organisation, r.is_chair)
                for r in session.scalars(select(ReviewerRecord).order_by(ReviewerRecord.name))]


# --- reviews ---------------------------------------------------------------------------

AUTOMATIC_NA_NOTE = "Does not apply to this case (framework rule)"


def _key(audit_id: int, case_id: int, reviewer: str, kind: str) -> ReviewKey:
    check_kind(kind)
    return ReviewKey(audit_id, case_id, reviewers.tidy_name(reviewer), kind)


def _store(db: Database, key: ReviewKey, wanted: list[WantedAnswer], *,
           expected_version: int | None,
           check: Callable[[OpenReview], None] | None = None) -> tuple[ReviewState, list[str]]:
    """Write `wanted` to the review at `key` in one transaction, committed on return.

    With a kept state that is current, that is three statements (the review's version
    moved on, the answers upserted, the change log); otherwise the review is read in full
    first, with every check, and its state kept for the next call."""
    result: tuple[ReviewState, list[str]] | None = None
    with saving(db) as session:
        state = review_states.kept(db, key)
        if (state is not None and expected_version in (None, state.version)
                and fits(state, wanted)):
            try:
                result = reviewers.store_answers(session, state, wanted, actor=key.reviewer)
            except StaleReview:
                result = None
        if result is None:
            opened = open_review(session, audit_id=key.audit_id, case_id=key.case_id,
                                 reviewer=key.reviewer, kind=key.kind,
                                 expected_version=expected_version,
                                 known_codes=review_states.known_codes(db))
            if check is not None:
                check(opened)
            state = state_of(db, session, opened)
            if not fits(state, wanted):
                for item in wanted:
                    check_on_scale(opened, item.code, item.answer)  # says which, and why
            try:
                result = reviewers.store_answers(session, state, wanted,
                                                 actor=opened.person.name)
            except StaleReview:
                raise ConflictError(RACED) from None
    review_states.keep(db, key, result[0])
    return result


def record_answer(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                  criterion_code: str, value: AnswerInput, note: str | None = None,
                  kind: str = MEMBER, automatic: bool = False,
                  expected_version: int | None = None) -> AnswerEntry | None:
    """Set (or with value=None clear) one answer; committed before this returns.

    `note=None` keeps the note already there. An edit reopens a completed review.
    """
    answer = parse_answer(value, criterion_code)
    key = _key(audit_id, case_id, reviewer, kind)
    state, _changed = _store(db, key, [WantedAnswer(criterion_code, answer, note, automatic)],
                             expected_version=expected_version)
    stored = state.answers.get(state.criterion_ids[criterion_code])
    return stored.entry if stored is not None else None


def record_answers(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                   answers: Mapping[str, tuple[AnswerInput, str]], kind: str = MEMBER,
                   expected_version: int | None = None) -> int:
    """Record many answers (criterion code -> (answer, note)) in ONE transaction.

    All or nothing: an unknown criterion or answer refuses the lot. The change log gets the
    same entries as one `record_answer` call per answer. Returns how many answers changed.
    """
    parsed = _parsed(answers)
    _state, changed = _store(db, _key(audit_id, case_id, reviewer, kind), parsed,
                             expected_version=expected_version,
                             check=lambda opened: _known_criteria(opened, parsed))
    return len(changed)


def record_answer_sets(db: Database, *, audit_id: int, reviewer: str,
                       answers: Mapping[int, Mapping[str, tuple[AnswerInput, str]]],
                       kind: str = MEMBER,
                       expected_versions: Mapping[int, int | None] | None = None
                       ) -> dict[int, int]:
    """`record_answers` for many cases (case id -> code -> (answer, note)) of one reviewer,
    in ONE transaction and written in sets (scoresheets, the demo). All or nothing.
    Returns how many answers changed, by case."""
    parsed = {case_id: _parsed(by_code) for case_id, by_code in answers.items()}
    versions = expected_versions or {}
    with saving(db) as session:
        sets: list[tuple[ReviewState, list[WantedAnswer]]] = []
        actor = reviewer
        for case_id, wanted in parsed.items():
            opened = open_review(session, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                                 kind=kind, expected_version=versions.get(case_id))
            _known_criteria(opened, wanted)
            for item in wanted:
                check_on_scale(opened, item.code, item.answer)
            sets.append((state_of(db, session, opened), wanted))
            actor = opened.person.name
        try:
            written = reviewers.store_answer_sets(session, sets, actor=actor)
        except StaleReview:
            raise ConflictError(RACED) from None
    for case_id in parsed:  # their versions moved on
        review_states.forget(db, _key(audit_id, case_id, reviewer, kind))
    return {case_id: len(changed)
            for case_id, (_state, changed) in zip(parsed, written, strict=True)}


def _parsed(answers: Mapping[str, tuple[AnswerInput, str]]) -> list[WantedAnswer]:
    return [WantedAnswer(code, parse_answer(value, code), note)
            for code, (value, note) in answers.items()]


def _known_criteria(opened: OpenReview, wanted: list[WantedAnswer]) -> None:
    unknown = sorted(item.code for item in wanted if item.code not in opened.criterion_ids)
    if unknown:
        raise ValidationError(
            f"No criterion {', '.join(repr(c) for c in unknown)} in this audit's framework; "
            "nothing was saved", list(unknown))


def get_review(db: Database, *, audit_id: int, case_id: int, reviewer: str,
               kind: str = MEMBER) -> ReviewView:
    """One reviewer's review of a case (kind='consensus': the case's consensus review)."""
    check_kind(kind)
    with db.reading() as session:
        return read_review(session, audit_id, case_id, reviewer, kind)


def view_of(session: Session, review: ReviewRecord, reviewer: str) -> ReviewView:
    """A stored review as a frozen view (for moderation, which reads many at once)."""
    return review_view(session, review.case_id, reviewer, review.kind, review)


def set_case_details(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                     kind: str = MEMBER, verdict: Verdict | str | None = None,
                     clear_verdict: bool = False, learning_points: str | None = None,
                     good_practice: str | None = None, feedback: str | None = None,
                     rationale: str | None = None, urgent_safeguarding: bool | None = None,
                     withdrawal: tuple[str | None, str | None] | None = None,
                     expected_version: int | None = None) -> ReviewView:
    """Record the verdict, learning, good practice, feedback, the urgent flag or the
    withdrawal's (stage, reason) codes (None in the pair clears that code)."""
    try:
        new_verdict = Verdict.parse(verdict) if isinstance(verdict, str) else verdict
        coded = None if withdrawal is None else withdrawal_codes(*withdrawal)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    changes: dict[str, str | bool | None] = {}
    if new_verdict is not None or clear_verdict:
        changes["verdict"] = new_verdict.value if new_verdict else None
    if coded is not None:
        changes["withdrawal_stage"], changes["withdrawal_reason"] = coded
    updates: tuple[tuple[str, str | bool | None], ...] = (
        ("learning_points", learning_points), ("good_practice", good_practice),
        ("feedback", feedback), ("rationale", rationale),
        ("urgent_safeguarding", urgent_safeguarding))
    changes |= {name: value for name, value in updates if value is not None}
    key = _key(audit_id, case_id, reviewer, kind)
    with saving(db) as session:
        opened = open_review(session, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                              kind=kind, expected_version=expected_version, doing=DETAILS_FINAL)
        review = opened.review
        reopen = False
        for name, value in changes.items():
            if reviewers.write_detail(session, review, name, value, actor=opened.person.name):
                # Raising the urgent flag is not an edit of the scoring: it keeps completion.
                reopen = reopen or name != "urgent_safeguarding"
        if reopen:
            reviewers.reopen_if_complete(session, review, opened.person.name)
        session.flush()
        view = review_view(session, case_id, reviewer, kind, review)
    review_states.forget(db, key)  # its version moved on
    return view


def _gaps(framework: Framework, fields: dict[str, Any], answers: Mapping[str, AnswerEntry],
          verdict: Verdict | None) -> list[str]:
    return [str(g) for g in completeness_gaps(framework, fields, answers,
                                              verdict=verdict.value if verdict else None)]


def review_gaps(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                kind: str = MEMBER) -> list[str]:
    """What is still missing before this review can be marked complete."""
    check_kind(kind)
    with db.reading() as session:
        view = read_review(session, audit_id, case_id, reviewer, kind)
        audit = require_audit(session, audit_id)
        fields = case_fields(require_case(session, audit_id, case_id))
        return _gaps(framework_for(session, audit), fields, view.answers, view.verdict)


def _not_applying(framework: Framework, fields: dict[str, Any],
                  answered: Iterable[str]) -> list[str]:
    """Criteria the framework says do not apply to this case and nobody has answered."""
    done = set(answered)
    return [c.code for c in framework.criteria if not c.applies_to(fields) and c.code not in done]


def _fill_not_applicable(db: Database, session: Session, opened: OpenReview,
                         codes: list[str]) -> None:
    if not codes:
        return
    try:
        reviewers.store_answers(session, state_of(db, session, opened), [
            WantedAnswer(code, Answer.NOT_APPLICABLE, AUTOMATIC_NA_NOTE, automatic=True)
            for code in codes], actor=opened.person.name)
    except StaleReview:
        raise ConflictError(RACED) from None


def complete_review(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                    kind: str = MEMBER) -> ReviewView:
    """Mark complete, filling automatic N/A for criteria that do not apply; refuses if gaps.

    One transaction that checks before it writes: a refused completion changes nothing.
    """
    key = _key(audit_id, case_id, reviewer, kind)
    with saving(db) as session:
        audit = require_open_audit(session, audit_id, doing=COMPLETION_FINAL)
        refuse_declared(session, audit_id, case_id, reviewer)
        view = read_review(session, audit_id, case_id, reviewer, kind)
        framework = framework_for(session, audit)
        fields = case_fields(require_case(session, audit_id, case_id))
        fills = _not_applying(framework, fields, view.answers)
        would_be = {**view.answers, **{code: AnswerEntry(
            view.review_id or 0, code, Answer.NOT_APPLICABLE, AUTOMATIC_NA_NOTE, True)
            for code in fills}}
        gaps = _gaps(framework, fields, would_be, view.verdict)
        if gaps:
            raise ValidationError(
                f"This case cannot be marked complete yet: {len(gaps)} item(s) missing – "
                + "; ".join(gaps[:5]) + ("…" if len(gaps) > 5 else ""), list(gaps))
        person = reviewer_record(session, reviewer, create=False)
        review = review_record(session, audit_id, case_id, person, kind, create=False)
        if review is None:
            raise NotFoundError(f"{person.name} has not started a review of case {case_id}")
        _fill_not_applicable(db, session, OpenReview(
            review, person, audit, criterion_ids(session, audit.framework_id)), fills)
        if review.status != ReviewStatus.COMPLETE.value:
            old = review.status
            review.status = ReviewStatus.COMPLETE.value
            review.completed_at = utcnow()
            log_change(session, actor=person.name, audit_id=audit_id, entity="review",
                       entity_id=review.id, case_id=case_id, field="status", old=old,
                       new=ReviewStatus.COMPLETE.value, detail=kind)
        session.flush()
        view = review_view(session, case_id, reviewer, kind, review)
    review_states.forget(db, key)
    return view


def apply_automatic_na(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                       kind: str = MEMBER) -> list[str]:
    """Answer N/A (marked automatic) for criteria the framework says do not apply.

    Criteria already answered are left alone: a reviewer's own answer always wins.
    Returns the codes filled in, all in one transaction.
    """
    key = _key(audit_id, case_id, reviewer, kind)
    with saving(db) as session:
        audit = require_open_audit(session, audit_id, doing=SCORES_FINAL)
        framework = framework_for(session, audit)
        fields = case_fields(require_case(session, audit_id, case_id))
        if not _not_applying(framework, fields, ()):
            return []
        opened = open_review(session, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                              kind=kind, expected_version=None)
        answered = {a.criterion_id for a in opened.review.answers}
        filled = [code for code in _not_applying(framework, fields, ())
                  if opened.criterion_ids[code] not in answered]
        _fill_not_applicable(db, session, opened, filled)
    review_states.forget(db, key)
    return filled


@dataclass(frozen=True)
class ProgressRow:
    case_id: int
    reviewer: str
    kind: str
    status: ReviewStatus
    answered: int
    urgent: bool


def review_progress(db: Database, *, audit_id: int) -> list[ProgressRow]:
    """Status of every started review in the audit (cases never opened are absent)."""
    with db.reading() as session:
        rows = session.execute(
            select(ReviewRecord, ReviewerRecord.name).join(ReviewerRecord)
            .where(ReviewRecord.audit_id == audit_id)).all()
        return [ProgressRow(r.case_id, name, r.kind, ReviewStatus(r.status), len(r.answers),
                            r.urgent_safeguarding) for r, name in rows]


def case_reference(db: Database, *, case_id: int) -> str:
    with db.reading() as session:
        record = session.get(CaseRecord, case_id)
        if record is None:
            raise NotFoundError(f"No case {case_id}")
        return record.reference
