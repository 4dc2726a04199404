"""The workbook's status by the panel's thresholds, chart whiskers and By outcome sheet,
written for real and read back."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from audit_app.core.thresholds import Thresholds
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings
from audit_app.services.outcome_findings import outcome_table_for
from audit_app.services.thresholds import set_thresholds
from tests.helpers.audits import build_audit, partner_export

CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _rows(workbook_path: Path, sheet: str) -> list[dict[str, object]]:
    rows = list(load_workbook(workbook_path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_criteria_status_and_fills_follow_the_panels_thresholds(sqlite_db: Database,
                                                                 tmp_path: Path) -> None:
    built = build_audit(sqlite_db)
    set_thresholds(sqlite_db, audit_id=built.audit_id, green_from=50, amber_from=30)
    path = tmp_path / "findings.xlsx"
    export_workbook(sqlite_db, audit_id=built.audit_id, path=path)
    findings = compute_findings(sqlite_db, audit_id=built.audit_id)
    thresholds = Thresholds(50, 30)
    rows = _rows(path, "Criteria")
    statuses = {row["Criterion"]: row["Status"] for row in rows}
    for criterion in findings.criteria:
        assert statuses[criterion.code] == (thresholds.status(criterion.compliance.rate) or None)
    assert {"Green", "Amber", "Red"} & set(statuses.values())  # scored criteria got a word
    sheet = load_workbook(path)["Criteria"]
    header = [cell.value for cell in sheet[1]]
    rate = chr(ord("A") + header.index("Compliance (fully met)"))
    status = chr(ord("A") + header.index("Status"))
    rules = {(str(area.sqref), tuple(rule.formula)) for area in sheet.conditional_formatting
             for rule in area.rules}
    last = len(rows) + 1
    shown = f"ROUND({rate}2*100,0)"
    green = f"AND(ISNUMBER({rate}2),{shown}>=50)"
    assert (f"{rate}2:{rate}{last}", (green,)) in rules
    assert (f"{rate}2:{rate}{last}",
            (f"AND(ISNUMBER({rate}2),AND({shown}>=30,{shown}<50))",)) in rules
    red = f"AND(ISNUMBER({rate}2),{shown}<30)"
    assert (f"{rate}2:{rate}{last}", (red,)) in rules
    assert (f"{status}2:{status}{last}", ('"Red"',)) in rules
    fills = {rule.formula[0]: rule.dxf.fill.fgColor.rgb for area in sheet.conditional_formatting
             for rule in area.rules if str(area.sqref).startswith(rate)}
    assert fills[green].endswith("C6EFCE") and fills[red].endswith("FFC7CE")
    assert all(area.rules[0].type != "colorScale" for area in sheet.conditional_formatting)
    summary = dict(load_workbook(path)["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Status (panel's thresholds)"] == thresholds.status(
        findings.headline.overall.rate)
    assert summary["Thresholds"] == thresholds.describe()
    method = dict((row[0], row[1]) for row in load_workbook(path)["Method"].iter_rows(
        min_row=2, values_only=True))
    assert "Green from 50%, Amber from 30%" in str(method["RAG status"])
    assert "point estimate" in str(method["RAG status"])


def test_interval_helpers_and_the_charts_error_bars(sqlite_db: Database,
                                                    tmp_path: Path) -> None:
    built = build_audit(sqlite_db)
    path = tmp_path / "findings.xlsx"
    export_workbook(sqlite_db, audit_id=built.audit_id, path=path)
    findings = compute_findings(sqlite_db, audit_id=built.audit_id)
    rows = _rows(path, "Criteria")
    for row, criterion in zip(rows, findings.criteria, strict=True):
        compliance = criterion.compliance
        if compliance.rate is None or compliance.interval is None:
            assert row["Interval below the rate"] is None
            continue
        assert row["Interval below the rate"] == pytest.approx(
            compliance.rate - compliance.interval[0])
        assert row["Interval above the rate"] == pytest.approx(
            compliance.interval[1] - compliance.rate)
    header = list(rows[0])
    below = chr(ord("A") + header.index("Interval below the rate"))
    above = chr(ord("A") + header.index("Interval above the rate"))
    rate = chr(ord("A") + header.index("Compliance (fully met)"))
    last = len(rows) + 1
    with zipfile.ZipFile(path) as archive:
        [chart_name] = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        chart = archive.read(chart_name).decode("utf-8")
    [series] = ElementTree.fromstring(chart).iter(f"{CHART}ser")
    error_bars = series.find(f"{CHART}errBars")
    assert error_bars is not None
    assert error_bars.find(f"{CHART}errValType").get("val") == "cust"  # type: ignore[union-attr]
    assert error_bars.find(f"{CHART}errBarType").get("val") == "both"  # type: ignore[union-attr]
    assert error_bars.findtext(f"{CHART}plus/{CHART}numRef/{CHART}f") == \
        f"'Criteria'!${above}$2:${above}${last}"
    assert error_bars.findtext(f"{CHART}minus/{CHART}numRef/{CHART}f") == \
        f"'Criteria'!${below}$2:${below}${last}"
    assert series.findtext(f"{CHART}val/{CHART}numRef/{CHART}f") == \
        f"'Criteria'!${rate}$2:${rate}${last}"  # the bars the whiskers sit on


def test_by_outcome_sheet_matches_the_table_and_goes_to_partners(sqlite_db: Database,
                                                                 tmp_path: Path) -> None:
    built = build_audit(sqlite_db, cases=15)
    path = tmp_path / "findings.xlsx"
    export_workbook(sqlite_db, audit_id=built.audit_id, path=path)
    table = outcome_table_for(sqlite_db, compute_findings(sqlite_db, audit_id=built.audit_id))
    rows = _rows(path, "By outcome")
    scored_cells = [(table_row, cell) for table_row in table.rows for cell in table_row.cells
                    if cell.compliance.denominator]
    assert len(rows) == len(scored_cells)
    by_key = {(row["Criterion"], row["Outcome"]): row for row in rows}
    small_seen = big_seen = False
    for table_row, cell in scored_cells:
        row = by_key[(table_row.code, cell.outcome)]
        assert (row["Met"], row["Scored"]) == (cell.compliance.met,
                                               cell.compliance.denominator)
        assert row["Cases sampled with this outcome"] == 5
        if cell.small:
            small_seen = True
            assert row["Status"] is None and row["Small cell"]
        else:
            big_seen = True
            assert row["Status"] == Thresholds().status(cell.compliance.rate)
            assert row["Compliance 95% interval low"] == pytest.approx(cell.compliance.interval[0])
    assert small_seen and big_seen
    partner = tmp_path / "partner.xlsx"
    partner_export(sqlite_db, built.audit_id, partner, pseudonymise=True)
    partner_rows = _rows(partner, "By outcome")
    assert [(r["Criterion"], r["Outcome"], r["Met"], r["Scored"]) for r in partner_rows] == \
        [(r["Criterion"], r["Outcome"], r["Met"], r["Scored"]) for r in rows]
    assert not any(str(value).startswith("DA/") for row in partner_rows for value in row.values())
