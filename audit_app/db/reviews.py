"""Reviews and their answers: the one place that writes them.

Scoring in the app or from the command line, scoresheets, automatic N/A, the demo and
merged review packages all go through `store_answer_sets`, so every rule holds on every
path: an edit reopens a completed review, moves its version on and is logged (the answer
and its note apart), and a reviewer is known by their name with spaces tidied. It writes
in sets, whatever the number of answers and reviews: see docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, case, delete, insert, null, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer, ReviewKind, ReviewStatus
from audit_app.core.audit_rows import AnswerEntry
from audit_app.core.errors import NotFoundError, UserError, ValidationError
from audit_app.core.scoring import on_criterion_scale
from audit_app.db.base import utcnow
from audit_app.db.change_log import log_change
from audit_app.db.models import AnswerRecord, ReviewerRecord, ReviewRecord
from audit_app.db.review_rows import (
    AUDITS,
    CHANGES,
    OPEN_STATUS,
    REVIEWS,
    ReviewState,
    StaleReview,
    StoredAnswer,
    WantedAnswer,
    confirm_current,
)


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
    return record or begin_review(session, audit_id=audit_id, case_id=case_id,
                                  reviewer=reviewer, kind=kind)


def begin_review(session: Session, *, audit_id: int, case_id: int, reviewer: ReviewerRecord,
                 kind: str) -> ReviewRecord:
    """A new review, for a caller that has just found none (one query fewer a review)."""
    record = ReviewRecord(audit_id=audit_id, case_id=case_id, reviewer_id=reviewer.id,
                          kind=kind, status=ReviewStatus.IN_PROGRESS.value, started_at=utcnow())
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

def store_answers(session: Session, state: ReviewState, wanted: Sequence[WantedAnswer], *,
                  actor: str, why: str | None = None, entered_by: str | None = None
                  ) -> tuple[ReviewState, list[str]]:
    """Write the answers of `wanted` that differ from `state`: see `store_answer_sets`."""
    return store_answer_sets(session, [(state, wanted)], actor=actor, why=why,
                             entered_by=entered_by)[0]


def store_answer_sets(session: Session,
                      sets: Sequence[tuple[ReviewState, Sequence[WantedAnswer]]], *,
                      actor: str, why: str | None = None, entered_by: str | None = None
                      ) -> list[tuple[ReviewState, list[str]]]:
    """Write the answers that differ from what each state holds, for any number of reviews,
    as sets: the reviews' versions moved on with a check (and a completed one reopened),
    one upsert of the answers set, one DELETE of those cleared, one INSERT of the change
    log (answer and note apart). For one review that is three statements. Returns each
    review's new state and the codes that changed. Raises StaleReview, having written
    nothing, if a review moved on since its state was read or its audit is not open."""
    now = utcnow()
    given_by = actor if entered_by is None else entered_by
    plans = [(state, _plan_answers(state, wanted, given_by, now)) for state, wanted in sets]
    confirm_current(session, [state for state, plan in plans if not plan.changed])
    writing = [(state, plan) for state, plan in plans if plan.changed]
    if not writing:
        return [(state, []) for state, _plan in plans]
    session.flush()
    reopened = _bump_reviews(session, [state for state, _plan in writing], now)
    ids = _upsert_answers(session, [row for _state, plan in writing for row in plan.upserts])
    cleared = [state.answers[cid].answer_id for state, plan in writing for cid in plan.clears]
    if cleared:
        session.connection().execute(delete(AnswerRecord).where(AnswerRecord.id.in_(cleared)))
    log_rows: list[dict[str, Any]] = []
    done: dict[int, tuple[ReviewState, list[str]]] = {}
    for state, plan in writing:
        detail = state.kind if why is None else why
        new_state = _after(state, plan, ids, now, state.review_id in reopened)
        log_rows += _plan_log(state, plan, ids, detail)
        if state.review_id in reopened:
            log_rows.append(_log_row(state, "review", state.review_id, "status",
                                     ReviewStatus.COMPLETE.value,
                                     ReviewStatus.IN_PROGRESS.value, "reopened by an edit"))
        done[state.review_id] = (new_state, plan.changed_codes)
        _forget_loaded(session, state.review_id)
    session.connection().execute(_LOG, [{**row, "actor": actor, "at": now} for row in log_rows])
    return [done.get(state.review_id, (state, [])) for state, _plan in plans]


def _after(state: ReviewState, plan: _AnswerPlan, ids: Mapping[tuple[int, int], int],
           now: dt.datetime, reopened: bool) -> ReviewState:
    """The state once `plan` is written."""
    answers = dict(state.answers)
    for row in plan.upserts:
        cid = row["criterion_id"]
        answers[cid] = StoredAnswer(ids[state.review_id, cid], AnswerEntry(
            state.review_id, plan.codes[cid], Answer(row["value"]), row["note"],
            row["automatic"], row["entered_by"], now))
    for cid in plan.clears:
        answers.pop(cid)
    status = ReviewStatus.IN_PROGRESS.value if reopened else state.status
    return replace(state, version=state.version + 1, status=status, answers=answers)


def _plan_log(state: ReviewState, plan: _AnswerPlan, ids: Mapping[tuple[int, int], int],
              detail: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for row in plan.upserts:
        cid = row["criterion_id"]
        rows += _answer_log(state, ids[state.review_id, cid], plan.codes[cid],
                            state.answers.get(cid), row, detail)
    for cid in plan.clears:
        old = state.answers[cid]
        rows.append(_log_row(state, "answer", old.answer_id, plan.codes[cid],
                             old.entry.value.value, None, detail))
    return rows


@dataclass
class _AnswerPlan:
    upserts: list[dict[str, Any]] = field(default_factory=list)
    clears: list[int] = field(default_factory=list)
    codes: dict[int, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.upserts or self.clears)

    @property
    def changed_codes(self) -> list[str]:
        return [self.codes[row["criterion_id"]] for row in self.upserts] + [
            self.codes[cid] for cid in self.clears]


def _plan_answers(state: ReviewState, wanted: Sequence[WantedAnswer], given_by: str,
                  now: dt.datetime) -> _AnswerPlan:
    plan = _AnswerPlan()
    for item in wanted:
        _check_scale(state, item)
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
        plan.upserts.append({"review_id": state.review_id, "criterion_id": criterion_id,
                             "value": item.answer.value,
                             "note": note, "automatic": item.automatic,
                             "entered_by": given_by, "updated_at": now})
    return plan


def _check_scale(state: ReviewState, item: WantedAnswer) -> None:
    """Refuse, before anything is written, an answer the criterion's own scale leaves out
    (a yes/no item cannot be partly met): every path that saves answers comes here."""
    if item.answer is None or on_criterion_scale(item.answer.value, item.code, state.scale,
                                                 state.scales):
        return
    allowed = state.scales.get(item.code, state.scale)
    labels = ", ".join(a.label for a in Answer if a.value in allowed)
    raise ValidationError(f"Criterion {item.code} cannot be answered '{item.answer.label}' "
                          f"(its answers are {labels}); nothing was saved")


def _bump_statement() -> Any:
    """The version-checked review update, built once so that it is compiled once."""
    # Read FOR SHARE on PostgreSQL, so a close committing meanwhile waits for this write.
    open_audits = select(AUDITS.c.id).where(
        AUDITS.c.id == REVIEWS.c.audit_id, AUDITS.c.status == OPEN_STATUS
    ).with_for_update(read=True)
    return update(REVIEWS).where(
        REVIEWS.c.id == bindparam("b_review_id"), REVIEWS.c.version == bindparam("b_old_version"),
        # the same case too: a purged review's id may be taken again by SQLite
        REVIEWS.c.case_id == bindparam("b_case_id"),
        REVIEWS.c.audit_id.in_(open_audits.scalar_subquery())).values(
        version=bindparam("b_new_version"), updated_at=bindparam("b_now"),
        status=bindparam("b_new_status"),
        completed_at=case((bindparam("b_reopen") == true(), null()),
                          else_=REVIEWS.c.completed_at))


_BUMP = _bump_statement()
_LOG = insert(CHANGES)


def _bump_reviews(session: Session, states: Sequence[ReviewState], now: dt.datetime
                  ) -> set[int]:
    """Move each review's version on if it is still the one read and its audit is open,
    reopening those that were complete; the ids of those reopened. One statement for one
    review (or for many where the driver counts rows of a batch)."""
    connection = session.connection()
    rows = [_bump_row(state) | {"b_now": now} for state in states]
    batches = [rows] if (len(rows) == 1 or connection.dialect.supports_sane_multi_rowcount
                         ) else [[row] for row in rows]
    for batch in batches:
        result = connection.execute(_BUMP, batch[0] if len(batch) == 1 else batch)
        if getattr(result, "rowcount", 0) != len(batch):
            raise StaleReview
    return {state.review_id for state in states if state.status == ReviewStatus.COMPLETE.value}


def _bump_row(state: ReviewState) -> dict[str, Any]:
    reopen = state.status == ReviewStatus.COMPLETE.value
    return {"b_review_id": state.review_id, "b_case_id": state.case_id,
            "b_old_version": state.version, "b_new_version": state.version + 1,
            "b_reopen": reopen,
            "b_new_status": ReviewStatus.IN_PROGRESS.value if reopen else state.status}


def _upsert_statement(postgres: bool) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE ... RETURNING, built once per dialect so that it is
    compiled once; run with a list of rows, SQLAlchemy sends them as one multi-row statement."""
    upsert = pg_insert(AnswerRecord) if postgres else sqlite_insert(AnswerRecord)
    return upsert.on_conflict_do_update(
        index_elements=[AnswerRecord.review_id, AnswerRecord.criterion_id],
        set_={name: upsert.excluded[name]
              for name in ("value", "note", "automatic", "entered_by", "updated_at")},
    ).returning(AnswerRecord.review_id, AnswerRecord.criterion_id, AnswerRecord.id)


_UPSERTS = {"postgresql": _upsert_statement(True), "sqlite": _upsert_statement(False)}


def _upsert_answers(session: Session, rows: list[dict[str, Any]]) -> dict[tuple[int, int], int]:
    """Insert or update the answers; (review id, criterion id) -> answer id."""
    if not rows:
        return {}
    connection = session.connection()
    statement = _UPSERTS["postgresql" if connection.dialect.name == "postgresql" else "sqlite"]
    returned = connection.execute(statement, rows[0] if len(rows) == 1 else rows)
    return {(review_id, cid): answer_id for review_id, cid, answer_id in returned}


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
