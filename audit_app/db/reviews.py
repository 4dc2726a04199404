"""Reviews and their answers: the one place that writes them.

Scoring in the app or from the command line, scoresheets, automatic N/A and merged review
packages all go through `write_answer`, so every rule holds on every path: an edit
reopens a completed review, moves its version on and is logged (the answer and its note
apart), and a reviewer is known by their name with spaces tidied.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer, ReviewKind, ReviewStatus
from audit_app.core.errors import NotFoundError, UserError
from audit_app.db.base import utcnow
from audit_app.db.change_log import log_change
from audit_app.db.models import AnswerRecord, ReviewerRecord, ReviewRecord


def tidy_name(name: str) -> str:
    """A person's name as stored: inner runs of spaces made one, ends trimmed."""
    clean = " ".join(name.split())
    if not clean:
        raise UserError("A reviewer needs a name")
    return clean


def find_reviewer(session: Session, name: str) -> ReviewerRecord | None:
    return session.scalar(select(ReviewerRecord).where(ReviewerRecord.name == tidy_name(name)))


def reviewer_named(session: Session, name: str, *, create: bool, organisation: str = "",
                   is_chair: bool = False) -> ReviewerRecord:
    """The reviewer called `name`, added if `create` (else NotFoundError)."""
    clean = tidy_name(name)
    record = session.scalar(select(ReviewerRecord).where(ReviewerRecord.name == clean))
    if record is None:
        if not create:
            raise NotFoundError(f"No reviewer called '{clean}'")
        record = ReviewerRecord(name=clean, organisation=organisation, is_chair=is_chair)
        session.add(record)
        session.flush()
    return record


def find_review(session: Session, *, audit_id: int, case_id: int,
                reviewer: ReviewerRecord | None, kind: str) -> ReviewRecord | None:
    """A member's own review of a case, or the case's one consensus review (whichever
    chair records it)."""
    query = select(ReviewRecord).where(ReviewRecord.audit_id == audit_id,
                                       ReviewRecord.case_id == case_id, ReviewRecord.kind == kind)
    if kind != ReviewKind.CONSENSUS:
        if reviewer is None:
            return None
        query = query.where(ReviewRecord.reviewer_id == reviewer.id)
    return session.scalar(query.order_by(ReviewRecord.id).limit(1))


def start_review(session: Session, *, audit_id: int, case_id: int, reviewer: ReviewerRecord,
                 kind: str) -> ReviewRecord:
    """The review, begun now if there was none."""
    record = find_review(session, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                         kind=kind)
    if record is None:
        record = ReviewRecord(audit_id=audit_id, case_id=case_id, reviewer_id=reviewer.id,
                              kind=kind, status=ReviewStatus.IN_PROGRESS.value,
                              started_at=utcnow())
        session.add(record)
        session.flush()
    return record


def reopen_if_complete(session: Session, review: ReviewRecord, actor: str) -> None:
    if review.status == ReviewStatus.COMPLETE.value:
        review.status = ReviewStatus.IN_PROGRESS.value
        review.completed_at = None
        log_change(session, actor=actor, audit_id=review.audit_id, entity="review",
                   entity_id=review.id, case_id=review.case_id, field="status",
                   old=ReviewStatus.COMPLETE.value, new=ReviewStatus.IN_PROGRESS.value,
                   detail="reopened by an edit")


def mark_changed(session: Session, review: ReviewRecord, actor: str) -> None:
    """After a change: a completed review is open again, and its version moves on."""
    reopen_if_complete(session, review, actor)
    review.updated_at = utcnow()
    session.flush()


def write_answer(session: Session, review: ReviewRecord, *, criterion_id: int, code: str,
                 answer: Answer | None, note: str | None, actor: str, automatic: bool = False,
                 why: str | None = None, entered_by: str | None = None
                 ) -> tuple[AnswerRecord | None, bool]:
    """Set (None: clear) one answer of `review`, logging the answer and the note apart;
    `note=None` keeps the note there. `actor` made the change (the log's name);
    `entered_by` gave the answer, if someone else (a member whose package is merged).
    Returns (the answer, whether anything changed). The caller calls `mark_changed` once
    after its last write."""
    detail = review.kind if why is None else why
    entered_by = actor if entered_by is None else entered_by
    existing = session.scalar(select(AnswerRecord).where(
        AnswerRecord.review_id == review.id, AnswerRecord.criterion_id == criterion_id))
    old_value = existing.value if existing else None
    old_note = existing.note if existing else ""
    if answer is None:
        if existing is None:
            return None, False
        session.delete(existing)
        log_change(session, actor=actor, audit_id=review.audit_id, entity="answer",
                   entity_id=existing.id, case_id=review.case_id, field=code,
                   old=old_value, new=None, detail=detail)
        return None, True
    new_note = old_note if note is None else note
    if existing is not None and existing.value == answer.value and existing.note == new_note:
        return existing, False
    if existing is None:
        existing = AnswerRecord(review_id=review.id, criterion_id=criterion_id,
                                value=answer.value, note=new_note, automatic=automatic,
                                entered_by=entered_by)
        session.add(existing)
    else:
        existing.value = answer.value
        existing.note = new_note
        existing.automatic = automatic
        existing.entered_by = entered_by
        existing.updated_at = utcnow()
    session.flush()
    if old_value != answer.value:
        log_change(session, actor=actor, audit_id=review.audit_id, entity="answer",
                   entity_id=existing.id, case_id=review.case_id, field=code,
                   old=old_value, new=answer.value, detail=detail)
    if old_note != new_note:
        log_change(session, actor=actor, audit_id=review.audit_id, entity="answer_note",
                   entity_id=existing.id, case_id=review.case_id, field=code,
                   old=old_note, new=new_note, detail=detail)
    return existing, True


def write_detail(session: Session, review: ReviewRecord, field: str, value: object, *,
                 actor: str, why: str | None = None) -> bool:
    """Set one case detail of `review` (verdict, learning, rationale, urgent flag, status),
    logged if it changed; whether it changed. The caller decides whether it reopens."""
    old = getattr(review, field)
    if old == value:
        return False
    setattr(review, field, value)
    log_change(session, actor=actor, audit_id=review.audit_id, entity="review",
               entity_id=review.id, case_id=review.case_id, field=field, old=old, new=value,
               detail=review.kind if why is None else why)
    return True
