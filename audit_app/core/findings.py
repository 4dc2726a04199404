"""The audit's findings as every front shows them, and as JSON (`to_dict`/`from_dict`).

Worked out from plain rows by `core.findings_compute`. A purged audit's findings are the
aggregate ones kept at the purge (`Findings.from_dict`), with case-level sections empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from audit_app.core.agreement import Agreement
from audit_app.core.answers import Answer
from audit_app.core.audit_rows import ActionRow, CaseDataDeleted
from audit_app.core.clustered import PooledRate
from audit_app.core.consistency import ConsistencyFlag
from audit_app.core.findings_rates import (
    BreakdownRow,
    criterion_bounds_dict,
    pooled_dict,
    weighted_dict,
    weighted_from_dict,
)
from audit_app.core.statistics import Compliance
from audit_app.core.thresholds import Thresholds
from audit_app.core.verdicts import AgreedVerdicts
from audit_app.core.weighted import WeightedRate
from audit_app.core.withdrawal import WithdrawalPicture


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
    # When and why victims withdrew, as coded (None: kept findings from before it existed).
    withdrawals: WithdrawalPicture | None = None

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
                         "status": a.status, "response": a.response, **_action_extras(a)}
                        for a in self.actions],
            "agreement": [{"criterion": a.criterion_code or "all", **a.agreement.to_dict()}
                          for a in self.agreement],
            "thresholds": self.thresholds.to_dict(),
            "checks": [flag.to_dict() for flag in self.checks],
        } | ({"agreed_verdicts": self.agreed_verdicts.to_dict()} if self.agreed_verdicts
             else {}) | ({"withdrawals": self.withdrawals.to_dict()} if self.withdrawals
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
            str(a["status"]), str(a["response"]), *_action_extras_from(a))
            for a in values.get("actions", []))
        agreement = tuple(AgreementFinding("" if a["criterion"] == "all" else str(a["criterion"]),
                                           Agreement.from_dict(a))
                          for a in values.get("agreement", []))
        return cls(headline, criteria, breakdowns,
                   tuple((str(v["verdict"]), int(v["cases"])) for v in values.get("verdicts", [])),
                   cases=(), learning_points=(), good_practice=(), feedback=(), actions=actions,
                   agreement=agreement, agreed_verdicts=AgreedVerdicts.from_dict(
                       values["agreed_verdicts"]) if "agreed_verdicts" in values else None,
                   thresholds=Thresholds.from_dict(values.get("thresholds")),
                   withdrawals=WithdrawalPicture.from_dict(values["withdrawals"])
                   if "withdrawals" in values else None)


def _text_dict(entry: TextEntry) -> dict[str, str]:
    return {"reference": entry.reference, "reviewer": entry.reviewer, "kind": entry.kind,
            "text": entry.text}


def _action_extras(action: ActionRow) -> dict[str, str | None]:
    return {"agency": action.agency, "theme": action.theme_key,
            "response_date": action.response_date.isoformat() if action.response_date else None,
            "brought_forward_from": action.brought_forward_from,
            "follow_up_by": action.follow_up_by.isoformat() if action.follow_up_by else None}


def _action_extras_from(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """The register's details; absent from findings kept before they existed."""
    def day(name: str) -> dt.date | None:
        return dt.date.fromisoformat(values[name]) if values.get(name) else None
    return (str(values.get("agency") or ""), day("response_date"),
            str(values.get("theme") or ""), str(values.get("brought_forward_from") or ""),
            day("follow_up_by"))
