"""The workbook of a purged audit: the kept figures, read back, and the reason on two sheets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from audit_app.services.comparison import compare_audits
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings
from tests.helpers.audits import VICTIMS, add_action, build_audit, partner_export
from tests.helpers.retention import purge


def _summary(path: Path) -> dict[str, Any]:
    return {row[0]: row[1] for row in load_workbook(path)["Summary"].iter_rows(
        min_row=2, values_only=True)}


def test_export_of_a_purged_audit_shows_the_kept_findings(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    add_action(db, built, "Brief supervisors on NFA endorsement")
    before = compute_findings(db, audit_id=built.audit_id)
    purge(db, built.audit_id)
    path = tmp_path / "kept.xlsx"
    result = export_workbook(db, audit_id=built.audit_id, path=path)
    assert result.case_rows == 0

    summary = _summary(path)
    notice = summary["Case data deleted"]
    assert notice.startswith("The case data was deleted on ")
    assert "under the retention rule, which kept it until 31 January 2020." in notice
    assert "findings kept at that time" in notice
    head = before.headline
    assert (summary["Cases sampled"], summary["Cases reviewed"]) == (
        head.cases_sampled, head.cases_reviewed)
    assert summary["Overall compliance (fully met)"] == pytest.approx(head.overall.rate)
    assert summary["Scored answers (N/A left out)"] == head.overall.denominator
    assert summary["Urgent safeguarding cases"] == 1
    assert summary["Panel"].startswith("(not kept")

    workbook = load_workbook(path)
    criteria = list(workbook["Criteria"].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[4], row[9]) for row in criteria] == [
        (c.code, c.compliance.met, c.compliance.denominator) for c in before.criteria]
    assert workbook["Breakdown"].max_row == len(before.breakdowns) + 1
    assert workbook["Agreement"].max_row == len(before.agreement) + 1
    for case_sheet in ("Cases", "Answers", "Learning", "Checks"):
        rows = list(workbook[case_sheet].iter_rows(min_row=2, values_only=True))
        assert [row[0] for row in rows] == [
            "(deleted with the case data under the retention rule)"], case_sheet
    actions = list(workbook["Actions"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2]) for row in actions] == [
        (None, "Brief supervisors on NFA endorsement")]
    method = {row[0]: row for row in workbook["Method"].iter_rows(min_row=2, values_only=True)}
    assert method["Findings kept at deletion"][1].startswith(notice)
    strata = [row for topic, row in method.items() if topic.startswith("Stratum:")]
    # the sample items went with the cases, but the draw kept its count per stratum
    assert strata and sum(row[3] for row in strata) == before.headline.cases_sampled
    assert VICTIMS[1] not in notice


def test_partner_export_and_comparison_with_a_purged_audit(db: Database, tmp_path: Path) -> None:
    earlier = build_audit(db)
    later = build_audit(db)
    purge(db, earlier.audit_id)
    path = tmp_path / "compared.xlsx"
    export_workbook(db, audit_id=later.audit_id, path=path, compare_with=earlier.audit_id)
    rows = list(load_workbook(path)["Comparison"].iter_rows(min_row=2, values_only=True))
    expected = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    assert expected.overall is not None  # the kept overall rate stands in for the purged one
    assert rows[0][:4] == ("All shared", "Every criterion in both audits, pooled case by case",
                           expected.overall.before.met, expected.overall.before.scored)
    assert [(row[0], row[2], row[3]) for row in rows[1:-3]] == [
        (r.criterion_code, r.before.met, r.before.denominator) for r in expected.rows]
    assert expected.rows[0].before.denominator > 0
    assert "Case data deleted" not in _summary(path)  # the later audit still has its cases

    partner = tmp_path / "partner.xlsx"
    partner_export(db, earlier.audit_id, partner, pseudonymise=True)
    assert _summary(partner)["Case data deleted"].startswith("The case data was deleted")
