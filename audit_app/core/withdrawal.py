"""When and why a victim stopped supporting action, as codes a panel can count.

Inspection reports ask forces to "collect data to record the different stages when, and
reasons why, a victim may withdraw support". A review records one stage and one reason
(criterion 4.1 of the domestic abuse framework names the same codes in its guidance), and the
findings count them over the sample. Stored values are the codes; people read the labels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from audit_app.core.wording import plural


class WithdrawalStage(StrEnum):
    AT_SCENE = "S1"
    BEFORE_STATEMENT = "S2"
    BEFORE_CHARGE = "S3"
    AFTER_CHARGE = "S4"
    NOT_RECORDED = "S0"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


class WithdrawalReason(StrEnum):
    FEAR = "R1"
    PRESSURE = "R2"
    RELATIONSHIP = "R3"
    FAMILY = "R4"
    NO_CONFIDENCE = "R5"
    DELAY = "R6"
    OTHER = "R7"
    NOT_RECORDED = "R8"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


STAGE_LABELS: dict[WithdrawalStage, str] = {
    WithdrawalStage.AT_SCENE: "At the scene or first contact",
    WithdrawalStage.BEFORE_STATEMENT: "Before giving a statement",
    WithdrawalStage.BEFORE_CHARGE: "After a statement, before the charging decision",
    WithdrawalStage.AFTER_CHARGE: "After charge",
    WithdrawalStage.NOT_RECORDED: "Not recorded in the file",
}
REASON_LABELS: dict[WithdrawalReason, str] = {
    WithdrawalReason.FEAR: "Fear of the suspect",
    WithdrawalReason.PRESSURE: "Pressure or contact from the suspect or others",
    WithdrawalReason.RELATIONSHIP: "Wants the relationship to continue",
    WithdrawalReason.FAMILY: "Children or family",
    WithdrawalReason.NO_CONFIDENCE: "No confidence in the process",
    WithdrawalReason.DELAY: "Delay",
    WithdrawalReason.OTHER: "Another reason",
    WithdrawalReason.NOT_RECORDED: "Not recorded in the file",
}


_Code = TypeVar("_Code", WithdrawalStage, WithdrawalReason)


def parse_stage(text: str) -> WithdrawalStage:
    """A stage from its code ('S2') or its label, in any case; ValueError otherwise."""
    return _parse(text, WithdrawalStage, STAGE_LABELS, "a withdrawal stage")


def parse_reason(text: str) -> WithdrawalReason:
    return _parse(text, WithdrawalReason, REASON_LABELS, "a withdrawal reason")


def _parse(text: str, kind: type[_Code], labels: dict[_Code, str], what: str) -> _Code:
    wanted = " ".join(text.split()).casefold()
    for member in kind:
        if wanted in (member.value.casefold(), labels[member].casefold()):
            return member
    choices = "; ".join(f"{m.value} {labels[m]}" for m in kind)
    raise ValueError(f"'{text}' is not {what}; choose one of: {choices}")


def withdrawal_codes(stage: str | None, reason: str | None) -> tuple[str | None, str | None]:
    """The stored codes of a (stage, reason) given as codes or labels; blank clears one."""
    return (parse_stage(stage).value if stage and stage.strip() else None,
            parse_reason(reason).value if reason and reason.strip() else None)


@dataclass(frozen=True)
class WithdrawalCount:
    """How many reviewed cases record a stage and reason (a case counts once)."""

    stage: WithdrawalStage | None
    reason: WithdrawalReason | None
    cases: int

    @property
    def stage_label(self) -> str:
        return self.stage.label if self.stage else "No stage given"

    @property
    def reason_label(self) -> str:
        return self.reason.label if self.reason else "No reason given"


def count_withdrawals(coded: Iterable[tuple[WithdrawalStage | None, WithdrawalReason | None]]
                      ) -> list[WithdrawalCount]:
    """Cases per (stage, reason), most common first; cases with neither are left out."""
    tally = Counter(pair for pair in coded if pair != (None, None))
    stages, reasons = list(WithdrawalStage), list(WithdrawalReason)

    def order(item: tuple[tuple[WithdrawalStage | None, WithdrawalReason | None], int]
              ) -> tuple[int, int, int]:
        (stage, reason), cases = item
        return (-cases, stages.index(stage) if stage else len(stages),
                reasons.index(reason) if reason else len(reasons))

    return [WithdrawalCount(stage, reason, cases)
            for (stage, reason), cases in sorted(tally.items(), key=order)]


@dataclass(frozen=True)
class WithdrawalPicture:
    """The sample's coded withdrawals: the panel's agreed codes where it recorded them, else
    the members' codes where every member who coded the case gave the same."""

    counts: tuple[WithdrawalCount, ...]
    cases_coded: int
    cases_not_agreed: int  # members coded the case differently and the panel has not agreed

    def summary(self) -> list[str]:
        """Plain lines for any front: the count, each (stage, reason), members who differ."""
        if not self.cases_coded and not self.cases_not_agreed:
            return []
        lines = [f"When and why the victim withdrew, coded on {plural(self.cases_coded, 'case')}:"]
        lines += [f"  {c.stage_label}; {c.reason_label}: {c.cases}" for c in self.counts]
        if self.cases_not_agreed:
            lines.append(f"  Members coded {plural(self.cases_not_agreed, 'more case')} differently; "
                         "the panel has not agreed the codes.")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"cases_coded": self.cases_coded, "cases_not_agreed": self.cases_not_agreed,
                "counts": [{"stage": c.stage.value if c.stage else None,
                            "stage_label": c.stage_label,
                            "reason": c.reason.value if c.reason else None,
                            "reason_label": c.reason_label, "cases": c.cases}
                           for c in self.counts]}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> WithdrawalPicture:
        return cls(tuple(WithdrawalCount(
            WithdrawalStage(c["stage"]) if c.get("stage") else None,
            WithdrawalReason(c["reason"]) if c.get("reason") else None, int(c["cases"]))
            for c in values.get("counts", ())), int(values.get("cases_coded", 0)),
            int(values.get("cases_not_agreed", 0)))


CodedReview = tuple[int, bool, str | None, str | None]  # case id, consensus?, stage, reason


def sample_withdrawals(reviews: Iterable[CodedReview]) -> WithdrawalPicture:
    """One (stage, reason) per case, from the reviews of the sampled cases."""
    agreed: dict[int, tuple[str | None, str | None]] = {}
    members: dict[int, set[tuple[str | None, str | None]]] = {}
    for case_id, consensus, stage, reason in reviews:
        if stage is None and reason is None:
            continue
        if consensus:
            agreed[case_id] = (stage, reason)
        else:
            members.setdefault(case_id, set()).add((stage, reason))
    not_agreed = 0
    for case_id, given in members.items():
        if case_id in agreed:
            continue
        if len(given) == 1:
            agreed[case_id] = next(iter(given))
        else:
            not_agreed += 1
    coded = [(WithdrawalStage(stage) if stage else None,
              WithdrawalReason(reason) if reason else None) for stage, reason in agreed.values()]
    return WithdrawalPicture(tuple(count_withdrawals(coded)), len(coded), not_agreed)
