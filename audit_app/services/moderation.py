"""Moderation: blinding members' reviews, comparing them, and the panel's consensus.

Blinding. Members score each case independently first. A reviewer sees other members'
reviews of a case (and the consensus) only once their own review of that case is
complete, or once the chair has revealed the case for discussion. A reveal is written to
the change log (entity 'case', field 'revealed'), so it is dated, attributed and cannot
be undone. Recording a consensus reveals the case too: the panel has discussed it.

Consensus. The chair records the agreed answer per criterion, and the agreed verdict, in
the case's single consensus review (kind 'consensus'). Members' own answers are never
changed. Where members disagree, the consensus needs a rationale.

Effective answer (what findings count) for a case on a criterion: the consensus answer
where there is one; otherwise the members' answer where every member who answered gave
the same one (so also where only one member scored it); otherwise None, meaning the
members disagree and the case awaits moderation on that criterion.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer, ReviewKind, ReviewStatus, Verdict
from audit_app.core.audit_rows import AnswerEntry, ReviewView
from audit_app.core.errors import NotFoundError, ValidationError
from audit_app.core.framework import framework_from_dict
from audit_app.core.scoring import effective_answer, members_disagree
from audit_app.db.models import (
    AnswerRecord,
    ChangeLogRecord,
    CriterionRecord,
    ReviewerRecord,
    ReviewRecord,
)
from audit_app.services import scoring
from audit_app.services.audits import check_open_audit, require_audit, require_open_audit
from audit_app.services.cases import require_case
from audit_app.services.change_log import log_change
from audit_app.services.database import Database

REVEAL_ENTITY = "case"
REVEAL_FIELD = "revealed"
# How a closed audit's refusal ends: "This audit was closed on <date>, so ...".
MODERATION_FINAL = "the panel's agreed answers and verdicts can no longer change"
REVEAL_FINAL = "no case can be revealed to the panel now"


@dataclass(frozen=True)
class BlindingState:
    case_id: int
    viewer: str
    revealed: bool
    own_review_complete: bool
    other_reviews: int  # other members' reviews of the case, seen or not

    @property
    def can_see_others(self) -> bool:
        return self.revealed or self.own_review_complete


@dataclass(frozen=True)
class MemberAnswer:
    reviewer: str
    value: Answer
    note: str


@dataclass(frozen=True)
class CriterionComparison:
    code: str
    question: str
    section_title: str
    answers: tuple[MemberAnswer, ...]  # one per member who answered, by reviewer name
    unanswered_by: tuple[str, ...]     # members with a review of the case but no answer here
    disagree: bool
    consensus: Answer | None
    consensus_rationale: str

    @property
    def effective(self) -> Answer | None:
        return effective_answer(self.consensus, [a.value for a in self.answers])

    @property
    def awaiting_moderation(self) -> bool:
        return self.disagree and self.consensus is None


@dataclass(frozen=True)
class CaseComparison:
    case_id: int
    reference: str
    members: tuple[str, ...]
    criteria: tuple[CriterionComparison, ...]
    verdicts: dict[str, Verdict | None] = field(default_factory=dict)  # member -> verdict
    verdicts_disagree: bool = False
    consensus_verdict: Verdict | None = None
    consensus_rationale: str = ""
    revealed: bool = False

    @property
    def awaiting_moderation(self) -> list[CriterionComparison]:
        return [c for c in self.criteria if c.awaiting_moderation]


# --- blinding --------------------------------------------------------------------------

def _revealed(session: Session, audit_id: int, case_id: int) -> bool:
    return session.scalar(select(ChangeLogRecord.id).where(
        ChangeLogRecord.audit_id == audit_id, ChangeLogRecord.case_id == case_id,
        ChangeLogRecord.entity == REVEAL_ENTITY, ChangeLogRecord.field == REVEAL_FIELD)
        .limit(1)) is not None


def _chair(session: Session, name: str) -> ReviewerRecord:
    clean = " ".join(name.split())
    record = session.scalar(select(ReviewerRecord).where(ReviewerRecord.name == clean))
    if record is None:
        raise NotFoundError(f"No reviewer called '{clean}'")
    if not record.is_chair:
        raise ValidationError(f"Only the panel chair can do this; {clean} is not marked as chair")
    return record


def _reveal(session: Session, audit_id: int, case_id: int, chair: str, why: str) -> None:
    if not _revealed(session, audit_id, case_id):
        log_change(session, actor=chair, audit_id=audit_id, entity=REVEAL_ENTITY,
                   entity_id=case_id, case_id=case_id, field=REVEAL_FIELD, old=None, new="yes",
                   detail=why)


def reveal_case(db: Database, *, audit_id: int, case_id: int, chair: str) -> None:
    """Let every member see every review of this case (the panel is discussing it)."""
    with db.transaction() as session:
        require_open_audit(session, audit_id, doing=REVEAL_FINAL)
        require_case(session, audit_id, case_id)
        person = _chair(session, chair)
        _reveal(session, audit_id, case_id, person.name, "revealed by the chair")


def is_revealed(db: Database, *, audit_id: int, case_id: int) -> bool:
    with db.reading() as session:
        return _revealed(session, audit_id, case_id)


def _case_reviews(session: Session, case_id: int) -> list[tuple[ReviewRecord, str]]:
    rows = session.execute(
        select(ReviewRecord, ReviewerRecord.name).join(ReviewerRecord)
        .where(ReviewRecord.case_id == case_id)
        .order_by(ReviewRecord.kind.desc(), ReviewerRecord.name)).all()
    return [(review, name) for review, name in rows]


def blinding_state(db: Database, *, audit_id: int, case_id: int, viewer: str) -> BlindingState:
    viewer = " ".join(viewer.split())
    with db.reading() as session:
        require_case(session, audit_id, case_id)
        reviews = _case_reviews(session, case_id)
        own = next((r for r, name in reviews if r.kind == ReviewKind.MEMBER and name == viewer), None)
        others = sum(1 for r, name in reviews if r.kind == ReviewKind.MEMBER and name != viewer)
        return BlindingState(case_id, viewer, _revealed(session, audit_id, case_id),
                             own is not None and own.status == ReviewStatus.COMPLETE.value, others)


def visible_reviews(db: Database, *, audit_id: int, case_id: int, viewer: str) -> list[ReviewView]:
    """The reviews of a case this viewer may see: always their own, others once unblinded.

    Order: the viewer's own review, other members' reviews by name, then the consensus.
    """
    state = blinding_state(db, audit_id=audit_id, case_id=case_id, viewer=viewer)
    with db.reading() as session:
        views = []
        for review, name in _case_reviews(session, case_id):
            own = review.kind == ReviewKind.MEMBER and name == state.viewer
            if own or state.can_see_others:
                views.append((not own, review.kind == ReviewKind.CONSENSUS, name,
                              scoring.view_of(session, review, name)))
        return [view for *_, view in sorted(views, key=lambda v: v[:3])]


# --- comparison ------------------------------------------------------------------------

def comparison(db: Database, *, audit_id: int, case_id: int) -> CaseComparison:
    """Every member's answers side by side, with disagreements and any consensus.

    This is the chair's moderation view and is not blinded; fronts show it to members only
    once `blinding_state(...).can_see_others`.
    """
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        case = require_case(session, audit_id, case_id)
        framework = framework_from_dict(audit.framework.definition)
        reviews = _case_reviews(session, case_id)
        names = {review.id: name for review, name in reviews}
        members = tuple(name for review, name in reviews if review.kind == ReviewKind.MEMBER)
        consensus = next((review for review, _ in reviews if review.kind == ReviewKind.CONSENSUS), None)
        given: dict[str, dict[str, AnswerRecord]] = defaultdict(dict)  # code -> reviewer
        consensus_answers: dict[str, AnswerRecord] = {}
        for answer, code in session.execute(
                select(AnswerRecord, CriterionRecord.code).join(CriterionRecord)
                .where(AnswerRecord.review_id.in_(list(names)))).all():
            if consensus is not None and answer.review_id == consensus.id:
                consensus_answers[code] = answer
            else:
                given[code][names[answer.review_id]] = answer
        criteria = []
        for section in framework.sections:
            for criterion in section.criteria:
                by_member = given.get(criterion.code, {})
                answers = tuple(MemberAnswer(name, Answer(by_member[name].value),
                                             by_member[name].note)
                                for name in members if name in by_member)
                agreed = consensus_answers.get(criterion.code)
                criteria.append(CriterionComparison(
                    criterion.code, criterion.question, section.title, answers,
                    tuple(name for name in members if name not in by_member),
                    members_disagree([a.value for a in answers]),
                    Answer(agreed.value) if agreed else None, agreed.note if agreed else ""))
        verdicts = {name: Verdict(review.verdict) if review.verdict else None
                    for review, name in reviews if review.kind == ReviewKind.MEMBER}
        given_verdicts = {v for v in verdicts.values() if v is not None}
        return CaseComparison(
            case_id, case.reference, members, tuple(criteria), verdicts, len(given_verdicts) > 1,
            Verdict(consensus.verdict) if consensus and consensus.verdict else None,
            consensus.rationale if consensus else "", _revealed(session, audit_id, case_id))


# --- consensus -------------------------------------------------------------------------

def _prepare_consensus(db: Database, audit_id: int, case_id: int, chair: str) -> str:
    with db.transaction() as session:
        require_open_audit(session, audit_id, doing=MODERATION_FINAL)
        require_case(session, audit_id, case_id)
        person = _chair(session, chair)
        _reveal(session, audit_id, case_id, person.name, "consensus recorded")
        return person.name


def record_consensus(db: Database, *, audit_id: int, case_id: int, chair: str,
                     criterion_code: str, value: Answer | str | None,
                     rationale: str) -> AnswerEntry | None:
    """The panel's agreed answer on one criterion (value=None withdraws it)."""
    answer = Answer.parse(value) if isinstance(value, str) else value
    rationale = rationale.strip()
    with db.batch() as unit:  # one transaction: checked, revealed and recorded, or none
        check_open_audit(unit, audit_id=audit_id, doing=MODERATION_FINAL)
        current = comparison(unit, audit_id=audit_id, case_id=case_id)
        row = next((c for c in current.criteria if c.code == criterion_code), None)
        if row is None:
            raise NotFoundError(f"No criterion '{criterion_code}' in this audit's framework")
        if answer is not None and row.disagree and not rationale:
            raise ValidationError(f"Criterion {criterion_code}: members disagree, so the "
                                  "agreed answer needs a rationale saying why the panel "
                                  "agreed it. Type the rationale first; nothing was saved.")
        name = _prepare_consensus(unit, audit_id, case_id, chair)
        return scoring.record_answer(unit, audit_id=audit_id, case_id=case_id, reviewer=name,
                                     criterion_code=criterion_code, value=answer,
                                     note=rationale, kind=ReviewKind.CONSENSUS)


