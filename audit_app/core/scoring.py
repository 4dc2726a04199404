"""What makes a review complete, and which criteria apply to a case."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit_app.core.answers import Answer
from audit_app.core.audit_rows import AnswerEntry
from audit_app.core.framework import Framework


@dataclass(frozen=True)
class Gap:
    """Why a review cannot yet be marked complete."""

    criterion_code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.criterion_code}: {self.reason}"


def own_scales(definition: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Stored answer values by criterion code, for the criteria of a framework definition
    (as frozen with an audit) that have a scale of their own; the rest take the framework's."""
    return {str(c["code"]): frozenset(str(v) for v in c["scale"])
            for section in definition.get("sections", [])
            for c in section.get("criteria", []) if c.get("scale")}


def on_criterion_scale(value: str, code: str, framework_scale: frozenset[str] | Sequence[str],
                       scales: Mapping[str, frozenset[str]]) -> bool:
    """Whether a stored answer value is one criterion `code` may take."""
    return value in scales.get(code, framework_scale)


def automatic_not_applicable(framework: Framework, case: Mapping[str, Any]) -> list[str]:
    """Codes of criteria whose applicability rule excludes this case."""
    return [c.code for c in framework.criteria if not c.applies_to(dict(case))]


def completeness_gaps(framework: Framework, case: Mapping[str, Any],
                      answers: Mapping[str, AnswerEntry], *, verdict: str | None,
                      need_verdict: bool = True) -> list[Gap]:
    """Everything still missing: unanswered criteria, required notes, the verdict."""
    gaps: list[Gap] = []
    skipped = set(automatic_not_applicable(framework, case))
    for criterion in framework.criteria:
        if criterion.code in skipped:
            continue
        given = answers.get(criterion.code)
        if given is None:
            gaps.append(Gap(criterion.code, "not answered"))
        elif criterion.needs_note(given.value) and not given.note.strip():
            gaps.append(Gap(criterion.code, f"a note is required for '{given.value.label}'"))
    if need_verdict and not verdict:
        gaps.append(Gap("Verdict", "no verdict recorded"))
    return gaps


def effective_answer(consensus: Answer | None, member_answers: Sequence[Answer]) -> Answer | None:
    """The answer findings count for one case on one criterion.

    1. the panel's consensus answer, where the chair recorded one;
    2. otherwise the members' answer, where every member who answered gave the same one
       (which includes a criterion only one member scored);
    3. otherwise None: the members disagree and the case awaits moderation.
    """
    if consensus is not None:
        return consensus
    distinct = set(member_answers)
    return distinct.pop() if len(distinct) == 1 else None


def members_disagree(member_answers: Sequence[Answer]) -> bool:
    """True where two members gave different answers (any difference, N/A included)."""
    return len(set(member_answers)) > 1
