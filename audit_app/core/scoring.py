"""What makes a review complete, and which criteria apply to a case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from audit_app.core.answers import Answer
from audit_app.core.framework import Framework


@dataclass(frozen=True)
class GivenAnswer:
    value: Answer
    note: str = ""


@dataclass(frozen=True)
class Gap:
    """Why a review cannot yet be marked complete."""

    criterion_code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.criterion_code}: {self.reason}"


def automatic_not_applicable(framework: Framework, case: Mapping[str, Any]) -> list[str]:
    """Codes of criteria whose applicability rule excludes this case."""
    return [c.code for c in framework.criteria if not c.applies_to(dict(case))]


def completeness_gaps(framework: Framework, case: Mapping[str, Any],
                      answers: Mapping[str, GivenAnswer], *, verdict: str | None,
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
