"""Each case's verdict status: agreed by the panel, or provisional and why, the same split
the agreed-verdict headline makes; on the findings' cases and the workbook's Cases sheet."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from audit_app.core.answers import Verdict
from audit_app.core.verdicts import (
    AGREED_STATUS,
    MEMBERS_AGREE_STATUS,
    MEMBERS_DIFFER_STATUS,
    NO_VERDICT_STATUS,
    ONE_MEMBER_STATUS,
    CaseVerdicts,
    agreed_verdicts,
    verdict_status,
)
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings
from tests.helpers.verdict_audits import agreed_audit

verdicts = st.sampled_from(list(Verdict))
cases = st.builds(CaseVerdicts, st.text(min_size=1, max_size=4), st.none() | verdicts,
                  st.tuples() | st.lists(verdicts, max_size=3).map(tuple))


@given(st.lists(cases, max_size=20))
def test_statuses_split_cases_as_the_headline_does(every: list[CaseVerdicts]) -> None:
    summary = agreed_verdicts(every)
    statuses = [verdict_status(case) for case in every]
    agreed = summary.cases + summary.more_information_cases + summary.unable_to_agree_cases
    assert statuses.count(AGREED_STATUS) == agreed
    assert sum(s.startswith("Provisional") for s in statuses) == summary.provisional_cases


def test_the_hand_made_audit_statuses(db: Database, tmp_path: Path) -> None:
    built = agreed_audit(db)
    findings = compute_findings(db, audit_id=built.audit_id)
    status = {case.reference: case.verdict_status for case in findings.cases}
    for position in (0, 2, 3, 4, 5, 6, 7):
        assert status[built.references[position]] == AGREED_STATUS
    assert status[built.references[1]] == ONE_MEMBER_STATUS
    assert status[built.references[8]] == MEMBERS_AGREE_STATUS
    assert status[built.references[9]] == MEMBERS_DIFFER_STATUS
    assert NO_VERDICT_STATUS in status.values() or len(status) == 10

    path = tmp_path / "cases.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path)
    rows = list(load_workbook(path)["Cases"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[header.index("Verdict") + 1] == "Verdict status"
    shown = {row[header.index("Reference")]: row[header.index("Verdict status")]
             for row in rows[1:]}
    assert shown == status
