"""The panel's first question: how many decisions did the panel agree were appropriate?

Only verdicts the panel agreed (a consensus review's verdict) count: "Appropriate" and
"Appropriate with observations" are the successes, "Inappropriate" the rest of N, and the
rate carries a 95% Wilson interval (one verdict per case, so the case is the unit).
A case with members' verdicts but no agreed one is provisional and shown apart, with the
way the members lean. "More information needed" and "Panel unable to agree" are not
judgements on the decision: those cases are listed by reference and left out of N.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from audit_app.core.answers import Verdict
from audit_app.core.statistics import wilson_interval

APPROPRIATE = frozenset({Verdict.APPROPRIATE, Verdict.APPROPRIATE_WITH_OBSERVATIONS})
UNRESOLVED = frozenset({Verdict.MORE_INFORMATION, Verdict.UNABLE_TO_AGREE})


@dataclass(frozen=True)
class CaseVerdicts:
    """One case's verdicts: the panel's agreed one (if any) and each member's."""

    reference: str
    agreed: Verdict | None
    members: tuple[Verdict, ...] = ()


@dataclass(frozen=True)
class AgreedVerdicts:
    subject: str = "Cases"  # "NFA decisions" for an NFA framework
    appropriate: int = 0  # agreed appropriate, with or without observations
    cases: int = 0  # agreed appropriate or inappropriate: N
    provisional_cases: int = 0  # members' verdicts only, not yet agreed by the panel
    provisional_appropriate: int = 0  # every member says appropriate
    provisional_inappropriate: int = 0  # every member says inappropriate
    more_information: tuple[str, ...] = ()  # references agreed "more information needed"
    unable_to_agree: tuple[str, ...] = ()  # references agreed "panel unable to agree"
    # The counts stay when a purge deletes the references with the case data.
    more_information_cases: int = 0
    unable_to_agree_cases: int = 0

    @property
    def rate(self) -> float | None:
        return self.appropriate / self.cases if self.cases else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.appropriate, self.cases) if self.cases else None

    @property
    def provisional_other(self) -> int:
        """Provisional cases whose members differ or did not judge the decision."""
        return (self.provisional_cases - self.provisional_appropriate
                - self.provisional_inappropriate)

    def headline(self) -> str:
        judged = f"{self.subject} judged appropriate (including with observations)"
        if not self.cases:
            return f"{judged}: no verdicts agreed by the panel yet."
        low, high = self.interval or (0.0, 1.0)
        return (f"{judged}: {self.appropriate} of {self.cases} panel-agreed cases = "
                f"{_percent(self.rate)} (95% interval {_percent(low)}–{_percent(high)}).")

    def provisional(self) -> str:
        """'Provisional (not yet agreed by the panel): 6 cases, 4 appropriate, ...'."""
        if not self.provisional_cases:
            return ""
        parts = [f"{self.provisional_appropriate} appropriate",
                 f"{self.provisional_inappropriate} inappropriate"]
        if self.provisional_other:
            parts.append(f"{self.provisional_other} with members differing or undecided")
        cases = "case" if self.provisional_cases == 1 else "cases"
        return (f"Provisional (not yet agreed by the panel): {self.provisional_cases} {cases}, "
                + ", ".join(parts) + ".")

    def unresolved(self, references: Mapping[str, str] | None = None) -> list[str]:
        """One line per unresolved kind, listing references (mapped to pseudonyms if given)."""
        shown = references or {}
        lines = []
        for label, refs, count in (
                ("More information needed", self.more_information, self.more_information_cases),
                ("Panel unable to agree", self.unable_to_agree, self.unable_to_agree_cases)):
            if refs:
                lines.append(f"{label} (not counted): "
                             + ", ".join(shown.get(ref, ref) for ref in refs))
            elif count:
                lines.append(f"{label} (not counted): {count} case(s); the references went "
                             "with the case data.")
        return lines

    def to_dict(self) -> dict[str, Any]:
        interval = self.interval
        return {"subject": self.subject, "appropriate": self.appropriate, "cases": self.cases,
                "rate": self.rate, "ci_low": interval[0] if interval else None,
                "ci_high": interval[1] if interval else None,
                "provisional": {"cases": self.provisional_cases,
                                "appropriate": self.provisional_appropriate,
                                "inappropriate": self.provisional_inappropriate,
                                "other": self.provisional_other},
                "more_information": list(self.more_information),
                "unable_to_agree": list(self.unable_to_agree),
                "more_information_cases": self.more_information_cases,
                "unable_to_agree_cases": self.unable_to_agree_cases}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> AgreedVerdicts:
        provisional = values.get("provisional") or {}
        return cls(str(values.get("subject") or "Cases"), int(values["appropriate"]),
                   int(values["cases"]), int(provisional.get("cases", 0)),
                   int(provisional.get("appropriate", 0)),
                   int(provisional.get("inappropriate", 0)),
                   tuple(str(r) for r in values.get("more_information", [])),
                   tuple(str(r) for r in values.get("unable_to_agree", [])),
                   int(values.get("more_information_cases", 0)),
                   int(values.get("unable_to_agree_cases", 0)))


AGREED_STATUS = "Agreed by the panel"
ONE_MEMBER_STATUS = "Provisional: one member"
MEMBERS_AGREE_STATUS = "Provisional: members agree"
MEMBERS_DIFFER_STATUS = "Provisional: members differ"
NO_VERDICT_STATUS = "No verdict yet"


def verdict_status(case: CaseVerdicts) -> str:
    """Whether a case's verdict counts (agreed by the panel) or is provisional, and why;
    the same split `agreed_verdicts` makes."""
    if case.agreed is not None:
        return AGREED_STATUS
    if not case.members:
        return NO_VERDICT_STATUS
    if len(case.members) == 1:
        return ONE_MEMBER_STATUS
    return MEMBERS_AGREE_STATUS if len(set(case.members)) == 1 else MEMBERS_DIFFER_STATUS


def verdict_subject(framework_title: str) -> str:
    """What the verdict judges, in the framework's own words where it names NFA."""
    words = framework_title.replace("-", " ").split()
    return "NFA decisions" if "NFA" in words else "Cases"


def agreed_verdicts(cases: Iterable[CaseVerdicts], subject: str = "Cases") -> AgreedVerdicts:
    appropriate = agreed = 0
    provisional = leaning_appropriate = leaning_inappropriate = 0
    more_information: list[str] = []
    unable: list[str] = []
    for case in cases:
        if case.agreed is not None:
            if case.agreed is Verdict.MORE_INFORMATION:
                more_information.append(case.reference)
            elif case.agreed is Verdict.UNABLE_TO_AGREE:
                unable.append(case.reference)
            else:
                agreed += 1
                appropriate += case.agreed in APPROPRIATE
        elif case.members:
            provisional += 1
            given = set(case.members)
            leaning_appropriate += given <= APPROPRIATE
            leaning_inappropriate += given == {Verdict.INAPPROPRIATE}
    return AgreedVerdicts(subject, appropriate, agreed, provisional, leaning_appropriate,
                          leaning_inappropriate, tuple(more_information), tuple(unable),
                          len(more_information), len(unable))


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"
