"""Consistency checks of an audit's cases, from the rows findings already read.

`audit_checks` is the findings hook: it takes the loaded audit data and the effective
answers findings worked out (`core.scoring.effective_answer`), so no query is added.
`services.consistency_checks.case_checks` serves the review screen for the one case on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from audit_app.core.answers import Answer, ReviewKind, Verdict
from audit_app.core.audit_rows import AuditData
from audit_app.core.consistency import CaseForChecks, CheckKind, ConsistencyFlag, audit_flags
from audit_app.core.scoring import effective_answer

# Flags drawn from the extract alone: a member scoring blind may see these.
EXTRACT_CHECKS = frozenset({CheckKind.OUTCOME_15_NOT_SUPPORTING, CheckKind.OUTCOME_16_SUPPORTING})


def audit_checks(data: AuditData, effective: Mapping[tuple[int, str], Answer]
                 ) -> tuple[ConsistencyFlag, ...]:
    """Every flag of the audit's sampled cases, in sample order."""
    key_codes = [criterion.code for criterion in data.framework.criteria if criterion.key]
    agreed: dict[int, Verdict] = {}
    members: dict[int, list[Verdict]] = defaultdict(list)
    for review in data.reviews:
        if review.verdict:
            if review.kind == ReviewKind.CONSENSUS:
                agreed[review.case_id] = Verdict(review.verdict)
            else:
                members[review.case_id].append(Verdict(review.verdict))
    return audit_flags(
        (CaseForChecks(case.reference, agreed.get(case.case_id),
                       tuple(members.get(case.case_id, ())),
                       {code: effective[(case.case_id, code)] for code in key_codes
                        if (case.case_id, code) in effective},
                       case.fields.get("outcome_code"), case.fields.get("victim_supports"))
         for case in data.cases), key_codes)


def effective_answers(data: AuditData, case_ids: Iterable[int]) -> dict[tuple[int, str], Answer]:
    """The answers findings count for these cases (the same rule, for fewer cases)."""
    wanted = set(case_ids)
    reviews = {review.review_id: review for review in data.reviews
               if review.case_id in wanted}
    consensus: dict[tuple[int, str], Answer] = {}
    given: dict[tuple[int, str], list[Answer]] = defaultdict(list)
    for answer in data.answers:
        review = reviews.get(answer.review_id)
        if review is None:
            continue
        key = (review.case_id, answer.criterion_code)
        if review.kind == ReviewKind.CONSENSUS:
            consensus[key] = answer.value
        else:
            given[key].append(answer.value)
    effective = {}
    for key in set(consensus) | set(given):
        chosen = effective_answer(consensus.get(key), given.get(key, []))
        if chosen is not None:
            effective[key] = chosen
    return effective
