"""The audit's findings: compliance per criterion and by group, verdicts, learning, agreement.

Which answer counts for a case on a criterion (`core.scoring.effective_answer`, the rule the
moderation screen shows too): the panel's consensus answer where there is one; otherwise
the single member answer, or the members' shared answer when they agree.
Members who disagree with no consensus leave that case "awaiting moderation" on that
criterion: it is counted apart and kept out of compliance. Only the current sample's
cases that were not replaced count. Data is read once, as plain rows, so the same load
feeds both `compute_findings` and the workbook export.

A purged audit has no case data left: its findings are the aggregate ones kept when the
case data was deleted (`Findings.from_dict` of the stored snapshot), with case-level
sections empty and `case_data_deleted` saying when and why.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.agreement import Agreement, measure_groups
from audit_app.core.answers import Answer, Verdict
from audit_app.core.clustered import PooledRate
from audit_app.core.consistency import ConsistencyFlag
from audit_app.core.framework import Framework, framework_from_dict
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.scoring import effective_answer  # the rule moderation shows too
from audit_app.core.statistics import Compliance, tally
from audit_app.core.thresholds import Thresholds
from audit_app.core.verdicts import AgreedVerdicts
from audit_app.core.weighted import WeightedRate
from audit_app.db.models import (
    ActionRecord,
    AnswerRecord,
    CaseRecord,
    CriterionRecord,
    PopulationImportRecord,
    ReviewerRecord,
    ReviewRecord,
    SampleDrawRecord,
    SampleItemRecord,
)
from audit_app.services.audits import require_audit
from audit_app.services.cases import case_fields
from audit_app.services.consistency_checks import audit_checks
from audit_app.services.database import Database
from audit_app.services.findings_rates import (
    BreakdownRow,
    breakdown_rows,
    case_weights,
    criterion_bounds_dict,
    pooled_dict,
    pooled_over,
    population_estimate,
    weighted_dict,
    weighted_from_dict,
)
from audit_app.services.verdict_findings import case_verdict_status, verdict_findings

CONSENSUS = "consensus"
AWAITING_MODERATION = "Awaiting moderation"
NO_VERDICT = "No verdict yet"


# --- the plain rows read from the database ----------------------------------------------

@dataclass(frozen=True)
class CaseDataDeleted:
    """A purged audit: when its case data went under the retention rule, and whether
    aggregate findings were kept then."""

    deleted_on: dt.date | None
    retain_until: dt.date | None
    findings_kept: bool = True

    @property
    def notice(self) -> str:
        """One plain sentence or two for every front to show above the figures."""
        when = f" on {_long_date(self.deleted_on)}" if self.deleted_on else ""
        rule = (f", which kept it until {_long_date(self.retain_until)}" if self.retain_until
                else "")
        kept = ("These are the findings kept at that time; the case list, answers and "
                "learning points went with the case data." if self.findings_kept
                else "No findings were kept at that time.")
        return f"The case data was deleted{when} under the retention rule{rule}. {kept}"

    def to_dict(self) -> dict[str, Any]:
        return {"deleted_on": self.deleted_on.isoformat() if self.deleted_on else None,
                "retain_until": self.retain_until.isoformat() if self.retain_until else None,
                "findings_kept": self.findings_kept, "notice": self.notice}


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"  # "2 January 2027"


@dataclass(frozen=True)
class SampledCase:
    case_id: int
    reference: str
    position: int
    stratum: str
    fields: dict[str, Any]
    extra: dict[str, str]


@dataclass(frozen=True)
class ReviewEntry:
    review_id: int
    case_id: int
    reviewer: str
    organisation: str
    kind: str
    status: str
    verdict: str | None
    learning_points: str
    good_practice: str
    feedback: str
    rationale: str
    urgent_safeguarding: bool


class AnswerEntry(NamedTuple):
    """One answer as read; a named tuple because an audit may hold 300,000 of them."""

    review_id: int
    criterion_code: str
    value: Answer
    note: str
    automatic: bool


@dataclass(frozen=True)
class ActionRow:
    action_id: int
    case_reference: str
    criterion_code: str
    description: str
    owner: str
    due_date: dt.date | None
    status: str
    response: str


@dataclass(frozen=True)
class AuditData:
    audit_id: int
    audit_name: str
    description: str
    meeting_date: dt.date | None
    framework: Framework
    cases: tuple[SampledCase, ...]
    reviews: tuple[ReviewEntry, ...]
    answers: tuple[AnswerEntry, ...]
    actions: tuple[ActionRow, ...]
    personal_columns: tuple[str, ...] = ()
    case_data_deleted: CaseDataDeleted | None = None
    kept_findings: Mapping[str, Any] | None = None  # the snapshot stored at the purge
    # Extract columns the user marked shareable (legacy imports: none), and each
    # column's class ("personal", "free text", "other") where the import recorded it.
    shareable_columns: tuple[str, ...] = ()
    column_classes: Mapping[str, str] = field(default_factory=dict)
    draw_design: Mapping[str, Any] | None = None  # the current draw's stored parameters
    thresholds: Thresholds = field(default_factory=Thresholds)  # the panel's RAG thresholds


def load_audit_data(db: Database, *, audit_id: int, progress: ProgressCallback | None = None,
                    cancelled: CancelCheck | None = None) -> AuditData:
    """Everything findings and exports need, read in one short session as plain rows."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        framework = framework_from_dict(audit.framework.definition)
        cases = _sampled_cases(session, audit_id)
        check_cancelled(cancelled)
        report(progress, 1, 4)
        case_ids = {case.case_id for case in cases}
        reviews = tuple(
            ReviewEntry(r.id, r.case_id, name, organisation, r.kind, r.status, r.verdict,
                        r.learning_points, r.good_practice, r.feedback, r.rationale,
                        r.urgent_safeguarding)
            for r, name, organisation in session.execute(
                select(ReviewRecord, ReviewerRecord.name, ReviewerRecord.organisation)
                .join(ReviewerRecord).where(ReviewRecord.audit_id == audit_id)
                .order_by(ReviewRecord.id))
            if r.case_id in case_ids)
        review_ids = {review.review_id for review in reviews}
        report(progress, 2, 4)
        check_cancelled(cancelled)
        # Column tuples, not ORM objects: an audit can hold hundreds of thousands of answers.
        by_value = {answer.value: answer for answer in Answer}  # a dict beats Enum() 300,000 times
        answers = tuple(
            AnswerEntry(review_id, code, by_value[value], note or "", bool(automatic))
            for review_id, code, value, note, automatic in session.execute(
                select(AnswerRecord.review_id, CriterionRecord.code, AnswerRecord.value,
                       AnswerRecord.note, AnswerRecord.automatic)
                .join(CriterionRecord, AnswerRecord.criterion_id == CriterionRecord.id)
                .join(ReviewRecord, AnswerRecord.review_id == ReviewRecord.id)
                .where(ReviewRecord.audit_id == audit_id).order_by(AnswerRecord.id))
            if review_id in review_ids)
        report(progress, 3, 4)
        references = {case.case_id: case.reference for case in cases}
        codes = dict(session.execute(select(CriterionRecord.id, CriterionRecord.code).where(
            CriterionRecord.framework_id == audit.framework_id)).all())
        actions = tuple(
            ActionRow(a.id, references.get(a.case_id, "") if a.case_id else "",
                      codes.get(a.criterion_id, "") if a.criterion_id else "", a.description,
                      a.owner, a.due_date, a.status, a.response)
            for a in session.scalars(select(ActionRecord).where(ActionRecord.audit_id == audit_id)
                                     .order_by(ActionRecord.id)))
        personal: list[str] = []
        shareable: list[str] = []
        classes: dict[str, str] = {}
        for columns, shared, classed in session.execute(select(
                PopulationImportRecord.personal_columns, PopulationImportRecord.shareable_columns,
                PopulationImportRecord.column_classes).where(
                PopulationImportRecord.audit_id == audit_id)
                .order_by(PopulationImportRecord.id)):
            personal.extend(c for c in columns or [] if c not in personal)
            shareable = list(shared or [])  # the latest import's choice stands
            classes.update(classed or {})
        report(progress, 4, 4)
        design = session.scalar(select(SampleDrawRecord.parameters).where(
            SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True)))
        deleted = (CaseDataDeleted(_local_date(audit.purged_at), audit.retain_until,
                                   audit.findings_snapshot is not None)
                   if audit.status == "purged" else None)
        return AuditData(audit_id, audit.name, audit.description, audit.meeting_date, framework,
                         cases, reviews, answers, actions, tuple(personal), deleted,
                         audit.findings_snapshot if deleted else None, tuple(shareable),
                         classes, design, Thresholds(audit.green_from, audit.amber_from))


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    """The panel's calendar date of a stored UTC time (SQLite hands it back naive)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone().date()


def _sampled_cases(session: Session, audit_id: int) -> tuple[SampledCase, ...]:
    rows = session.execute(
        select(SampleItemRecord.position, SampleItemRecord.stratum, CaseRecord)
        .join(SampleDrawRecord, SampleItemRecord.draw_id == SampleDrawRecord.id)
        .join(CaseRecord, SampleItemRecord.case_id == CaseRecord.id)
        .where(SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True),
               SampleItemRecord.status != "replaced")
        .order_by(SampleItemRecord.position)).all()
    return tuple(SampledCase(case.id, case.reference, position, stratum, case_fields(case),
                             dict(case.extra or {})) for position, stratum, case in rows)


# --- the findings ----------------------------------------------------------------------

@dataclass(frozen=True)
class Headline:
    audit_id: int
    audit_name: str
    framework_key: str
    framework_version: int
    framework_title: str
    cases_sampled: int
    cases_reviewed: int
    cases_complete: int
    overall: Compliance  # answer counts, for tables
    awaiting_moderation: int  # case x criterion answers left out until moderated
    urgent_safeguarding: int
    pooled: PooledRate = field(default_factory=PooledRate)  # overall rate, case as the unit
    population: WeightedRate | None = None  # weighted overall rate, where weights apply
    weighting: str = ""  # whether and why figures are weighted, in plain English


@dataclass(frozen=True)
class CriterionFinding:
    section_code: str
    section_title: str
    code: str
    question: str
    compliance: Compliance
    awaiting_moderation: int
    unanswered: int


@dataclass(frozen=True)
class CaseFinding:
    case_id: int
    reference: str
    position: int
    stratum: str
    status: str
    verdict: str  # a verdict label, or awaiting moderation / no verdict yet
    urgent_safeguarding: bool
    reviewers: tuple[str, ...]
    compliance: Compliance
    verdict_status: str = ""  # agreed by the panel, or provisional and why (core.verdicts)


@dataclass(frozen=True)
class TextEntry:
    case_id: int
    reference: str
    reviewer: str
    kind: str
    text: str


@dataclass(frozen=True)
class AgreementFinding:
    criterion_code: str  # "" for every criterion pooled
    agreement: Agreement


@dataclass(frozen=True)
class Findings:
    headline: Headline
    criteria: tuple[CriterionFinding, ...]
    breakdowns: tuple[BreakdownRow, ...]
    verdicts: tuple[tuple[str, int], ...]
    cases: tuple[CaseFinding, ...]  # urgent safeguarding first, then sample order
    learning_points: tuple[TextEntry, ...]
    good_practice: tuple[TextEntry, ...]
    feedback: tuple[TextEntry, ...]
    actions: tuple[ActionRow, ...]
    agreement: tuple[AgreementFinding, ...]  # pooled first, then per criterion
    effective: dict[tuple[int, str], Answer] = field(default_factory=dict, compare=False,
                                                     repr=False)
    case_data_deleted: CaseDataDeleted | None = None  # set for a purged audit's kept findings
    agreed_verdicts: AgreedVerdicts | None = None  # None: kept findings from before it existed
    thresholds: Thresholds = field(default_factory=Thresholds)  # presentation: RAG status
    checks: tuple[ConsistencyFlag, ...] = ()  # consistency flags for moderation, by case

    @property
    def urgent_cases(self) -> tuple[CaseFinding, ...]:
        return tuple(case for case in self.cases if case.urgent_safeguarding)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain dicts, lists, numbers and strings only."""
        head = self.headline
        return {
            "headline": {
                "audit_id": head.audit_id, "audit_name": head.audit_name,
                "framework": f"{head.framework_key} v{head.framework_version}",
                "framework_title": head.framework_title, "cases_sampled": head.cases_sampled,
                "cases_reviewed": head.cases_reviewed, "cases_complete": head.cases_complete,
                "overall": pooled_dict(head.overall, head.pooled),
                "awaiting_moderation": head.awaiting_moderation,
                "urgent_safeguarding": head.urgent_safeguarding,
                "status": self.thresholds.status(head.overall.rate),
                **weighted_dict(head.population, head.weighting),
            },
            "criteria": [{"section": c.section_code, "section_title": c.section_title,
                          "code": c.code, "question": c.question,
                          "awaiting_moderation": c.awaiting_moderation, "unanswered": c.unanswered,
                          "status": self.thresholds.status(c.compliance.rate),
                          **c.compliance.to_dict(),
                          **criterion_bounds_dict(c.compliance, c.awaiting_moderation)}
                         for c in self.criteria],
            "breakdowns": [b.to_dict() for b in self.breakdowns],
            "verdicts": [{"verdict": label, "cases": count} for label, count in self.verdicts],
            "cases": [{"reference": c.reference, "position": c.position, "status": c.status,
                       "verdict": c.verdict, "urgent_safeguarding": c.urgent_safeguarding,
                       "reviewers": list(c.reviewers), **c.compliance.to_dict()}
                      for c in self.cases],
            "learning_points": [_text_dict(e) for e in self.learning_points],
            "good_practice": [_text_dict(e) for e in self.good_practice],
            "feedback": [_text_dict(e) for e in self.feedback],
            "actions": [{"reference": a.case_reference, "criterion": a.criterion_code,
                         "description": a.description, "owner": a.owner,
                         "due_date": a.due_date.isoformat() if a.due_date else None,
                         "status": a.status, "response": a.response} for a in self.actions],
            "agreement": [{"criterion": a.criterion_code or "all", **a.agreement.to_dict()}
                          for a in self.agreement],
            "thresholds": self.thresholds.to_dict(),
            "checks": [flag.to_dict() for flag in self.checks],
        } | ({"agreed_verdicts": self.agreed_verdicts.to_dict()} if self.agreed_verdicts
             else {}) | ({"case_data_deleted": self.case_data_deleted.to_dict()}
             if self.case_data_deleted else {})

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Findings:
        """The aggregate sections back from `to_dict` (or from the snapshot a purge kept);
        the case-level sections come back empty and actions have no record id (0)."""
        head = values["headline"]
        key, _, version = str(head["framework"]).rpartition(" v")
        headline = Headline(
            int(head["audit_id"]), str(head["audit_name"]), key, int(version),
            str(head["framework_title"]), int(head["cases_sampled"]),
            int(head["cases_reviewed"]), int(head["cases_complete"]),
            Compliance.from_dict(head["overall"]), int(head["awaiting_moderation"]),
            int(head["urgent_safeguarding"]), PooledRate.from_dict(head["overall"]),
            *weighted_from_dict(head))
        criteria = tuple(CriterionFinding(
            str(c["section"]), str(c["section_title"]), str(c["code"]), str(c["question"]),
            Compliance.from_dict(c), int(c["awaiting_moderation"]), int(c["unanswered"]))
            for c in values.get("criteria", []))
        breakdowns = tuple(BreakdownRow.from_dict(b) for b in values.get("breakdowns", []))
        actions = tuple(ActionRow(
            0, str(a.get("reference") or ""), str(a["criterion"]), str(a["description"]),
            str(a["owner"]), dt.date.fromisoformat(a["due_date"]) if a["due_date"] else None,
            str(a["status"]), str(a["response"])) for a in values.get("actions", []))
        agreement = tuple(AgreementFinding("" if a["criterion"] == "all" else str(a["criterion"]),
                                           Agreement.from_dict(a))
                          for a in values.get("agreement", []))
        return cls(headline, criteria, breakdowns,
                   tuple((str(v["verdict"]), int(v["cases"])) for v in values.get("verdicts", [])),
                   cases=(), learning_points=(), good_practice=(), feedback=(), actions=actions,
                   agreement=agreement, agreed_verdicts=AgreedVerdicts.from_dict(
                       values["agreed_verdicts"]) if "agreed_verdicts" in values else None,
                   thresholds=Thresholds.from_dict(values.get("thresholds")))


