"""What a write needs to know about one review, and the checks that it is still current.

`db.reviews.store_answer_sets` writes from a `ReviewState`; scoring keeps the state of the
review a person is scoring (`services.review_states`), so their next answer is written at
once, checked by its version in the same statement that moves it on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer
from audit_app.core.audit_rows import AnswerEntry
from audit_app.db.models import AnswerRecord, AuditRecord, ChangeLogRecord, ReviewRecord

ANSWERS: Table = AnswerRecord.__table__  # type: ignore[assignment]
REVIEWS: Table = ReviewRecord.__table__  # type: ignore[assignment]
AUDITS: Table = AuditRecord.__table__  # type: ignore[assignment]
CHANGES: Table = ChangeLogRecord.__table__  # type: ignore[assignment]
OPEN_STATUS = "open"


class StaleReview(Exception):  # a signal to re-read the review, never shown to anyone
    """The review moved on (or went, or its audit closed) since its state was read."""


class StoredAnswer(NamedTuple):
    answer_id: int
    entry: AnswerEntry


@dataclass(frozen=True)
class ReviewState:
    """What a write needs to know about one review, read once and kept while it is current:
    every write moves `version` on and checks it, so a kept state is never silently stale."""

    review_id: int
    audit_id: int
    case_id: int
    kind: str
    version: int
    status: str
    criterion_ids: Mapping[str, int]
    scale: frozenset[str]
    answers: Mapping[int, StoredAnswer]  # by criterion id
    # Criteria with a scale of their own (code -> stored values); the rest take `scale`.
    scales: Mapping[str, frozenset[str]] = field(default_factory=dict)


class WantedAnswer(NamedTuple):
    """One answer to set (None: clear); `note=None` keeps the note there."""

    code: str
    answer: Answer | None
    note: str | None
    automatic: bool = False


def review_state(session: Session, review: ReviewRecord, criterion_ids: Mapping[str, int],
                 scale: Iterable[str], *, started_now: bool = False,
                 scales: Mapping[str, frozenset[str]] | None = None) -> ReviewState:
    """The state of a review read with the ORM (the first write of a session);
    `started_now`: begun in this transaction, so with no answers to read."""
    session.flush()
    codes = {cid: code for code, cid in criterion_ids.items()}
    rows = [] if started_now else session.execute(select(
        ANSWERS.c.id, ANSWERS.c.criterion_id, ANSWERS.c.value, ANSWERS.c.note,
        ANSWERS.c.automatic, ANSWERS.c.entered_by, ANSWERS.c.updated_at,
    ).where(ANSWERS.c.review_id == review.id)).all()
    answers = {row.criterion_id: StoredAnswer(row.id, AnswerEntry(
        review.id, codes.get(row.criterion_id, ""), Answer(row.value), row.note, row.automatic,
        row.entered_by, row.updated_at)) for row in rows}
    return ReviewState(review.id, review.audit_id, review.case_id, review.kind, review.version,
                       review.status, criterion_ids, frozenset(scale), answers, scales or {})


def confirm_current(session: Session, states: Sequence[ReviewState]) -> None:
    """Nothing to write: still check, in one read, that the kept states are current."""
    if not states:
        return
    found = {(row.id, row.case_id): row.version for row in session.execute(
        select(REVIEWS.c.id, REVIEWS.c.case_id, REVIEWS.c.version).join(
            AUDITS, AUDITS.c.id == REVIEWS.c.audit_id).where(
            REVIEWS.c.id.in_([s.review_id for s in states]), AUDITS.c.status == OPEN_STATUS))}
    if any(found.get((s.review_id, s.case_id)) != s.version for s in states):
        raise StaleReview
