"""Reviews and their answers: the one place that writes them.

Scoring in the app or from the command line, scoresheets, automatic N/A and merged review
packages all go through `write_answer`, so every rule holds on every path: an edit
reopens a completed review, moves its version on and is logged (the answer and its note
apart), and a reviewer is known by their name with spaces tidied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer, ReviewKind, ReviewStatus
from audit_app.core.audit_rows import AnswerEntry
from audit_app.core.errors import NotFoundError, UserError
from audit_app.db.base import utcnow
from audit_app.db.change_log import log_change
from audit_app.db.models import (
    AnswerRecord,
    AuditRecord,
    ChangeLogRecord,
    ReviewerRecord,
    ReviewRecord,
)

ANSWERS: Table = AnswerRecord.__table__  # type: ignore[assignment]
REVIEWS: Table = ReviewRecord.__table__  # type: ignore[assignment]
AUDITS: Table = AuditRecord.__table__  # type: ignore[assignment]
CHANGES: Table = ChangeLogRecord.__table__  # type: ignore[assignment]
OPEN_STATUS = "open"


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


# --- set-based writes: one statement per kind of change, whatever the number of answers --

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


class WantedAnswer(NamedTuple):
    """One answer to set (None: clear); `note=None` keeps the note there."""

    code: str
    answer: Answer | None
    note: str | None
    automatic: bool = False


def review_state(session: Session, review: ReviewRecord, criterion_ids: Mapping[str, int],
                 scale: Iterable[str]) -> ReviewState:
    """The state of a review read with the ORM (the first write of a session)."""
    session.flush()
    codes = {cid: code for code, cid in criterion_ids.items()}
    rows = session.execute(select(
        ANSWERS.c.id, ANSWERS.c.criterion_id, ANSWERS.c.value, ANSWERS.c.note,
        ANSWERS.c.automatic, ANSWERS.c.entered_by, ANSWERS.c.updated_at,
    ).where(ANSWERS.c.review_id == review.id)).all()
    answers = {row.criterion_id: StoredAnswer(row.id, AnswerEntry(
        review.id, codes.get(row.criterion_id, ""), Answer(row.value), row.note, row.automatic,
        row.entered_by, row.updated_at)) for row in rows}
    return ReviewState(review.id, review.audit_id, review.case_id, review.kind, review.version,
                       review.status, dict(criterion_ids), frozenset(scale), answers)


def confirm_current(session: Session, state: ReviewState) -> None:
    """Nothing to write: still check, in one read, that the kept state is current."""
    version = session.scalar(select(REVIEWS.c.version).join(
        AUDITS, AUDITS.c.id == REVIEWS.c.audit_id).where(
        REVIEWS.c.id == state.review_id, AUDITS.c.status == OPEN_STATUS))
    if version != state.version:
        raise StaleReview


def store_answers(session: Session, state: ReviewState, wanted: Sequence[WantedAnswer], *,
                  actor: str, why: str | None = None, entered_by: str | None = None
                  ) -> tuple[ReviewState, list[str]]:
    """Write the answers of `wanted` that differ from `state`, as sets: one version-checked
    UPDATE of the review (reopening it if complete), one upsert of the answers set, one
    DELETE of those cleared, one INSERT of their change-log rows (answer and note apart).
    Returns the new state and the codes that changed. Raises StaleReview, having written
    nothing, if the review moved on since `state` was read or its audit is no longer open."""
    detail = state.kind if why is None else why
    given_by = actor if entered_by is None else entered_by
    now = utcnow()
    plan = _plan_answers(state, wanted, given_by, now)
    if not plan.changed:
        confirm_current(session, state)
        return state, []
    session.flush()
    reopened = _bump_review(session, state, now)
    answers = dict(state.answers)
    log_rows: list[dict[str, Any]] = []
    if plan.upserts:
        ids = _upsert_answers(session, state.review_id, plan.upserts)
        for row in plan.upserts:
            old = state.answers.get(row["criterion_id"])
            code = plan.codes[row["criterion_id"]]
            answers[row["criterion_id"]] = StoredAnswer(ids[row["criterion_id"]], AnswerEntry(
                state.review_id, code, Answer(row["value"]), row["note"], row["automatic"],
                row["entered_by"], now))
            log_rows += _answer_log(state, ids[row["criterion_id"]], code, old, row, detail)
    if plan.clears:
        session.execute(delete(ANSWERS).where(ANSWERS.c.review_id == state.review_id,
                                              ANSWERS.c.criterion_id.in_(plan.clears)))
        for criterion_id in plan.clears:
            old = state.answers[criterion_id]
            answers.pop(criterion_id)
            log_rows.append(_log_row(state, "answer", old.answer_id, plan.codes[criterion_id],
                                     old.entry.value.value, None, detail))
    if reopened:
        log_rows.append(_log_row(state, "review", state.review_id, "status",
                                 ReviewStatus.COMPLETE.value, ReviewStatus.IN_PROGRESS.value,
                                 "reopened by an edit"))
    session.execute(insert(CHANGES), [{**row, "actor": actor, "at": now} for row in log_rows])
    _forget_loaded(session, state.review_id)
    new_status = ReviewStatus.IN_PROGRESS.value if reopened else state.status
    return replace(state, version=state.version + 1, status=new_status, answers=answers), [
        plan.codes[row["criterion_id"]] for row in plan.upserts] + [
        plan.codes[cid] for cid in plan.clears]


@dataclass
class _AnswerPlan:
    upserts: list[dict[str, Any]] = field(default_factory=list)
    clears: list[int] = field(default_factory=list)
    codes: dict[int, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.upserts or self.clears)


def _plan_answers(state: ReviewState, wanted: Sequence[WantedAnswer], given_by: str,
                  now: dt.datetime) -> _AnswerPlan:
    plan = _AnswerPlan()
    for item in wanted:
        criterion_id = state.criterion_ids[item.code]
        old = state.answers.get(criterion_id)
        plan.codes[criterion_id] = item.code
        if item.answer is None:
            if old is not None:
                plan.clears.append(criterion_id)
            continue
        old_note = old.entry.note if old else ""
        note = old_note if item.note is None else item.note
        if old is not None and old.entry.value == item.answer and old_note == note:
            continue
        plan.upserts.append({"criterion_id": criterion_id, "value": item.answer.value,
                             "note": note, "automatic": item.automatic,
                             "entered_by": given_by, "updated_at": now})
    return plan


def _bump_review(session: Session, state: ReviewState, now: dt.datetime) -> bool:
    """Move the review's version on if it is still the one read and its audit is open;
    reopen it if it was complete. Whether it was reopened."""
    reopen = state.status == ReviewStatus.COMPLETE.value
    values: dict[str, Any] = {"version": state.version + 1, "updated_at": now}
    if reopen:
        values |= {"status": ReviewStatus.IN_PROGRESS.value, "completed_at": None}
    # Read FOR SHARE on PostgreSQL, so a close committing meanwhile waits for this write.
    open_audit = select(AUDITS.c.id).where(
        AUDITS.c.id == state.audit_id, AUDITS.c.status == OPEN_STATUS).with_for_update(read=True)
    result = session.execute(update(REVIEWS).where(
        REVIEWS.c.id == state.review_id, REVIEWS.c.version == state.version,
        REVIEWS.c.audit_id.in_(open_audit.scalar_subquery())).values(values))
    if getattr(result, "rowcount", 0) != 1:
        raise StaleReview
    return reopen


def _upsert_answers(session: Session, review_id: int, rows: list[dict[str, Any]]
                    ) -> dict[int, int]:
    """Insert or update the answers in one statement; criterion id -> answer id."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(ANSWERS)
    statement = statement.on_conflict_do_update(
        index_elements=[ANSWERS.c.review_id, ANSWERS.c.criterion_id],
        set_={name: statement.excluded[name]
              for name in ("value", "note", "automatic", "entered_by", "updated_at")},
    ).returning(ANSWERS.c.criterion_id, ANSWERS.c.id)
    values = [{**row, "review_id": review_id} for row in rows]
    returned = session.execute(statement.values(values[0] if len(values) == 1 else values))
    return {criterion_id: answer_id for criterion_id, answer_id in returned}


def _answer_log(state: ReviewState, answer_id: int, code: str, old: StoredAnswer | None,
                row: Mapping[str, Any], detail: str) -> list[dict[str, Any]]:
    old_value = old.entry.value.value if old else None
    old_note = old.entry.note if old else ""
    rows = []
    if old_value != row["value"]:
        rows.append(_log_row(state, "answer", answer_id, code, old_value, row["value"], detail))
    if old_note != row["note"]:
        rows.append(_log_row(state, "answer_note", answer_id, code, old_note, row["note"],
                             detail))
    return rows


def _log_row(state: ReviewState, entity: str, entity_id: int, field_name: str,
             old: str | None, new: str | None, detail: str) -> dict[str, Any]:
    return {"audit_id": state.audit_id, "entity": entity, "entity_id": entity_id,
            "case_id": state.case_id, "field": field_name, "old_value": old,
            "new_value": new, "detail": detail}


def _forget_loaded(session: Session, review_id: int) -> None:
    """Rows loaded by the ORM in this session no longer match what was written."""
    for instance in list(session.identity_map.values()):
        if (isinstance(instance, ReviewRecord) and instance.id == review_id) or (
                isinstance(instance, AnswerRecord) and instance.review_id == review_id):
            session.expire(instance)
