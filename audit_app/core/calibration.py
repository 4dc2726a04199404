"""Calibration cases: synthetic files with a reference key, for training new panel members.

A member scores the cases in training mode and compares their answers with the key: Gwet's
AC1 between them and the key (over every keyed answer, and per criterion), and each place
they differ with the key's reason. Training answers live apart from every audit, so they
can never enter an audit's figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from audit_app.core.agreement import gwet_ac1, percent_agreement
from audit_app.core.answers import Answer
from audit_app.core.errors import ValidationError
from audit_app.core.framework import Framework

MEMBER, KEY = "member", "key"


@dataclass(frozen=True)
class KeyedAnswer:
    answer: Answer
    why: str


@dataclass(frozen=True)
class CalibrationCase:
    reference: str
    title: str
    summary: str
    fields: dict[str, Any]
    key: dict[str, KeyedAnswer]  # criterion code -> the reference answer and its reason


@dataclass(frozen=True)
class CalibrationSet:
    framework_key: str
    framework_version: int
    title: str
    description: str
    cases: tuple[CalibrationCase, ...]

    @property
    def keyed_answers(self) -> int:
        return sum(len(case.key) for case in self.cases)

    def case(self, reference: str) -> CalibrationCase:
        for case in self.cases:
            if case.reference == reference:
                return case
        raise ValidationError(f"There is no calibration case {reference}")


def calibration_from_dict(raw: Any, framework: Framework) -> CalibrationSet:
    """Parse a calibration file's data and check every key against the framework."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("cases"), list):
        raise ValidationError("This is not a calibration file (it has no list of cases)")
    problems: list[str] = []
    criteria = {criterion.code: criterion for criterion in framework.criteria}
    cases = []
    for index, case_raw in enumerate(raw["cases"], start=1):
        reference = str(case_raw.get("reference") or f"case {index}")
        key: dict[str, KeyedAnswer] = {}
        for code, keyed in (case_raw.get("key") or {}).items():
            criterion = criteria.get(str(code))
            if criterion is None:
                problems.append(f"{reference}: no criterion {code} in {framework.title}")
                continue
            try:
                answer = Answer(str(keyed.get("answer")))
            except ValueError:
                problems.append(f"{reference}, {code}: '{keyed.get('answer')}' is not an answer")
                continue
            if answer not in criterion.answers(framework.scale):
                problems.append(f"{reference}, {code}: '{answer.label}' is not on its scale")
                continue
            key[str(code)] = KeyedAnswer(answer, " ".join(str(keyed.get("why") or "").split()))
        if not key:
            problems.append(f"{reference}: the key is empty")
        cases.append(CalibrationCase(reference, str(case_raw.get("title") or reference),
                                     str(case_raw.get("summary") or ""),
                                     _fields(case_raw.get("fields") or {}), key))
    if problems:
        raise ValidationError("The calibration cases do not fit the framework: "
                              + "; ".join(problems), list[object](problems))
    return CalibrationSet(str(raw.get("framework")), int(raw.get("version") or 0),
                          str(raw.get("title") or "Calibration cases"),
                          " ".join(str(raw.get("description") or "").split()), tuple(cases))


def _fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {str(name): dt.date.fromisoformat(value) if isinstance(value, str) and
            name.startswith("date") else value for name, value in raw.items()}


@dataclass(frozen=True)
class Difference:
    reference: str
    code: str
    given: Answer
    keyed: KeyedAnswer


@dataclass(frozen=True)
class CriterionAgreement:
    code: str
    compared: int       # keyed answers the member gave
    agreed: int
    ac1: float | None   # None with fewer than two answers compared


@dataclass(frozen=True)
class CalibrationResult:
    """How a member's training answers compare with the key."""

    keyed: int
    answered: int
    agreed: int
    ac1: float | None
    percent: float | None
    criteria: tuple[CriterionAgreement, ...]
    differences: tuple[Difference, ...]

    @property
    def finished(self) -> bool:
        return self.answered == self.keyed


def compare_with_key(calibration: CalibrationSet, framework: Framework,
                     given: Mapping[tuple[str, str], Answer]) -> CalibrationResult:
    """`given`: the member's answers by (case reference, criterion code)."""
    scale = [answer.value for answer in framework.scale]
    units: dict[str, list[dict[str, str]]] = {}
    differences = []
    for case in calibration.cases:
        for code, keyed in case.key.items():
            answer = given.get((case.reference, code))
            if answer is None:
                continue
            units.setdefault(code, []).append({MEMBER: answer.value, KEY: keyed.answer.value})
            if answer is not keyed.answer:
                differences.append(Difference(case.reference, code, answer, keyed))
    order = [c.code for c in framework.criteria]
    criteria = tuple(CriterionAgreement(
        code, len(rows), sum(1 for row in rows if row[MEMBER] == row[KEY]),
        gwet_ac1(rows, scale) if len(rows) > 1 else None)
        for code, rows in sorted(units.items(), key=lambda item: order.index(item[0])))
    every = [row for rows in units.values() for row in rows]
    return CalibrationResult(
        calibration.keyed_answers, len(every), sum(c.agreed for c in criteria),
        gwet_ac1(every, scale) if len(every) > 1 else None,
        percent_agreement(every) if every else None, criteria, tuple(differences))
