"""Consistency flags for moderation: the rules in `core.consistency`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.answers import Answer, Verdict
from audit_app.core.consistency import (
    NOT_SUPPORTING,
    CaseForChecks,
    CheckKind,
    audit_flags,
    case_flags,
    checks_lines,
    outcome_15_without_support,
    outcome_16_with_support,
)
from audit_app.core.population_picture import count_rows
from audit_app.core.verdicts import APPROPRIATE

KEYS = ("2.7", "5.2", "6.1")


def _case(agreed: Verdict | None = None, **values: object) -> CaseForChecks:
    return CaseForChecks("C-1", agreed, **values)  # type: ignore[arg-type]


def test_agreed_appropriate_with_a_key_criterion_not_met() -> None:
    flags = case_flags(_case(agreed=Verdict.APPROPRIATE,
                             answers={"5.2": Answer.NOT_MET, "1.1": Answer.NOT_MET,
                                      "6.1": Answer.MET}), KEYS)
    assert [(f.kind, f.criteria) for f in flags] == [(CheckKind.KEY_CRITERION_NOT_MET, ("5.2",))]
    assert flags[0].detail == "Agreed Appropriate, but key criterion 5.2 was found not met."


def test_several_key_criteria_in_framework_order() -> None:
    flags = case_flags(_case(agreed=Verdict.APPROPRIATE_WITH_OBSERVATIONS,
                             answers={"6.1": Answer.NOT_MET, "2.7": Answer.NOT_MET,
                                      "5.2": Answer.NOT_MET}), KEYS)
    assert flags[0].criteria == KEYS
    assert flags[0].detail == ("Agreed Appropriate with observations, but key criteria 2.7, "
                               "5.2 and 6.1 were found not met.")


def test_provisional_appropriate_is_flagged_and_says_so() -> None:
    flags = case_flags(_case(members=(Verdict.APPROPRIATE, Verdict.APPROPRIATE),
                             answers={"2.7": Answer.NOT_MET}), KEYS)
    assert flags[0].detail.startswith("Provisionally Appropriate (members' verdicts, not yet "
                                      "agreed by the panel), but key criterion 2.7")


def test_no_flag_when_not_appropriate_or_members_differ_or_not_evidenced() -> None:
    not_met = {"2.7": Answer.NOT_MET}
    assert case_flags(_case(agreed=Verdict.INAPPROPRIATE, answers=not_met), KEYS) == ()
    assert case_flags(_case(agreed=Verdict.MORE_INFORMATION, answers=not_met), KEYS) == ()
    # The agreed verdict stands over members' verdicts.
    assert case_flags(_case(agreed=Verdict.INAPPROPRIATE, members=(Verdict.APPROPRIATE,),
                            answers=not_met), KEYS) == ()
    assert case_flags(_case(members=(Verdict.APPROPRIATE, Verdict.INAPPROPRIATE),
                            answers=not_met), KEYS) == ()
    assert case_flags(_case(agreed=Verdict.APPROPRIATE,
                            answers={"2.7": Answer.NOT_EVIDENCED}), KEYS) == ()
    assert case_flags(_case(agreed=Verdict.APPROPRIATE, answers=not_met), ()) == ()


def test_outcome_codes_against_the_victims_support() -> None:
    withdrawn = case_flags(_case(outcome_code=15, victim_supports="withdrawn"), KEYS)
    assert [f.kind for f in withdrawn] == [CheckKind.OUTCOME_15_NOT_SUPPORTING]
    assert withdrawn[0].detail == ("Outcome 15 (victim supports) but the extract records the "
                                   "victim as withdrawn.")
    never = case_flags(_case(outcome_code=15, victim_supports="never"), KEYS)
    assert never[0].detail.endswith("as never supporting.")
    supporting = case_flags(_case(outcome_code=16, victim_supports="yes"), KEYS)
    assert [f.kind for f in supporting] == [CheckKind.OUTCOME_16_SUPPORTING]
    for outcome, support in ((15, "yes"), (16, "withdrawn"), (16, "never"), (15, None),
                             (None, "withdrawn"), (14, "yes")):
        assert case_flags(_case(outcome_code=outcome, victim_supports=support), KEYS) == ()


def test_population_exception_uses_the_same_predicate() -> None:
    """The population picture's outcome 15 list and the case flag are one rule."""
    rows = [(f"R{outcome}{support}", outcome, None, None, None, None, None, None, None, support,
             None, None)
            for outcome in (14, 15, 16, None) for support in ("yes", "never", "withdrawn", None)]
    listed = count_rows(rows).exceptions["outcome_15_victim_not_supporting"]  # type: ignore[arg-type]
    flagged = [row[0] for row in rows if case_flags(
        CaseForChecks(row[0], None, outcome_code=row[1], victim_supports=row[9]), KEYS)
        and row[1] == 15]
    assert list(listed) == flagged == ["R15never", "R15withdrawn"]


def test_checks_lines_for_stats() -> None:
    flags = audit_flags([CaseForChecks("C-1", Verdict.APPROPRIATE, answers={"5.2": Answer.NOT_MET},
                                       outcome_code=15, victim_supports="never"),
                         CaseForChecks("C-2", None)], KEYS)
    lines = checks_lines(flags, {"C-1": "P-9"})
    assert lines[0] == "Checks for moderation: 2 on 1 case"
    assert lines[1].startswith("  P-9: Agreed Appropriate, but key criterion 5.2")
    assert checks_lines(())[0].startswith("Checks for moderation: none")


verdicts = st.sampled_from(list(Verdict))
answers = st.dictionaries(st.sampled_from(["1.1", *KEYS]), st.sampled_from(list(Answer)))
supports = st.sampled_from(["yes", "never", "withdrawn", None])
outcomes = st.sampled_from([None, 1, 14, 15, 16, 18])
cases = st.builds(CaseForChecks, st.just("C-1"), st.none() | verdicts,
                  st.lists(verdicts, max_size=3).map(tuple), answers, outcomes, supports)


@settings(deadline=None, max_examples=300)
@given(cases)
def test_invariants(case: CaseForChecks) -> None:
    flags = case_flags(case, KEYS)
    key_not_met = [code for code in KEYS if case.answers.get(code) is Answer.NOT_MET]
    outcome_at_odds = ((case.outcome_code == 15 and case.victim_supports in NOT_SUPPORTING)
                       or (case.outcome_code == 16 and case.victim_supports == "yes"))
    if not key_not_met and not outcome_at_odds:
        assert flags == ()
    for flag in flags:
        assert flag.reference == "C-1" and flag.detail.endswith(".")
        assert "_" not in flag.detail  # plain words, no internal codes
        if flag.kind is CheckKind.KEY_CRITERION_NOT_MET:
            assert flag.criteria == tuple(key_not_met)
            appropriate = (case.agreed in APPROPRIATE if case.agreed is not None
                           else bool(case.members) and set(case.members) <= APPROPRIATE)
            assert appropriate
        else:
            assert flag.criteria == () and outcome_at_odds
    assert len({flag.kind for flag in flags}) == len(flags) <= 2
    assert outcome_15_without_support(case.outcome_code, case.victim_supports) is not \
        outcome_16_with_support(case.outcome_code, case.victim_supports) or not outcome_at_odds
