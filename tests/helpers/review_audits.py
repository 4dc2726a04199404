"""A small real audit for the review and moderation screen tests (built through the services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from audit_app.core.framework import framework_from_dict
from audit_app.db.models import CaseRecord
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.frameworks import save_framework
from audit_app.services.sampling import draw_sample, get_sample

FRAMEWORK = {
    "id": "panel-test-review",
    "version": 1,
    "title": "Panel test review",
    "sections": [
        {"code": "A", "title": "Initial response", "criteria": [
            {"code": "A1", "question": "Was the suspect arrested, or the decision not to arrest justified?",
             "guidance": "Look for the arrest rationale in the first account.",
             "source": "APP Domestic abuse, arrest"},
            {"code": "A2", "question": "Was a withdrawal statement taken?",
             "applies_when": "outcome_code in (16)"},
            {"code": "A3", "question": "Was body-worn video captured and retained?",
             "note_required_for": ["not_met", "not_evidenced", "partly_met"]},
        ]},
        {"code": "B", "title": "Supervision and decision", "criteria": [
            {"code": "B1", "question": "Was the NFA decision endorsed by a supervisor with a rationale?"},
            {"code": "B2", "question": "Was the victim told of the decision and the reasons?",
             "note_required_for": []},
        ]},
    ],
}
# Outcome 16 cases get A2; others see it as N/A automatically.
CASES = (("CR/0001/26", 16, "high", "North"), ("CR/0002/26", 15, "medium", "South"),
         ("CR/0003/26", 16, "standard", "North"), ("CR/0004/26", 10, "high", "East"))


@dataclass(frozen=True)
class ReviewAudit:
    audit_id: int
    case_ids: list[int]          # in sample order


def build_review_audit(db: Database) -> ReviewAudit:
    save_framework(db, framework_from_dict(FRAMEWORK))
    audit = create_audit(db, name="Panel review test", framework="panel-test-review")
    with db.transaction() as session:
        for index, (reference, outcome, risk, area) in enumerate(CASES):
            session.add(CaseRecord(
                audit_id=audit.id, reference=reference, source_row=index + 2, outcome_code=outcome,
                risk_level=risk, area=area, offence_description="Assault occasioning ABH",
                date_finalised=dt.date(2026, 3, 1 + index), arrested=index % 2 == 0,
                officer="PC 1234 Example", extra={"Station": "Central", "Notes flag": "Y"}))
    draw_sample(db, audit_id=audit.id, size=len(CASES), seed=42)
    case_ids = [row.case.id for row in get_sample(db, audit_id=audit.id)]
    return ReviewAudit(audit.id, case_ids)