def _text_dict(entry: TextEntry) -> dict[str, str]:
    return {"reference": entry.reference, "reviewer": entry.reviewer, "kind": entry.kind,
            "text": entry.text}


def compute_findings(db: Database, *, audit_id: int) -> Findings:
    return findings_from_data(load_audit_data(db, audit_id=audit_id))


def findings_from_data(data: AuditData) -> Findings:
    if data.case_data_deleted is not None:
        kept = (Findings.from_dict(data.kept_findings) if data.kept_findings is not None
                else _findings_from_rows(data))
        return replace(kept, case_data_deleted=data.case_data_deleted,
                       thresholds=data.thresholds)  # today's thresholds, not the kept ones
    return _findings_from_rows(data)


def _findings_from_rows(data: AuditData) -> Findings:
    framework = data.framework
    reviews_by_id = {review.review_id: review for review in data.reviews}
    consensus_answers: dict[tuple[int, str], Answer] = {}
    member_answers: dict[tuple[int, str], dict[str, Answer]] = defaultdict(dict)
    for answer in data.answers:
        review = reviews_by_id[answer.review_id]
        key = (review.case_id, answer.criterion_code)
        if review.kind == CONSENSUS:
            consensus_answers[key] = answer.value
        else:
            member_answers[key][review.reviewer] = answer.value

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

    criteria_rows = []
    for section in framework.sections:
        for criterion in section.criteria:
            keys = [(case.case_id, criterion.code) for case in data.cases]
            criteria_rows.append(CriterionFinding(
                section.code, section.title, criterion.code, criterion.question,
                tally(effective[k] for k in keys if k in effective),
                sum(1 for k in keys if k in awaiting),
                sum(1 for k in keys if k not in effective and k not in awaiting)))

    case_rows = _case_findings(data, effective)
    overall, pooled = pooled_over([case.case_id for case in data.cases],
                                  [criterion.code for criterion in framework.criteria],
                                  effective, awaiting)
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
        breakdowns=breakdown_rows(framework, data.cases, effective, awaiting,
                                  case_weights(data.draw_design, data.cases)),
        verdicts=_verdict_counts(case_rows), cases=case_rows,
        learning_points=_texts(data, "learning_points"),
        good_practice=_texts(data, "good_practice"), feedback=_texts(data, "feedback"),
        actions=data.actions, agreement=_agreement(data), effective=effective,
        agreed_verdicts=verdict_findings(framework.title, data.cases, data.reviews),
        thresholds=data.thresholds,
        checks=audit_checks(data, effective))


