"""The agreed-verdict headline from an audit's reviews (rules in `core.verdicts`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from audit_app.core.answers import ReviewKind, Verdict
from audit_app.core.verdicts import (
    AgreedVerdicts,
    CaseVerdicts,
    agreed_verdicts,
    verdict_status,
    verdict_subject,
)


class _Case(Protocol):  # the fields used; findings' SampledCase and ReviewEntry fit
    @property
    def case_id(self) -> int: ...
    @property
    def reference(self) -> str: ...


class _Review(Protocol):
    @property
    def case_id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def verdict(self) -> str | None: ...


def verdict_findings(framework_title: str, cases: Iterable[_Case],
                     reviews: Iterable[_Review]) -> AgreedVerdicts:
    """Sampled cases in sample order; reviews of cases outside the sample are ignored."""
    agreed: dict[int, Verdict] = {}
    members: dict[int, list[Verdict]] = defaultdict(list)
    for review in reviews:
        if not review.verdict:
            continue
        if review.kind == ReviewKind.CONSENSUS:
            agreed[review.case_id] = Verdict(review.verdict)
        else:
            members[review.case_id].append(Verdict(review.verdict))
    return agreed_verdicts(
        (CaseVerdicts(case.reference, agreed.get(case.case_id),
                      tuple(members.get(case.case_id, ()))) for case in cases),
        verdict_subject(framework_title))


def case_verdict_status(consensus: _Review | None, members: Iterable[_Review]) -> str:
    """One case's verdict status from its panel (consensus) review and members' reviews."""
    agreed = Verdict(consensus.verdict) if consensus is not None and consensus.verdict else None
    return verdict_status(CaseVerdicts("", agreed, tuple(
        Verdict(m.verdict) for m in members if m.verdict)))
