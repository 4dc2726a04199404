"""The workbook's pooled figures are case-level, breakdowns count cases scored, answers
awaiting moderation appear as bounds, and the Method sheet says how: read back from a real
export of the demo audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_app.core.clustered import settled_bounds
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings


def test_demo_workbook_pooled_figures_are_case_level(sqlite_db: Database,
                                                     tmp_path: Path) -> None:
    audit = create_demo(sqlite_db)
    path = tmp_path / "demo.xlsx"
    export_workbook(sqlite_db, audit_id=audit.id, path=path)
    findings = compute_findings(sqlite_db, audit_id=audit.id)
    head = findings.headline
    assert head.pooled.interval is not None and head.pooled.settled_bounds is not None
    workbook = load_workbook(path)

    summary = dict(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["95% interval, low (case level)"] == pytest.approx(head.pooled.interval[0])
    assert summary["95% interval, high (case level)"] == pytest.approx(head.pooled.interval[1])
    assert summary["Cases scored"] == head.pooled.cases
    assert summary["Design effect (answers per independent answer)"] == pytest.approx(
        head.pooled.design_effect)
    low, high = head.pooled.settled_bounds
    assert summary["Compliance if all awaiting answers are not met"] == pytest.approx(low)
    assert summary["Compliance if all awaiting answers are met"] == pytest.approx(high)

    breakdown = list(workbook["Breakdown"].iter_rows(values_only=True))
    header = list(breakdown[0])
    assert header[2:4] == ["Cases sampled", "Cases scored"]
    low_column = header.index("Compliance 95% interval low")
    for row, finding in zip(breakdown[1:], findings.breakdowns, strict=True):
        assert row[3] == finding.cases_scored
        expected = finding.pooled.interval[0] if finding.pooled.interval else None
        assert row[low_column] == pytest.approx(expected) if expected is not None \
            else row[low_column] is None
        warning = row[header.index("Warning")] or ""
        assert ("Fewer than 10 scored cases" in warning) == finding.pooled.small_sample

    criteria = list(workbook["Criteria"].iter_rows(values_only=True))
    settled_low = list(criteria[0]).index("If awaiting answers all not met")
    for row, finding in zip(criteria[1:], findings.criteria, strict=True):
        bounds = settled_bounds(finding.compliance.met, finding.compliance.denominator,
                                finding.awaiting_moderation)
        assert (row[settled_low], row[settled_low + 1]) == (
            pytest.approx(bounds) if bounds else (None, None))

    method = {row[0]: row[1] for row in workbook["Method"].iter_rows(values_only=True)}
    assert "case as the unit" in method["Pooled rates"]
    assert "linearised" in method["Pooled rates"]
    assert "Wilson" in method["Confidence interval"]
    assert "bounds" in method["Awaiting moderation"]