def _case_findings(data: AuditData, effective: dict[tuple[int, str], Answer]
                   ) -> tuple[CaseFinding, ...]:
    reviews_by_case: dict[int, list[ReviewEntry]] = defaultdict(list)
    for review in data.reviews:
        reviews_by_case[review.case_id].append(review)
    codes = [criterion.code for criterion in data.framework.criteria]
    rows = []
    for case in data.cases:
        reviews = reviews_by_case.get(case.case_id, [])
        members = [r for r in reviews if r.kind != CONSENSUS]
        consensus = next((r for r in reviews if r.kind == CONSENSUS), None)
        rows.append(CaseFinding(
            case.case_id, case.reference, case.position, case.stratum,
            _case_status(consensus, members), _case_verdict(consensus, members),
            any(r.urgent_safeguarding for r in reviews),
            tuple(r.reviewer for r in members),
            tally(effective[(case.case_id, c)] for c in codes if (case.case_id, c) in effective),
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
    return tuple(sorted(entries, key=lambda e: (references[e.case_id][0], e.kind != CONSENSUS,
                                                e.reviewer)))


def _agreement(data: AuditData) -> tuple[AgreementFinding, ...]:
    """Agreement between members (automatic N/A from framework rules left out)."""
    reviews_by_id = {review.review_id: review for review in data.reviews}
    units: dict[str, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for answer in data.answers:
        review = reviews_by_id[answer.review_id]
        if review.kind != CONSENSUS and not answer.automatic:
            units[answer.criterion_code][review.case_id][review.reviewer] = answer.value.value
    scale = [answer.value for answer in data.framework.scale]
    codes = [criterion.code for criterion in data.framework.criteria]
    # Keyed by case: the bootstrap resamples whole cases, all their criteria together.
    pooled, per_criterion = measure_groups({code: dict(units[code]) for code in codes}, scale)
    return (AgreementFinding("", pooled),
            *(AgreementFinding(code, per_criterion[code]) for code in codes))

