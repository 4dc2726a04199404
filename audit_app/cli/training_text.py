"""How `audit-app training` prints calibration cases and a member's comparison with the key."""

from __future__ import annotations

from audit_app.cli.output import format_table
from audit_app.core.calibration import CalibrationCase, CalibrationResult, CalibrationSet
from audit_app.core.framework import Framework


def set_text(calibration: CalibrationSet) -> list[str]:
    return [calibration.title, calibration.description, "", format_table(
        ("Case", "Title", "Criteria keyed"),
        [(case.reference, case.title, len(case.key)) for case in calibration.cases])]


def case_text(case: CalibrationCase, framework: Framework) -> list[str]:
    questions = {c.code: " ".join(c.question.split()) for c in framework.criteria}
    return [f"{case.reference}: {case.title}", "", case.summary, "",
            "Score these criteria:", *(f"  {code} {questions[code]}" for code in case.key)]


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _ac1(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def result_text(member: str, result: CalibrationResult) -> list[str]:
    if not result.answered:
        return [f"{member} has not scored any calibration case yet."]
    lines = [f"{member}: {result.answered} of {result.keyed} keyed answers given; "
             f"{result.agreed} agree with the key ({_percent(result.percent)}); "
             f"AC1 with the key {_ac1(result.ac1)}."]
    if not result.finished:
        lines.append("Finish every case for a full picture.")
    lines += ["", format_table(("Criterion", "Compared", "Agree", "AC1"),
                               [(c.code, c.compared, c.agreed, _ac1(c.ac1))
                                for c in result.criteria])]
    if result.differences:
        lines += ["", "Where you differ from the key, and why the key says so:"]
        lines += [f"  {d.reference} {d.code}: you said {d.given.label}; the key says "
                  f"{d.keyed.answer.label}. {d.keyed.why}" for d in result.differences]
    return lines
