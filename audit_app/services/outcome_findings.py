"""The criterion x outcome-code table of an audit's findings (core.outcome_table).

Built from the findings' chosen answers and each sampled case's outcome code. The export
has the codes in hand (`from_data`); the app and the CLI read them in one short query
(`for_findings`). A purged audit has no answers left, so its table is empty.
"""

from __future__ import annotations

from sqlalchemy import select

from audit_app.core.audit_rows import AuditData
from audit_app.core.findings import Findings
from audit_app.core.outcome_table import OutcomeTable, outcome_table
from audit_app.db.models import CaseRecord
from audit_app.services.database import Database


def _criteria(findings: Findings) -> list[tuple[str, str]]:
    return [(c.code, c.question) for c in findings.criteria]


def outcome_table_from_data(data: AuditData, findings: Findings) -> OutcomeTable:
    outcomes = {case.case_id: case.fields.get("outcome_code") for case in data.cases}
    return outcome_table(outcomes, _criteria(findings), findings.effective)


def outcome_table_for(db: Database, findings: Findings) -> OutcomeTable:
    case_ids = [case.case_id for case in findings.cases]
    outcomes: dict[int, int | None] = {}
    with db.reading() as session:
        for start in range(0, len(case_ids), 500):  # stay under SQLite's variable limit
            outcomes.update((case_id, code) for case_id, code in session.execute(
                select(CaseRecord.id, CaseRecord.outcome_code)
                .where(CaseRecord.id.in_(case_ids[start:start + 500]))))
    ordered = {case_id: outcomes.get(case_id) for case_id in case_ids}
    return outcome_table(ordered, _criteria(findings), findings.effective)
