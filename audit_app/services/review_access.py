"""Opening and reading a review inside a transaction: the checks every scoring use case
makes (an open audit, a case of it, a known kind, the version the caller read, a criterion
on the framework's scale) and the frozen view the screens read."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from audit_app.core.answers import Answer, ReviewKind, ReviewStatus, Verdict
from audit_app.core.audit_rows import AnswerEntry, ReviewView
from audit_app.core.errors import ConflictError, NotFoundError, UserError, ValidationError
from audit_app.core.framework import Framework, framework_from_dict
from audit_app.core.scoring import own_scales
from audit_app.core.withdrawal import WithdrawalReason, WithdrawalStage
from audit_app.db import meetings
from audit_app.db import reviews as reviewers
from audit_app.db.models import (
    AnswerRecord,
    AuditRecord,
    CriterionRecord,
    ReviewerRecord,
    ReviewRecord,
)
from audit_app.services.audits import require_open_audit
from audit_app.services.cases import require_case
from audit_app.services.database import Database
from audit_app.services.frameworks import criterion_ids

MEMBER = ReviewKind.MEMBER.value
CONSENSUS = ReviewKind.CONSENSUS.value
KINDS = (MEMBER, CONSENSUS)
# How a closed audit's refusal ends: "This audit was closed on <date>, so ...".
SCORES_FINAL = "its scores can no longer change"
AnswerInput = Answer | str | None


def reviewer_record(session: Session, name: str, *, create: bool, organisation: str = "",
              is_chair: bool = False) -> ReviewerRecord:
    return reviewers.reviewer_named(session, name, create=create, organisation=organisation,
                                    is_chair=is_chair)


RACED = ("Someone else saved this review at the same moment; nothing was changed. "
         "Reload the case and try again.")


@contextmanager
def saving(db: Database) -> Iterator[Session]:
    """A write transaction that turns a lost race on a review's version into a ConflictError."""
    try:
        with db.transaction() as session:
            yield session
    except StaleDataError:
        raise ConflictError(RACED) from None


def framework_for(session: Session, audit: AuditRecord) -> Framework:
    return framework_from_dict(audit.framework.definition)


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UserError(f"'{kind}' is not a kind of review (use {' or '.join(KINDS)})")


def review_record(session: Session, audit_id: int, case_id: int, reviewer: ReviewerRecord | None,
            kind: str, *, create: bool) -> ReviewRecord | None:
    if create:
        assert reviewer is not None
        return reviewers.start_review(session, audit_id=audit_id, case_id=case_id,
                                      reviewer=reviewer, kind=kind)
    return reviewers.find_review(session, audit_id=audit_id, case_id=case_id,
                                 reviewer=reviewer, kind=kind)


def check_version(review: ReviewRecord | None, expected_version: int | None) -> None:
    """Optimistic check: refuse if the review changed since the caller read it."""
    if expected_version is None:
        return
    current = review.version if review is not None else 0
    if current != expected_version:
        raise ConflictError(
            "This review was changed by someone else since you opened it; nothing was saved. "
            "Reload the case to see the latest answers.")


@dataclass
class OpenReview:
    review: ReviewRecord
    person: ReviewerRecord
    audit: AuditRecord
    criterion_ids: Mapping[str, int]
    started_now: bool = False  # begun by this call: no answers yet


def open_review(session: Session, *, audit_id: int, case_id: int, reviewer: str, kind: str,
                 expected_version: int | None, doing: str = SCORES_FINAL,
                 known_codes: Mapping[int, Mapping[str, int]] | None = None) -> OpenReview:
    """The review, begun if need be, after every check. `known_codes`: criterion ids by
    code, by framework id, as far as already read (a framework version never changes)."""
    check_kind(kind)
    audit = require_open_audit(session, audit_id, doing=doing)
    require_case(session, audit_id, case_id)
    refuse_declared(session, audit_id, case_id, reviewer)
    person = reviewer_record(session, reviewer, create=True)
    existing = review_record(session, audit_id, case_id, person, kind, create=False)
    check_version(existing, expected_version)
    review = existing or reviewers.begin_review(session, audit_id=audit_id, case_id=case_id,
                                                reviewer=person, kind=kind)
    codes = (known_codes or {}).get(audit.framework_id)
    return OpenReview(review, person, audit,
                      codes if codes is not None else criterion_ids(session, audit.framework_id),
                      started_now=existing is None)


def refuse_declared(session: Session, audit_id: int, case_id: int, name: str) -> None:
    """A member who declared an interest in a case may not score it or agree its answers."""
    if meetings.declared(session, audit_id, case_id, name):
        raise UserError(f"{' '.join(name.split())} declared an interest in this case, so "
                        "cannot score it or agree its answers; nothing was saved.")


def parse_answer(value: AnswerInput, code: str) -> Answer | None:
    if value is None or isinstance(value, Answer):
        return value
    try:
        return Answer.parse(value)
    except ValueError as exc:
        raise ValidationError(f"Criterion {code}: {exc}") from None


def check_on_scale(opened: OpenReview, code: str, answer: Answer | None) -> None:
    if code not in opened.criterion_ids:
        raise NotFoundError(f"No criterion '{code}' in this audit's framework")
    if answer is not None and answer.value not in opened.audit.framework.scale:
        raise ValidationError(f"Criterion {code}: '{answer.label}' is not on this framework's scale")
    scales = own_scales(opened.audit.framework.definition)
    if answer is not None and answer.value not in scales.get(code, answer.value):
        labels = ", ".join(a.label for a in Answer if a.value in scales[code])
        raise ValidationError(f"Criterion {code} cannot be answered '{answer.label}' "
                              f"(its answers are {labels}); nothing was saved")


def read_review(session: Session, audit_id: int, case_id: int, reviewer: str,
                 kind: str) -> ReviewView:
    require_case(session, audit_id, case_id)
    person = reviewer_record(session, reviewer, create=False) if known_reviewer(session, reviewer) else None
    review = review_record(session, audit_id, case_id, person, kind, create=False)
    return review_view(session, case_id, reviewer, kind, review)


def known_reviewer(session: Session, name: str) -> bool:
    return session.scalar(select(ReviewerRecord.id).where(
        ReviewerRecord.name == " ".join(name.split()))) is not None


def review_view(session: Session, case_id: int, reviewer: str, kind: str,
          review: ReviewRecord | None) -> ReviewView:
    if review is None:
        return ReviewView(None, case_id, reviewer, kind, ReviewStatus.NOT_STARTED, None, "", "",
                          "", "", False, {}, 0)
    codes = dict(session.execute(select(CriterionRecord.id, CriterionRecord.code).where(
        CriterionRecord.id.in_([a.criterion_id for a in review.answers]))).all())
    answers = {codes[a.criterion_id]: answer_row(codes[a.criterion_id], a)
               for a in review.answers}
    return ReviewView(
        review.id, case_id, reviewer, kind, ReviewStatus(review.status),
        Verdict(review.verdict) if review.verdict else None, review.learning_points,
        review.good_practice, review.feedback, review.rationale, review.urgent_safeguarding,
        answers, review.version,
        WithdrawalStage(review.withdrawal_stage) if review.withdrawal_stage else None,
        WithdrawalReason(review.withdrawal_reason) if review.withdrawal_reason else None)


def answer_row(code: str, record: AnswerRecord) -> AnswerEntry:
    return AnswerEntry(record.review_id, code, Answer(record.value), record.note,
                       record.automatic, record.entered_by, record.updated_at)
