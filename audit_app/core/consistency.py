"""Consistency checks for moderation: a case whose parts do not agree with each other.

Two kinds of mismatch are flagged, never corrected: the panel decides.
- An "Appropriate" verdict (agreed by the panel, or every member's provisional verdict,
  with or without observations) on a case where a key criterion (`key: true` in the
  framework) was found not met.
- An outcome code that contradicts the extract: outcome 15 ("victim supports") with the
  victim recorded as withdrawn or never supporting, or outcome 16 ("victim does not
  support or withdrew") with the victim recorded as supporting.

Each flag's detail is fixed wording plus verdict labels, outcome codes and criterion codes:
no case text, so the same sentence may go into a partner copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from audit_app.core.answers import Answer, Verdict
from audit_app.core.verdicts import APPROPRIATE

OUTCOME_VICTIM_SUPPORTS = 15
OUTCOME_VICTIM_DOES_NOT_SUPPORT = 16
NOT_SUPPORTING = ("withdrawn", "never")  # victim_supports values that mean no support
SUPPORTING = "yes"
_SUPPORT_WORDS = {"withdrawn": "withdrawn", "never": "never supporting", "yes": "supporting"}


class CheckKind(StrEnum):
    KEY_CRITERION_NOT_MET = "key_criterion_not_met"
    OUTCOME_15_NOT_SUPPORTING = "outcome_15_victim_not_supporting"
    OUTCOME_16_SUPPORTING = "outcome_16_victim_supporting"

    @property
    def label(self) -> str:
        return CHECK_LABELS[self]


CHECK_LABELS: dict[CheckKind, str] = {
    CheckKind.KEY_CRITERION_NOT_MET: "Appropriate, with a key criterion not met",
    CheckKind.OUTCOME_15_NOT_SUPPORTING: "Outcome 15, victim recorded as not supporting",
    CheckKind.OUTCOME_16_SUPPORTING: "Outcome 16, victim recorded as supporting",
}


def outcome_15_without_support(outcome: Any, support: Any) -> bool:
    """Outcome 15 says the victim supports action; the extract says they withdrew or never did."""
    return outcome == OUTCOME_VICTIM_SUPPORTS and support in NOT_SUPPORTING


def outcome_16_with_support(outcome: Any, support: Any) -> bool:
    """Outcome 16 says the victim does not support; the extract says they do."""
    return outcome == OUTCOME_VICTIM_DOES_NOT_SUPPORT and support == SUPPORTING


@dataclass(frozen=True)
class CaseForChecks:
    """What the checks read of one case: its verdicts, effective answers and two fields."""

    reference: str
    agreed: Verdict | None  # the panel's agreed verdict, if any
    members: tuple[Verdict, ...] = ()  # members' verdicts (provisional until agreed)
    answers: Mapping[str, Answer] = field(default_factory=dict)  # criterion code -> answer
    outcome_code: int | None = None
    victim_supports: str | None = None


@dataclass(frozen=True)
class ConsistencyFlag:
    reference: str
    kind: CheckKind
    detail: str  # one plain sentence: fixed wording, verdict labels and codes only
    criteria: tuple[str, ...] = ()  # the key criteria found not met, in framework order

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "check": self.kind.label, "kind": self.kind.value,
                "detail": self.detail, "criteria": list(self.criteria)}


def _appropriate_wording(case: CaseForChecks) -> str | None:
    """'Agreed Appropriate' or 'Provisionally appropriate (...)'; None: no appropriate verdict."""
    if case.agreed is not None:
        return f"Agreed {case.agreed.label}" if case.agreed in APPROPRIATE else None
    if case.members and set(case.members) <= APPROPRIATE:
        labels = sorted({verdict.label for verdict in case.members})
        return (f"Provisionally {' / '.join(labels)} (members' verdicts, not yet agreed by "
                "the panel)")
    return None


def _codes_in_words(codes: Sequence[str]) -> str:
    if len(codes) == 1:
        return f"key criterion {codes[0]} was"
    return f"key criteria {', '.join(codes[:-1])} and {codes[-1]} were"


def case_flags(case: CaseForChecks, key_criteria: Sequence[str]) -> tuple[ConsistencyFlag, ...]:
    """Every flag for one case; `key_criteria` are the framework's key codes in order."""
    flags: list[ConsistencyFlag] = []
    wording = _appropriate_wording(case)
    not_met = [code for code in key_criteria if case.answers.get(code) is Answer.NOT_MET]
    if wording is not None and not_met:
        flags.append(ConsistencyFlag(
            case.reference, CheckKind.KEY_CRITERION_NOT_MET,
            f"{wording}, but {_codes_in_words(not_met)} found not met.", tuple(not_met)))
    support = case.victim_supports
    if outcome_15_without_support(case.outcome_code, support):
        assert support is not None
        flags.append(ConsistencyFlag(
            case.reference, CheckKind.OUTCOME_15_NOT_SUPPORTING,
            "Outcome 15 (victim supports) but the extract records the victim as "
            f"{_SUPPORT_WORDS[support]}."))
    if outcome_16_with_support(case.outcome_code, support):
        flags.append(ConsistencyFlag(
            case.reference, CheckKind.OUTCOME_16_SUPPORTING,
            "Outcome 16 (victim does not support or withdrew) but the extract records the "
            "victim as supporting."))
    return tuple(flags)


def audit_flags(cases: Iterable[CaseForChecks], key_criteria: Sequence[str]
                ) -> tuple[ConsistencyFlag, ...]:
    """The flags of every case, in the order the cases come (sample order)."""
    return tuple(flag for case in cases for flag in case_flags(case, key_criteria))


def checks_lines(flags: Sequence[ConsistencyFlag],
                 references: Mapping[str, str] | None = None) -> list[str]:
    """For `stats`: a heading and one line per flag ('C-001: Agreed Appropriate, but ...')."""
    if not flags:
        return ["Checks for moderation: none (no appropriate verdict with a key criterion "
                "not met, no outcome code at odds with the extract)."]
    shown = references or {}
    cases = len({flag.reference for flag in flags})
    return [f"Checks for moderation: {len(flags)} on {cases} case{'' if cases == 1 else 's'}",
            *(f"  {shown.get(flag.reference, flag.reference)}: {flag.detail}" for flag in flags)]

