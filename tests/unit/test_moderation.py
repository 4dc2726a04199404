"""Moderation on SQLite and PostgreSQL: blinding, reveal, disagreement, consensus apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.core.errors import NotFoundError, ValidationError
from audit_app.core.scoring import effective_answer, members_disagree
from audit_app.db.models import CaseRecord
from audit_app.services import audits, moderation, scoring
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.frameworks import get_framework

CHAIR, ANN, BO = "Cara Dunn", "Ann Lee", "Bo Khan"


@dataclass(frozen=True)
class Panel:
    audit_id: int
    case_id: int
    other_case_id: int


@pytest.fixture
def panel(db: Database) -> Panel:
    audit = audits.create_audit(db, name="Moderation", framework="da-nfa-review")
    with db.transaction() as session:
        cases = [CaseRecord(audit_id=audit.id, reference=ref, outcome_code=16, risk_level="high",
                            victim_supports="withdrawn", interviewed=True, elp_flag=False)
                 for ref in ("M1", "M2")]
        session.add_all(cases)
        session.flush()
        ids = [c.id for c in cases]
    scoring.add_reviewer(db, name=CHAIR, organisation="OPCC", is_chair=True)
    scoring.add_reviewer(db, name=ANN, organisation="CPS")
    scoring.add_reviewer(db, name=BO, organisation="IDVA service")
    return Panel(audit.id, *ids)


def _score_all(db: Database, panel: Panel, reviewer: str, overrides: dict[str, tuple[Answer, str]],
               verdict: Verdict, *, complete: bool, case_id: int | None = None) -> None:
    case = case_id or panel.case_id
    answers = {c.code: (Answer.MET, "") for c in get_framework(db, "da-nfa-review").criteria}
    answers.update(overrides)
    scoring.record_answers(db, audit_id=panel.audit_id, case_id=case, reviewer=reviewer,
                           answers=answers)
    scoring.set_case_details(db, audit_id=panel.audit_id, case_id=case, reviewer=reviewer,
                             verdict=verdict, rationale=f"{reviewer}'s view")
    if complete:
        scoring.complete_review(db, audit_id=panel.audit_id, case_id=case, reviewer=reviewer)


def _visible(db: Database, panel: Panel, viewer: str) -> list[tuple[str, str]]:
    return [(v.reviewer, v.kind) for v in moderation.visible_reviews(
        db, audit_id=panel.audit_id, case_id=panel.case_id, viewer=viewer)]


def test_members_are_blind_until_their_own_review_is_complete(db: Database, panel: Panel) -> None:
    _score_all(db, panel, ANN, {"5.2": (Answer.NOT_MET, "No supervisor")}, Verdict.INAPPROPRIATE,
               complete=True)
    _score_all(db, panel, BO, {}, Verdict.APPROPRIATE, complete=False)
    # Bo is still scoring: he sees only his own review, and knows one other exists.
    assert _visible(db, panel, BO) == [(BO, "member")]
    state = moderation.blinding_state(db, audit_id=panel.audit_id, case_id=panel.case_id, viewer=BO)
    assert not state.can_see_others and state.other_reviews == 1
    # Ann has finished: she sees her own first, then Bo's.
    assert _visible(db, panel, ANN) == [(ANN, "member"), (BO, "member")]
    # Someone who has not scored sees nothing; blinding does not depend on the case's others.
    assert _visible(db, panel, "Dee Vaz") == []
    scoring.complete_review(db, audit_id=panel.audit_id, case_id=panel.case_id, reviewer=BO)
    assert _visible(db, panel, BO) == [(BO, "member"), (ANN, "member")]


def test_a_completed_review_reopened_by_an_edit_is_blind_again(db: Database, panel: Panel) -> None:
    _score_all(db, panel, ANN, {}, Verdict.APPROPRIATE, complete=True)
    _score_all(db, panel, BO, {}, Verdict.APPROPRIATE, complete=True)
    scoring.record_answer(db, audit_id=panel.audit_id, case_id=panel.case_id, reviewer=BO,
                          criterion_code="1.1", value=Answer.PARTLY_MET)
    assert _visible(db, panel, BO) == [(BO, "member")]


def test_the_chair_reveals_a_case_to_everyone(db: Database, panel: Panel) -> None:
    _score_all(db, panel, ANN, {}, Verdict.APPROPRIATE, complete=False)
    _score_all(db, panel, BO, {}, Verdict.APPROPRIATE, complete=False)
    with pytest.raises(ValidationError, match="Only the panel chair"):
        moderation.reveal_case(db, audit_id=panel.audit_id, case_id=panel.case_id, chair=ANN)
    with pytest.raises(NotFoundError, match="No reviewer called 'Nobody'"):
        moderation.reveal_case(db, audit_id=panel.audit_id, case_id=panel.case_id, chair="Nobody")
    assert not moderation.is_revealed(db, audit_id=panel.audit_id, case_id=panel.case_id)
    moderation.reveal_case(db, audit_id=panel.audit_id, case_id=panel.case_id, chair=CHAIR)
    moderation.reveal_case(db, audit_id=panel.audit_id, case_id=panel.case_id, chair=CHAIR)
    assert moderation.is_revealed(db, audit_id=panel.audit_id, case_id=panel.case_id)
    assert not moderation.is_revealed(db, audit_id=panel.audit_id, case_id=panel.other_case_id)
    assert _visible(db, panel, BO) == [(BO, "member"), (ANN, "member")]
    reveals = [c for c in list_changes(db, audit_id=panel.audit_id, case_id=panel.case_id)
               if c.field == "revealed"]
    assert [(c.actor, c.entity) for c in reveals] == [(CHAIR, "case")]  # recorded once, by whom


def test_comparison_shows_disagreements_and_verdicts(db: Database, panel: Panel) -> None:
    _score_all(db, panel, ANN, {"5.2": (Answer.NOT_MET, "Not endorsed"),
                                "2.1": (Answer.NOT_EVIDENCED, "No call on file")},
               Verdict.INAPPROPRIATE, complete=True)
    _score_all(db, panel, BO, {"2.1": (Answer.NOT_MET, "Call not secured")},
               Verdict.INAPPROPRIATE, complete=False)
    scoring.record_answer(db, audit_id=panel.audit_id, case_id=panel.case_id, reviewer=BO,
                          criterion_code="1.1", value=None)
    result = moderation.comparison(db, audit_id=panel.audit_id, case_id=panel.case_id)
    assert result.reference == "M1" and result.members == (ANN, BO)
    rows = {c.code: c for c in result.criteria}
    assert [c.code for c in result.criteria] == [
        c.code for c in get_framework(db, "da-nfa-review").criteria]
    assert rows["5.2"].disagree and rows["2.1"].disagree  # not evidenced differs from not met
    assert [(a.reviewer, a.value, a.note) for a in rows["5.2"].answers] == [
        (ANN, Answer.NOT_MET, "Not endorsed"), (BO, Answer.MET, "")]
    assert not rows["1.1"].disagree and rows["1.1"].unanswered_by == (BO,)
    assert rows["1.1"].effective is Answer.MET
    assert {c.code for c in result.awaiting_moderation} == {"2.1", "5.2"}
    assert result.verdicts == {ANN: Verdict.INAPPROPRIATE, BO: Verdict.INAPPROPRIATE}
    assert not result.verdicts_disagree and result.consensus_verdict is None
    assert rows["1.3"].section_title == "Initial response and positive action"


def test_consensus_is_kept_apart_from_members_answers(db: Database, panel: Panel) -> None:
    _score_all(db, panel, ANN, {"5.2": (Answer.NOT_MET, "Not endorsed")}, Verdict.INAPPROPRIATE,
               complete=True)
    _score_all(db, panel, BO, {}, Verdict.APPROPRIATE, complete=True)
    with pytest.raises(ValidationError, match="members disagree, so the agreed answer needs a rationale"):
        moderation.record_consensus(db, audit_id=panel.audit_id, case_id=panel.case_id, chair=CHAIR,
                                    criterion_code="5.2", value=Answer.PARTLY_MET, rationale=" ")
    with pytest.raises(ValidationError, match="Only the panel chair"):
        moderation.record_consensus(db, audit_id=panel.audit_id, case_id=panel.case_id, chair=BO,
                                    criterion_code="5.2", value=Answer.PARTLY_MET, rationale="x")
    with pytest.raises(NotFoundError, match=re.escape("No criterion '9.9'")):
        moderation.record_consensus(db, audit_id=panel.audit_id, case_id=panel.case_id, chair=CHAIR,
                                    criterion_code="9.9", value=Answer.MET, rationale="x")
    row = moderation.record_consensus(
        db, audit_id=panel.audit_id, case_id=panel.case_id, chair=CHAIR, criterion_code="5.2",
        value="partly met", rationale="Endorsed verbally; no written rationale")
    assert row is not None and row.value is Answer.PARTLY_MET
    with pytest.raises(ValidationError, match="members' verdicts differ"):
        moderation.record_consensus_verdict(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                            chair=CHAIR, verdict=Verdict.APPROPRIATE, rationale="")
    moderation.record_consensus_verdict(
        db, audit_id=panel.audit_id, case_id=panel.case_id, chair=CHAIR,
        verdict="Appropriate with observations", rationale="Sound decision, weak supervision",
        learning_points="Supervisors record their own rationale")
    # Members' own answers and verdicts are untouched, and still complete.
    for reviewer, value, verdict in ((ANN, Answer.NOT_MET, Verdict.INAPPROPRIATE),
                                     (BO, Answer.MET, Verdict.APPROPRIATE)):
        own = scoring.get_review(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                 reviewer=reviewer)
        assert own.answers["5.2"].value is value and own.verdict is verdict
        assert own.status is ReviewStatus.COMPLETE
    result = moderation.comparison(db, audit_id=panel.audit_id, case_id=panel.case_id)
    rows = {c.code: c for c in result.criteria}
    assert rows["5.2"].consensus is Answer.PARTLY_MET and rows["5.2"].disagree
    assert rows["5.2"].consensus_rationale == "Endorsed verbally; no written rationale"
    assert result.awaiting_moderation == [] and result.verdicts_disagree
    assert result.consensus_verdict is Verdict.APPROPRIATE_WITH_OBSERVATIONS
    assert result.consensus_rationale == "Sound decision, weak supervision"
    assert result.revealed  # recording a consensus reveals the case
    views = moderation.visible_reviews(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                       viewer=ANN)
    assert [(v.reviewer, v.kind) for v in views] == [(ANN, "member"), (BO, "member"),
                                                     (CHAIR, "consensus")]
    consensus_log = [c for c in list_changes(db, audit_id=panel.audit_id, case_id=panel.case_id)
                     if c.detail == "consensus"]
    assert {(c.actor, c.field) for c in consensus_log} >= {(CHAIR, "5.2"), (CHAIR, "verdict")}


def test_adopting_agreed_answers_lets_the_consensus_complete(db: Database, panel: Panel) -> None:
    _score_all(db, panel, ANN, {"5.2": (Answer.NOT_MET, "Not endorsed"),
                                "1.2": (Answer.NOT_MET, "No BWV")}, Verdict.INAPPROPRIATE,
               complete=True)
    _score_all(db, panel, BO, {"1.2": (Answer.NOT_MET, "Camera not used")}, Verdict.INAPPROPRIATE,
               complete=True)
    adopted = moderation.adopt_agreed_answers(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                              chair=CHAIR)
    total = len(get_framework(db, "da-nfa-review").criteria)
    assert adopted == total - 1  # all but the disputed 5.2
    consensus = scoring.get_review(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                   reviewer=CHAIR, kind="consensus")
    assert "5.2" not in consensus.answers
    assert consensus.answers["1.2"].note == f"Members agreed ({ANN}: No BWV; {BO}: Camera not used)"
    with pytest.raises(ValidationError, match=re.escape("5.2: not answered")):
        scoring.complete_review(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                reviewer=CHAIR, kind="consensus")
    moderation.record_consensus(db, audit_id=panel.audit_id, case_id=panel.case_id, chair=CHAIR,
                                criterion_code="5.2", value=Answer.NOT_MET, rationale="Agreed")
    moderation.record_consensus_verdict(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                        chair=CHAIR, verdict=Verdict.INAPPROPRIATE,
                                        rationale="No supervision")
    done = scoring.complete_review(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                   reviewer=CHAIR, kind="consensus")
    assert done.status is ReviewStatus.COMPLETE
    assert moderation.adopt_agreed_answers(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                           chair=CHAIR) == 0


def test_effective_answers_and_verdicts_follow_the_rule(db: Database, panel: Panel) -> None:
    _score_all(db, panel, ANN, {"5.2": (Answer.NOT_MET, "x"), "5.3": (Answer.NOT_MET, "y")},
               Verdict.INAPPROPRIATE, complete=True)
    _score_all(db, panel, BO, {}, Verdict.APPROPRIATE, complete=True)
    scoring.record_answer(db, audit_id=panel.audit_id, case_id=panel.other_case_id, reviewer=BO,
                          criterion_code="1.1", value=Answer.PARTLY_MET, note="")
    moderation.record_consensus(db, audit_id=panel.audit_id, case_id=panel.case_id, chair=CHAIR,
                                criterion_code="5.3", value=Answer.PARTLY_MET, rationale="Agreed")
    effective = moderation.effective_answers(db, audit_id=panel.audit_id)
    assert effective[(panel.case_id, "1.1")] is Answer.MET            # members agree
    assert effective[(panel.case_id, "5.2")] is None                  # disagree, no consensus
    assert effective[(panel.case_id, "5.3")] is Answer.PARTLY_MET     # consensus wins
    assert effective[(panel.other_case_id, "1.1")] is Answer.PARTLY_MET  # one member only
    assert (panel.other_case_id, "1.2") not in effective              # nobody answered
    verdicts = moderation.effective_verdicts(db, audit_id=panel.audit_id)
    assert verdicts == {panel.case_id: None}
    moderation.record_consensus_verdict(db, audit_id=panel.audit_id, case_id=panel.case_id,
                                        chair=CHAIR, verdict="inappropriate", rationale="Agreed")
    assert moderation.effective_verdicts(db, audit_id=panel.audit_id) == {
        panel.case_id: Verdict.INAPPROPRIATE}


_answers = st.lists(st.sampled_from(list(Answer)), max_size=5)


@given(st.one_of(st.none(), st.sampled_from(list(Answer))), _answers)
def test_effective_answer_rule(consensus: Answer | None, members: list[Answer]) -> None:
    result = effective_answer(consensus, members)
    if consensus is not None:
        assert result is consensus
    elif members and not members_disagree(members):
        assert result is members[0]
    else:
        assert result is None
    assert members_disagree(members) == (len(set(members)) > 1)
    # Order of members never matters.
    assert effective_answer(consensus, list(reversed(members))) is result
