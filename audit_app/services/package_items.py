"""What a review package carries, item by item: reading a member's answers and case
details, applying one item with its change-log row, and the conflicts a merge leaves.

An *item* is one answer (keyed by criterion code) or one case detail (keyed "@name"):
{"value": ..., "note": ...}, or None for "nothing entered". `packages` builds and merges
packages from these; there is one writer of answers here, with one set of rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import (
    REVIEW_DETAIL_LABELS,
    Answer,
    ReviewKind,
    ReviewStatus,
    Verdict,
    stored_value_label,
)
from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.errors import InvalidFileError, NotFoundError, UserError
from audit_app.core.scoring import own_scales
from audit_app.core.statuses import ConflictStatus
from audit_app.core.withdrawal import WithdrawalReason, WithdrawalStage
from audit_app.db import reviews
from audit_app.db.base import utcnow
from audit_app.db.models import (
    AnswerRecord,
    CaseRecord,
    CriterionRecord,
    MergeConflictRecord,
    ReviewerRecord,
    ReviewRecord,
)
from audit_app.db.review_rows import WantedAnswer, review_state
from audit_app.services.audits import require_open_audit
from audit_app.services.change_log import log_change
from audit_app.services.database import Database

Item = dict[str, Any] | None  # {"value": ..., "note": ...} or None for "nothing entered"
DETAIL_FIELDS = ("verdict", "learning_points", "good_practice", "feedback",
                 "urgent_safeguarding", "withdrawal_stage", "withdrawal_reason", "status")
NO_RESOLVING = "its merge conflicts can no longer be settled"


@dataclass(frozen=True)
class ConflictRow:
    id: int
    case_reference: str
    reviewer: str
    item: str
    base: Item
    master: Item
    package: Item
    status: str
    resolution: str


# --- reading a member's review as package items --------------------------------------

def member_review(session: Session, audit_id: int, case_id: int,
                  reviewer: ReviewerRecord | None) -> ReviewRecord | None:
    return reviews.find_review(session, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                               kind=ReviewKind.MEMBER)


def items_of(session: Session, review: ReviewRecord | None,
              codes: dict[int, str]) -> dict[str, Item]:
    """Every answer and case detail of a review, keyed by criterion code or detail name."""
    if review is None:
        return {}
    items: dict[str, Item] = {}
    for answer in session.scalars(select(AnswerRecord).where(AnswerRecord.review_id == review.id)):
        items[codes[answer.criterion_id]] = {"value": answer.value, "note": answer.note}
    for name in DETAIL_FIELDS:
        value = getattr(review, name)
        if value not in (None, "", False) and not (name == "status" and value == "not_started"):
            items[f"@{name}"] = {"value": value}
    return items


def find_reviewer(session: Session, name: str) -> ReviewerRecord | None:
    return reviews.find_reviewer(session, name)


def criterion_codes(session: Session, framework_id: int) -> dict[int, str]:
    return dict(session.execute(select(CriterionRecord.id, CriterionRecord.code).where(
        CriterionRecord.framework_id == framework_id)).all())


def typed_value(key: str, value: Any) -> Any:
    if value is None:
        return None
    kind = FIELDS_BY_KEY[key].kind.value
    if kind == "date":
        return dt.date.fromisoformat(str(value))
    if kind == "integer":
        return int(value)
    if kind == "flag":
        return bool(value)
    return value


def reviewer_record(session: Session, name: str) -> ReviewerRecord:
    return reviews.reviewer_named(session, name, create=True)


# --- applying items ---------------------------------------------------------------------

@dataclass
class ItemWriter:
    """Items of one member's reviews, written by the same rules as scoring (`db.reviews`):
    logged, and an answer's edit reopens a completed review. Answers are written in sets
    (every case's at once), then the case details in the order added, so a package's
    "@status" still comes after the answer edits that reopen a review."""

    session: Session
    audit_id: int
    person: ReviewerRecord
    codes: dict[str, int]  # criterion code -> id
    scale: Sequence[str]
    actor: str
    why: str
    # criteria with a scale of their own (code -> stored values)
    scales: Mapping[str, frozenset[str]] = field(default_factory=dict)
    answers: dict[int, list[WantedAnswer]] = field(default_factory=dict)
    details: list[tuple[int, str, object]] = field(default_factory=list)

    def add(self, case_id: int, name: str, item: Item) -> None:
        """Check one item and hold it for `write`."""
        if name.startswith("@"):
            detail = name[1:]
            if detail not in DETAIL_FIELDS:
                raise InvalidFileError(f"Unknown case detail '{detail}' in the package")
            self.details.append((case_id, detail, _detail_value(detail, item)))
            return
        if name not in self.codes:
            raise InvalidFileError(f"The package answers criterion '{name}', which is not in "
                                   "this audit's framework")
        answer = None if item is None else _answer_of(item, name,
                                                      self.scales.get(name, self.scale))
        note = None if item is None else str(item.get("note") or "")
        self.answers.setdefault(case_id, []).append(WantedAnswer(name, answer, note))

    def write(self) -> None:
        sets = [(review_state(self.session, self._review(case_id), self.codes, self.scale,
                              scales=self.scales),
                 wanted) for case_id, wanted in self.answers.items()]
        if sets:
            reviews.store_answer_sets(self.session, sets, actor=self.actor, why=self.why,
                                      entered_by=self.person.name)
        for case_id, detail, value in self.details:
            reviews.write_detail(self.session, self._review(case_id), detail, value,
                                 actor=self.actor, why=self.why)
        self.answers, self.details = {}, []

    def _review(self, case_id: int) -> ReviewRecord:
        return reviews.start_review(self.session, audit_id=self.audit_id, case_id=case_id,
                                    reviewer=self.person, kind=ReviewKind.MEMBER)


def apply_item(session: Session, audit_id: int, case_id: int, person: ReviewerRecord,
               codes: dict[str, int], name: str, item: Item, *, actor: str, why: str,
               scale: Sequence[str], scales: Mapping[str, frozenset[str]]) -> None:
    """Set one answer or case detail of `person`'s review to `item`."""
    writer = ItemWriter(session, audit_id, person, codes, scale, actor, why, scales)
    writer.add(case_id, name, item)
    writer.write()


def _detail_value(field: str, item: Item) -> object:
    value = None if item is None else item.get("value")
    try:
        if field == "verdict" and value is not None:
            return Verdict(str(value)).value
        if field == "status":
            return ReviewStatus(str(value)).value if value else ReviewStatus.IN_PROGRESS.value
        if field == "withdrawal_stage" and value is not None:
            return WithdrawalStage(str(value)).value
        if field == "withdrawal_reason" and value is not None:
            return WithdrawalReason(str(value)).value
    except ValueError:
        raise InvalidFileError(f"The package holds an unknown {field}; nothing was imported"
                               ) from None
    if field == "urgent_safeguarding":
        return bool(value)
    if field in ("learning_points", "good_practice", "feedback"):
        return str(value or "")
    return value


def _answer_of(item: dict[str, Any], code: str, scale: Collection[str]) -> Answer:
    try:
        answer = Answer(str(item.get("value")))
    except ValueError:
        answer = None
    if answer is None or answer.value not in scale:
        raise InvalidFileError(f"The package's answer to criterion {code} is not on this "
                               "criterion's scale; nothing was imported")
    return answer


# --- merge conflicts ---------------------------------------------------------------

def show_item(item: Item) -> str | None:
    return None if item is None else describe_item(item)


def describe_item(item: Item) -> str:
    """An answer or case detail in a line: 'Not met – No history check on file'."""
    if item is None:
        return "(nothing entered)"
    note = f" – {item['note']}" if item.get("note") else ""
    return f"{stored_value_label(item.get('value'))}{note}"


def item_label(item: str) -> str:
    """What a conflict is about: a criterion's code ("B2") or a detail ("Learning points")."""
    name = item.removeprefix("@")
    return REVIEW_DETAIL_LABELS.get(name, name) if item.startswith("@") else item


def list_conflicts(db: Database, *, audit_id: int, open_only: bool = True) -> list[ConflictRow]:
    with db.reading() as session:
        query = (select(MergeConflictRecord, CaseRecord.reference, ReviewerRecord.name)
                 .join(CaseRecord, MergeConflictRecord.case_id == CaseRecord.id)
                 .join(ReviewerRecord, MergeConflictRecord.reviewer_id == ReviewerRecord.id)
                 .where(MergeConflictRecord.audit_id == audit_id)
                 .order_by(MergeConflictRecord.id))
        if open_only:
            query = query.where(MergeConflictRecord.status == ConflictStatus.OPEN)
        return [ConflictRow(c.id, reference, name, c.item, c.base_value, c.master_value,
                            c.package_value, c.status, c.resolution)
                for c, reference, name in session.execute(query).all()]


def resolve_conflict(db: Database, *, conflict_id: int, keep: str, chair: str) -> ConflictRow:
    """Settle a conflict by keeping the master's value or taking the package's."""
    if keep not in ("master", "package"):
        raise UserError("Keep either 'master' or 'package'")
    with db.transaction() as session:
        conflict = session.get(MergeConflictRecord, conflict_id)
        if conflict is None:
            raise NotFoundError(f"No merge conflict {conflict_id}")
        if conflict.status != ConflictStatus.OPEN:
            raise UserError(f"Conflict {conflict_id} was already resolved")
        audit = require_open_audit(session, conflict.audit_id, doing=NO_RESOLVING)
        person = session.get(ReviewerRecord, conflict.reviewer_id)
        assert person is not None
        if keep == "package":
            codes = {v: k for k, v in criterion_codes(session, audit.framework_id).items()}
            apply_item(session, audit.id, conflict.case_id, person, codes, conflict.item,
                   conflict.package_value, actor=chair,
                   why=f"conflict {conflict_id} resolved: package value taken",
                   scale=audit.framework.scale, scales=own_scales(audit.framework.definition))
        conflict.status = ConflictStatus.RESOLVED
        conflict.resolution = keep
        conflict.resolved_by = chair
        conflict.resolved_at = utcnow()
        log_change(session, actor=chair, audit_id=audit.id, entity="merge_conflict",
                   entity_id=conflict.id, case_id=conflict.case_id, field=conflict.item,
                   new=f"kept {keep}", detail="resolved")
        audit_id = audit.id
    return next(c for c in list_conflicts(db, audit_id=audit_id, open_only=False)
                if c.id == conflict_id)