def record_consensus_verdict(db: Database, *, audit_id: int, case_id: int, chair: str,
                             verdict: Verdict | str, rationale: str,
                             learning_points: str | None = None, good_practice: str | None = None,
                             feedback: str | None = None) -> ReviewView:
    """The panel's agreed verdict, with its rationale (needed unless plainly Appropriate)."""
    try:
        agreed = Verdict.parse(verdict) if isinstance(verdict, str) else verdict
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    rationale = rationale.strip()
    with db.batch() as unit:  # one transaction
        check_open_audit(unit, audit_id=audit_id, doing=MODERATION_FINAL)
        current = comparison(unit, audit_id=audit_id, case_id=case_id)
        if not rationale and (current.verdicts_disagree or agreed is not Verdict.APPROPRIATE):
            raise ValidationError("The panel's verdict needs a rationale" + (
                " because members' verdicts differ" if current.verdicts_disagree else ""))
        name = _prepare_consensus(unit, audit_id, case_id, chair)
        return scoring.set_case_details(
            unit, audit_id=audit_id, case_id=case_id, reviewer=name, kind=ReviewKind.CONSENSUS,
            verdict=agreed, rationale=rationale, learning_points=learning_points,
            good_practice=good_practice, feedback=feedback)


def adopt_agreed_answers(db: Database, *, audit_id: int, case_id: int, chair: str) -> int:
    """Copy into the consensus every answer all members agree on and the chair has not set.

    Saves the chair re-entering uncontested criteria before completing the consensus review.
    """
    with db.batch() as unit:  # one transaction
        check_open_audit(unit, audit_id=audit_id, doing=MODERATION_FINAL)
        current = comparison(unit, audit_id=audit_id, case_id=case_id)
        agreed = {c.code: (c.answers[0].value, _agreed_note(c)) for c in current.criteria
                  if c.consensus is None and c.answers and not c.disagree}
        if not agreed:
            return 0
        name = _prepare_consensus(unit, audit_id, case_id, chair)
        return scoring.record_answers(unit, audit_id=audit_id, case_id=case_id, reviewer=name,
                                      answers=agreed, kind=ReviewKind.CONSENSUS)


