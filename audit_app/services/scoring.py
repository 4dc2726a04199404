"""Scoring: reviewers, answers, verdicts, completion. Every call commits at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.core.errors import NotFoundError, UserError, ValidationError
from audit_app.core.framework import Framework, framework_from_dict
from audit_app.core.scoring import GivenAnswer, completeness_gaps
from audit_app.db.base import utcnow
from audit_app.db.models import (
    AnswerRecord,
    AuditRecord,
    CaseRecord,
    CriterionRecord,
    ReviewerRecord,
    ReviewRecord,
)
from audit_app.services.audits import require_audit
from audit_app.services.cases import case_fields, require_case
from audit_app.services.change_log import log_change
from audit_app.services.database import Database
from audit_app.services.frameworks import criterion_ids
from audit_app.services.records import ReviewerRow

MEMBER = "member"
CONSENSUS = "consensus"
CASE_TEXT_FIELDS = ("learning_points", "good_practice", "feedback", "rationale")


@dataclass(frozen=True)
class AnswerRow:
    criterion_code: str
    value: Answer
    note: str
    automatic: bool
    entered_by: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class ReviewView:
    review_id: int | None
    case_id: int
    reviewer: str
    kind: str
    status: ReviewStatus
    verdict: Verdict | None
    learning_points: str
    good_practice: str
    feedback: str
    rationale: str
    urgent_safeguarding: bool
    answers: dict[str, AnswerRow]
    version: int


# --- reviewers -------------------------------------------------------------------------

def add_reviewer(db: Database, *, name: str, organisation: str = "",
                 is_chair: bool = False) -> ReviewerRow:
    with db.transaction() as session:
        record = _reviewer(session, name, create=True, organisation=organisation,
                           is_chair=is_chair)
        return ReviewerRow(record.id, record.name, record.organisation, record.is_chair)


def list_reviewers(db: Database) -> list[ReviewerRow]:
    with db.reading() as session:
        return [ReviewerRow(r.id, r.name, r.organisation, r.is_chair)
                for r in session.scalars(select(ReviewerRecord).order_by(ReviewerRecord.name))]


def _reviewer(session: Session, name: str, *, create: bool, organisation: str = "",
              is_chair: bool = False) -> ReviewerRecord:
    clean = " ".join(name.split())
    if not clean:
        raise UserError("A reviewer needs a name")
    record = session.scalar(select(ReviewerRecord).where(ReviewerRecord.name == clean))
    if record is None:
        if not create:
            raise NotFoundError(f"No reviewer called '{clean}'")
        record = ReviewerRecord(name=clean, organisation=organisation, is_chair=is_chair)
        session.add(record)
        session.flush()
    return record


# --- reviews ---------------------------------------------------------------------------

def _framework_for(session: Session, audit: AuditRecord) -> Framework:
    return framework_from_dict(audit.framework.definition)


def _review(session: Session, audit_id: int, case_id: int, reviewer: ReviewerRecord,
            kind: str, *, create: bool) -> ReviewRecord | None:
    record = session.scalar(select(ReviewRecord).where(
        ReviewRecord.case_id == case_id, ReviewRecord.reviewer_id == reviewer.id,
        ReviewRecord.kind == kind))
    if record is None and create:
        record = ReviewRecord(audit_id=audit_id, case_id=case_id, reviewer_id=reviewer.id,
                              kind=kind, status=ReviewStatus.IN_PROGRESS.value,
                              started_at=utcnow())
        session.add(record)
        session.flush()
    return record


def _reopen_if_complete(session: Session, review: ReviewRecord, actor: str) -> None:
    if review.status == ReviewStatus.COMPLETE.value:
        review.status = ReviewStatus.IN_PROGRESS.value
        review.completed_at = None
        log_change(session, actor=actor, audit_id=review.audit_id, entity="review",
                   entity_id=review.id, case_id=review.case_id, field="status",
                   old=ReviewStatus.COMPLETE.value, new=ReviewStatus.IN_PROGRESS.value,
                   detail="reopened by an edit")


def record_answer(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                  criterion_code: str, value: Answer | str | None, note: str | None = None,
                  kind: str = MEMBER, automatic: bool = False) -> AnswerRow | None:
    """Set (or with value=None clear) one answer; committed before this returns."""
    answer = Answer.parse(value) if isinstance(value, str) else value
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        require_case(session, audit_id, case_id)
        ids = criterion_ids(session, audit.framework_id)
        if criterion_code not in ids:
            raise NotFoundError(f"No criterion '{criterion_code}' in this audit's framework")
        person = _reviewer(session, reviewer, create=True)
        review = _review(session, audit_id, case_id, person, kind, create=True)
        assert review is not None
        existing = session.scalar(select(AnswerRecord).where(
            AnswerRecord.review_id == review.id,
            AnswerRecord.criterion_id == ids[criterion_code]))
        old_value = existing.value if existing else None
        old_note = existing.note if existing else ""
        if answer is None:
            if existing is not None:
                session.delete(existing)
                log_change(session, actor=person.name, audit_id=audit_id, entity="answer",
                           entity_id=existing.id, case_id=case_id, field=criterion_code,
                           old=old_value, new=None, detail=kind)
                _reopen_if_complete(session, review, person.name)
                review.updated_at = utcnow()
            return None
        new_note = old_note if note is None else note
        if existing is not None and existing.value == answer.value and existing.note == new_note:
            return _answer_row(criterion_code, existing)
        if existing is None:
            existing = AnswerRecord(review_id=review.id, criterion_id=ids[criterion_code],
                                    value=answer.value, note=new_note, automatic=automatic,
                                    entered_by=person.name)
            session.add(existing)
        else:
            existing.value = answer.value
            existing.note = new_note
            existing.automatic = automatic
            existing.entered_by = person.name
            existing.updated_at = utcnow()
        session.flush()
        if old_value != answer.value:
            log_change(session, actor=person.name, audit_id=audit_id, entity="answer",
                       entity_id=existing.id, case_id=case_id, field=criterion_code,
                       old=old_value, new=answer.value, detail=kind)
        if old_note != new_note:
            log_change(session, actor=person.name, audit_id=audit_id, entity="answer_note",
                       entity_id=existing.id, case_id=case_id, field=criterion_code,
                       old=old_note, new=new_note, detail=kind)
        _reopen_if_complete(session, review, person.name)
        review.updated_at = utcnow()
        return _answer_row(criterion_code, existing)


def _answer_row(code: str, record: AnswerRecord) -> AnswerRow:
    return AnswerRow(code, Answer(record.value), record.note, record.automatic,
                     record.entered_by, record.updated_at)


def set_case_details(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                     kind: str = MEMBER, verdict: Verdict | str | None = None,
                     clear_verdict: bool = False, learning_points: str | None = None,
                     good_practice: str | None = None, feedback: str | None = None,
                     rationale: str | None = None,
                     urgent_safeguarding: bool | None = None) -> ReviewView:
    """Record the verdict, learning, good practice, feedback or the urgent flag."""
    new_verdict = Verdict.parse(verdict) if isinstance(verdict, str) else verdict
    with db.transaction() as session:
        require_audit(session, audit_id)
        require_case(session, audit_id, case_id)
        person = _reviewer(session, reviewer, create=True)
        review = _review(session, audit_id, case_id, person, kind, create=True)
        assert review is not None
        changes: dict[str, str | bool | None] = {}
        if new_verdict is not None or clear_verdict:
            changes["verdict"] = new_verdict.value if new_verdict else None
        updates: tuple[tuple[str, str | bool | None], ...] = (
            ("learning_points", learning_points), ("good_practice", good_practice),
            ("feedback", feedback), ("rationale", rationale),
            ("urgent_safeguarding", urgent_safeguarding))
        for name, value in updates:
            if value is not None:
                changes[name] = value
        touched = False
        for name, value in changes.items():
            old = getattr(review, name)
            if old != value:
                setattr(review, name, value)
                log_change(session, actor=person.name, audit_id=audit_id, entity="review",
                           entity_id=review.id, case_id=case_id, field=name, old=old, new=value,
                           detail=kind)
                touched = True
        if touched and "urgent_safeguarding" not in changes:
            _reopen_if_complete(session, review, person.name)
        session.flush()
    return get_review(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer, kind=kind)


def get_review(db: Database, *, audit_id: int, case_id: int, reviewer: str,
               kind: str = MEMBER) -> ReviewView:
    with db.reading() as session:
        require_case(session, audit_id, case_id)
        person = _reviewer(session, reviewer, create=False) if _known(session, reviewer) else None
        review = _review(session, audit_id, case_id, person, kind, create=False) if person else None
        return _view(session, case_id, reviewer, kind, review)


def _known(session: Session, name: str) -> bool:
    return session.scalar(select(ReviewerRecord.id).where(
        ReviewerRecord.name == " ".join(name.split()))) is not None


def _view(session: Session, case_id: int, reviewer: str, kind: str,
          review: ReviewRecord | None) -> ReviewView:
    if review is None:
        return ReviewView(None, case_id, reviewer, kind, ReviewStatus.NOT_STARTED, None, "", "",
                          "", "", False, {}, 0)
    codes = dict(session.execute(select(CriterionRecord.id, CriterionRecord.code).where(
        CriterionRecord.id.in_([a.criterion_id for a in review.answers]))).all())
    answers = {codes[a.criterion_id]: _answer_row(codes[a.criterion_id], a)
               for a in review.answers}
    return ReviewView(
        review.id, case_id, reviewer, kind, ReviewStatus(review.status),
        Verdict(review.verdict) if review.verdict else None, review.learning_points,
        review.good_practice, review.feedback, review.rationale, review.urgent_safeguarding,
        answers, review.version)


def review_gaps(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                kind: str = MEMBER) -> list[str]:
    """What is still missing before this review can be marked complete."""
    view = get_review(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer, kind=kind)
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        framework = _framework_for(session, audit)
        fields = case_fields(require_case(session, audit_id, case_id))
    given = {code: GivenAnswer(a.value, a.note) for code, a in view.answers.items()}
    return [str(g) for g in completeness_gaps(framework, fields, given,
                                              verdict=view.verdict.value if view.verdict else None)]


def complete_review(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                    kind: str = MEMBER) -> ReviewView:
    """Mark complete, filling automatic N/A for criteria that do not apply; refuses if gaps."""
    apply_automatic_na(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer, kind=kind)
    gaps = review_gaps(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer, kind=kind)
    if gaps:
        raise ValidationError(
            f"This case cannot be marked complete yet: {len(gaps)} item(s) missing – "
            + "; ".join(gaps[:5]) + ("…" if len(gaps) > 5 else ""), list(gaps))
    with db.transaction() as session:
        person = _reviewer(session, reviewer, create=False)
        review = _review(session, audit_id, case_id, person, kind, create=False)
        assert review is not None
        if review.status != ReviewStatus.COMPLETE.value:
            old = review.status
            review.status = ReviewStatus.COMPLETE.value
            review.completed_at = utcnow()
            log_change(session, actor=person.name, audit_id=audit_id, entity="review",
                       entity_id=review.id, case_id=case_id, field="status", old=old,
                       new=ReviewStatus.COMPLETE.value, detail=kind)
    return get_review(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer, kind=kind)


def apply_automatic_na(db: Database, *, audit_id: int, case_id: int, reviewer: str,
                       kind: str = MEMBER) -> list[str]:
    """Answer N/A (marked automatic) for criteria the framework says do not apply."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        framework = _framework_for(session, audit)
        fields = case_fields(require_case(session, audit_id, case_id))
    view = get_review(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer, kind=kind)
    filled = []
    for criterion in framework.criteria:
        if not criterion.applies_to(fields) and criterion.code not in view.answers:
            record_answer(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                          criterion_code=criterion.code, value=Answer.NOT_APPLICABLE,
                          note="Does not apply to this case (framework rule)", kind=kind,
                          automatic=True)
            filled.append(criterion.code)
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
