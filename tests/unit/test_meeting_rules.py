"""The meeting's pure rules: who scores, when answers show, and the spread's counts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.answers import Answer
from audit_app.core.meeting import (
    answers_may_show,
    criterion_spread,
    eligible_scorers,
    spread_order,
    still_to_score,
    who_is_still_to_score,
)

NAMES = st.sampled_from(["Ann", "Bo", "Cara", "Dev", "Eli"])
ANSWERS = st.sampled_from(list(Answer))


@given(st.lists(NAMES, max_size=5), st.sets(NAMES), st.sets(NAMES))
def test_answers_stay_hidden_while_any_eligible_member_present_has_not_completed(
        present: list[str], declared: set[str], completed: set[str]) -> None:
    eligible = eligible_scorers(present, declared)
    waiting = still_to_score(present, declared, completed)
    assert not set(eligible) & declared
    assert set(waiting) == set(eligible) - completed
    assert answers_may_show(present, declared, completed) == (bool(eligible) and not waiting)


@given(st.dictionaries(NAMES, ANSWERS), st.sets(NAMES))
def test_the_spread_counts_add_up_to_the_eligible_members_who_scored(
        answers: dict[str, Answer], scorers: set[str]) -> None:
    spread = criterion_spread("1.1", "Was the victim told?", answers, scorers)
    scored = [name for name in answers if name in scorers]
    assert spread.scored == len(scored)
    assert {name for name, _answer in spread.by_member} == set(scored)
    assert spread.disagree == (len({answers[name] for name in scored}) > 1)


def test_a_declared_member_is_not_waited_for_and_not_counted() -> None:
    assert still_to_score(["Ann", "Bo"], {"Bo"}, set()) == ["Ann"]
    assert answers_may_show(["Ann", "Bo"], {"Bo"}, {"Ann"})
    assert not answers_may_show(["Bo"], {"Bo"}, {"Bo"})  # nobody left who may score
    spread = criterion_spread("1.1", "Q", {"Ann": Answer.MET, "Bo": Answer.NOT_MET}, ["Ann"])
    assert spread.wording() == "Met 1" and not spread.disagree


def test_disagreements_still_to_agree_come_first() -> None:
    agreed = criterion_spread("1", "Q", {"A": Answer.MET}, ["A"])
    split = criterion_spread("2", "Q", {"A": Answer.MET, "B": Answer.NOT_MET}, ["A", "B"])
    settled = criterion_spread("3", "Q", {"A": Answer.MET, "B": Answer.NOT_MET}, ["A", "B"],
                               Answer.MET)
    assert [row.code for row in spread_order([agreed, settled, split])] == ["2", "3", "1"]
    assert split.wording() == "Met 1, Not met 1"


def test_the_waiting_line_names_who_is_still_to_score() -> None:
    assert who_is_still_to_score(["Ann"]) == "Answers stay hidden until Ann has scored this case."
    assert who_is_still_to_score(["Ann", "Bo", "Cara"]).endswith(
        "until Ann, Bo and Cara have scored this case.")