def _agreed_note(row: CriterionComparison) -> str:
    notes = [f"{a.reviewer}: {a.note.strip()}" for a in row.answers if a.note.strip()]
    return "Members agreed" + (" (" + "; ".join(notes) + ")" if notes else "")


# --- what findings count ---------------------------------------------------------------

def effective_answers(db: Database, *, audit_id: int) -> dict[tuple[int, str], Answer | None]:
    """(case id, criterion code) -> the answer that counts, by the rule in this module's doc.

    Only pairs someone answered appear; None marks a disagreement awaiting moderation.
    """
    with db.reading() as session:
        require_audit(session, audit_id)
        member: dict[tuple[int, str], list[Answer]] = defaultdict(list)
        agreed: dict[tuple[int, str], Answer] = {}
        for case_id, kind, code, value in session.execute(
                select(ReviewRecord.case_id, ReviewRecord.kind, CriterionRecord.code,
                       AnswerRecord.value)
                .join(AnswerRecord, AnswerRecord.review_id == ReviewRecord.id)
                .join(CriterionRecord, AnswerRecord.criterion_id == CriterionRecord.id)
                .where(ReviewRecord.audit_id == audit_id)).all():
            if kind == ReviewKind.CONSENSUS:
                agreed[(case_id, code)] = Answer(value)
            else:
                member[(case_id, code)].append(Answer(value))
        return {key: effective_answer(agreed.get(key), member.get(key, []))
                for key in set(member) | set(agreed)}


def effective_verdicts(db: Database, *, audit_id: int) -> dict[int, Verdict | None]:
    """Case id -> the verdict that counts: consensus, else the members' shared verdict."""
    with db.reading() as session:
        require_audit(session, audit_id)
        member: dict[int, set[Verdict]] = defaultdict(set)
        agreed: dict[int, Verdict] = {}
        for case_id, kind, verdict in session.execute(
                select(ReviewRecord.case_id, ReviewRecord.kind, ReviewRecord.verdict)
                .where(ReviewRecord.audit_id == audit_id,
                       ReviewRecord.verdict.is_not(None))).all():
            if verdict is None:
                continue
            if kind == ReviewKind.CONSENSUS:
                agreed[case_id] = Verdict(verdict)
            else:
                member[case_id].add(Verdict(verdict))
        result: dict[int, Verdict | None] = {}
        for case_id in set(member) | set(agreed):
            shared = member.get(case_id, set())
            result[case_id] = agreed.get(case_id) or (next(iter(shared)) if len(shared) == 1
                                                      else None)
        return result
