"""The audit's findings worked out from its plain rows: compliance per criterion and by
group, verdicts, learning, agreement.

Which answer counts for a case on a criterion (`core.scoring.effective_answer`, the rule the
moderation screen shows too): the panel's consensus answer where there is one; otherwise
the single member answer, or the members' shared answer when they agree.
Members who disagree with no consensus leave that case "awaiting moderation" on that
criterion: it is counted apart and kept out of compliance. Only the current sample's
cases that were not replaced count.

A purged audit has no case data left: its findings are the aggregate ones kept when the
case data was deleted (`Findings.from_dict` of the stored snapshot), with case-level
sections empty and `case_data_deleted` saying when and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from audit_app.core.agreement import measure_groups
from audit_app.core.answers import Answer, ReviewKind, Verdict
from audit_app.core.audit_rows import AuditData, ReviewEntry
from audit_app.core.consistency_checks import audit_checks
from audit_app.core.findings import (
    AgreementFinding,
    CaseFinding,
    CriterionFinding,
    Findings,
    Headline,
    TextEntry,
)
from audit_app.core.findings_rates import (
    CaseTallies,
    breakdown_rows,
    case_tallies,
    case_weights,
    pooled_from,
    population_estimate,
)
from audit_app.core.scoring import effective_answer  # the rule moderation shows too
from audit_app.core.statistics import tally
from audit_app.core.verdict_findings import case_verdict_status, verdict_findings
from audit_app.core.withdrawal import sample_withdrawals

AWAITING_MODERATION = "Awaiting moderation"
NO_VERDICT = "No verdict yet"


def findings_from_data(data: AuditData) -> Findings:
    if data.case_data_deleted is not None:
        kept = (Findings.from_dict(data.kept_findings) if data.kept_findings is not None
                else _findings_from_rows(data))
        return replace(kept, case_data_deleted=data.case_data_deleted,
                       thresholds=data.thresholds)  # today's thresholds, not the kept ones
    return _findings_from_rows(data)


MemberAnswers = dict[tuple[int, str], dict[str, Answer]]


def _answers_by_kind(data: AuditData) -> tuple[dict[tuple[int, str], Answer], MemberAnswers]:
    """The panel's agreed answers, and each member's own, by (case, criterion)."""
    reviews_by_id = {review.review_id: review for review in data.reviews}
    consensus_answers: dict[tuple[int, str], Answer] = {}
    member_answers: dict[tuple[int, str], dict[str, Answer]] = defaultdict(dict)
    for answer in data.answers:
        review = reviews_by_id[answer.review_id]
        key = (review.case_id, answer.criterion_code)
        if review.kind == ReviewKind.CONSENSUS:
            consensus_answers[key] = answer.value
        else:
            member_answers[key][review.reviewer] = answer.value
    return consensus_answers, member_answers


def _effective_answers(data: AuditData, consensus_answers: dict[tuple[int, str], Answer],
                       member_answers: MemberAnswers,
                       ) -> tuple[dict[tuple[int, str], Answer], set[tuple[int, str]]]:
    """The answer that counts for each (case, criterion), and those awaiting moderation."""
    framework = data.framework
    effective: dict[tuple[int, str], Answer] = {}
    awaiting: set[tuple[int, str]] = set()
    for case in data.cases:
        for criterion in framework.criteria:
            key = (case.case_id, criterion.code)
            members = member_answers.get(key, {})
            if key not in consensus_answers and not members:
                continue
            chosen = effective_answer(consensus_answers.get(key), list(members.values()))
            if chosen is None:
                awaiting.add(key)
            else:
                effective[key] = chosen
    return effective, awaiting


def _findings_from_rows(data: AuditData) -> Findings:
    framework = data.framework
    consensus_answers, member_answers = _answers_by_kind(data)
    effective, awaiting = _effective_answers(data, consensus_answers, member_answers)
    criteria_rows = []
    for section in framework.sections:
        for criterion in section.criteria:
            keys = [(case.case_id, criterion.code) for case in data.cases]
            criteria_rows.append(CriterionFinding(
                section.code, section.title, criterion.code, criterion.question,
                tally(effective[k] for k in keys if k in effective),
                sum(1 for k in keys if k in awaiting),
                sum(1 for k in keys if k not in effective and k not in awaiting)))

    # Each case tallied once over every criterion: its row, the overall rate and every
    # breakdown group's rate are sums of these.
    case_ids = [case.case_id for case in data.cases]
    every_criterion = dict(zip(case_ids, case_tallies(
        case_ids, [criterion.code for criterion in framework.criteria], effective, awaiting),
        strict=True))
    case_rows = _case_findings(data, every_criterion)
    overall, pooled = pooled_from(every_criterion[case_id] for case_id in case_ids)
    headline = Headline(
        data.audit_id, data.audit_name, framework.key, framework.version, framework.title,
        cases_sampled=len(data.cases),
        cases_reviewed=len({k[0] for k in member_answers} | {k[0] for k in consensus_answers}),
        cases_complete=sum(1 for c in case_rows if c.status == "Complete"),
        overall=overall, awaiting_moderation=len(awaiting),
        urgent_safeguarding=sum(1 for c in case_rows if c.urgent_safeguarding), pooled=pooled)
    estimate, weighting = population_estimate(
        data.draw_design, data.cases, [c.code for c in framework.criteria], effective)
    headline = replace(headline, population=estimate, weighting=weighting)
    return Findings(
        headline=headline, criteria=tuple(criteria_rows),
        breakdowns=breakdown_rows(framework, data.cases, effective, awaiting, every_criterion,
                                  case_weights(data.draw_design, data.cases)),
        verdicts=_verdict_counts(case_rows), cases=case_rows,
        learning_points=_texts(data, "learning_points"),
        good_practice=_texts(data, "good_practice"), feedback=_texts(data, "feedback"),
        actions=data.actions, agreement=_agreement(data), effective=effective,
        agreed_verdicts=verdict_findings(framework.title, data.cases, data.reviews),
        thresholds=data.thresholds,
        checks=audit_checks(data, effective),
        withdrawals=sample_withdrawals(
            (r.case_id, r.kind == ReviewKind.CONSENSUS, r.withdrawal_stage, r.withdrawal_reason)
            for r in data.reviews))


def _case_findings(data: AuditData, every_criterion: CaseTallies) -> tuple[CaseFinding, ...]:
    reviews_by_case: dict[int, list[ReviewEntry]] = defaultdict(list)
    for review in data.reviews:
        reviews_by_case[review.case_id].append(review)
    rows = []
    for case in data.cases:
        reviews = reviews_by_case.get(case.case_id, [])
        members = [r for r in reviews if r.kind != ReviewKind.CONSENSUS]
        consensus = next((r for r in reviews if r.kind == ReviewKind.CONSENSUS), None)
        rows.append(CaseFinding(
            case.case_id, case.reference, case.position, case.stratum,
            _case_status(consensus, members), _case_verdict(consensus, members),
            any(r.urgent_safeguarding for r in reviews),
            tuple(r.reviewer for r in members),
            every_criterion[case.case_id][0],
            case_verdict_status(consensus, members)))
    return tuple(sorted(rows, key=lambda row: (not row.urgent_safeguarding, row.position)))


def _case_status(consensus: ReviewEntry | None, members: list[ReviewEntry]) -> str:
    if consensus is not None and consensus.status == "complete":
        return "Complete"
    if consensus is None and members and all(m.status == "complete" for m in members):
        return "Complete"
    return "In progress" if consensus is not None or members else "Not started"


def _case_verdict(consensus: ReviewEntry | None, members: list[ReviewEntry]) -> str:
    if consensus is not None and consensus.verdict:
        return Verdict(consensus.verdict).label
    given = {m.verdict for m in members if m.verdict}
    if len(given) == 1:
        return Verdict(given.pop()).label
    return AWAITING_MODERATION if given else NO_VERDICT


def _verdict_counts(cases: Iterable[CaseFinding]) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.verdict] = counts.get(case.verdict, 0) + 1
    order = [v.label for v in Verdict] + [AWAITING_MODERATION, NO_VERDICT]
    return tuple((label, counts[label]) for label in order if label in counts)


def _texts(data: AuditData, attribute: str) -> tuple[TextEntry, ...]:
    references = {case.case_id: (case.position, case.reference) for case in data.cases}
    entries = [TextEntry(r.case_id, references[r.case_id][1], r.reviewer, r.kind,
                         str(getattr(r, attribute)).strip())
               for r in data.reviews if str(getattr(r, attribute)).strip()]
    # The panel's agreed wording first for each case, then members'.
    return tuple(sorted(entries, key=lambda e: (references[e.case_id][0], e.kind != ReviewKind.CONSENSUS,
                                                e.reviewer)))


def _agreement(data: AuditData) -> tuple[AgreementFinding, ...]:
    """Agreement between members (automatic N/A from framework rules left out)."""
    reviews_by_id = {review.review_id: review for review in data.reviews}
    units: dict[str, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for answer in data.answers:
        review = reviews_by_id[answer.review_id]
        if review.kind != ReviewKind.CONSENSUS and not answer.automatic:
            units[answer.criterion_code][review.case_id][review.reviewer] = answer.value.value
    scale = [answer.value for answer in data.framework.scale]
    codes = [criterion.code for criterion in data.framework.criteria]
    # Keyed by case: the bootstrap resamples whole cases, all their criteria together.
    pooled, per_criterion = measure_groups({code: dict(units[code]) for code in codes}, scale)
    return (AgreementFinding("", pooled),
            *(AgreementFinding(code, per_criterion[code]) for code in codes))

