"""The workbook's Agreement sheet, written for real and read back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from statsmodels.stats.proportion import proportion_confint

from audit_app.core.agreement import Agreement
from audit_app.core.findings import AgreementFinding
from audit_app.io.findings_sheets import agreement_sheet
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings, load_audit_data
from tests.helpers.audits import build_audit


def _sheet_rows(path: Path) -> tuple[list[str], list[tuple[object, ...]]]:
    sheet = load_workbook(path)["Agreement"]
    rows = list(sheet.iter_rows(values_only=True))
    return [str(title) for title in rows[0]], rows[1:]


def test_agreement_sheet_gives_n_and_an_interval_beside_every_figure(
        db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    path = tmp_path / "findings.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path)
    findings = compute_findings(db, audit_id=built.audit_id)
    header, rows = _sheet_rows(path)
    assert header[:7] == ["Criterion", "Question", "Cases rated by two or more members",
                          "Members", "Percent agreement", "Agreement 95% interval low",
                          "Agreement 95% interval high"]
    assert "Reading (kappa)" in header and "Kappa 95% interval low" in header
    assert "AC1 95% interval high" in header
    column = {title: index for index, title in enumerate(header)}
    pooled = rows[0]
    assert pooled[0] == "All criteria"
    # n is cases (12), not the 36 answers pooled over three criteria.
    assert pooled[column["Cases rated by two or more members"]] == 12
    assert "resamples of the cases" in str(pooled[column["How the intervals were found"]])
    first = rows[1]
    assert first[0] == built.codes[0]
    low, high = proportion_confint(11, 12, alpha=0.05, method="wilson")
    assert first[column["Percent agreement"]] == pytest.approx(11 / 12)
    assert first[column["Agreement 95% interval low"]] == pytest.approx(low)
    assert first[column["Agreement 95% interval high"]] == pytest.approx(high)
    measures = {a.criterion_code: a.agreement for a in findings.agreement}[built.codes[0]]
    assert measures.kappa_interval is not None and measures.ac1_interval is not None
    assert (first[column["Kappa 95% interval low"]],
            first[column["Kappa 95% interval high"]]) == pytest.approx(measures.kappa_interval)
    assert (first[column["AC1 95% interval low"]],
            first[column["AC1 95% interval high"]]) == pytest.approx(measures.ac1_interval)
    assert first[column["Reading (kappa)"]] == measures.reading
    unscored = rows[1 + len(built.codes)]
    assert unscored[column["Cases rated by two or more members"]] == 0
    assert unscored[column["Reading (kappa)"]] == "no case rated by two members"
    # Plain words only: no internal codes or snake_case on the sheet.
    for row in rows:
        for value in row:
            assert "_" not in str(value or "")


def test_kappa_not_defined_and_too_few_cases_read_in_plain_words(db: Database) -> None:
    built = build_audit(db)
    data = load_audit_data(db, audit_id=built.audit_id)
    findings = compute_findings(db, audit_id=built.audit_id)
    same = Agreement(12, 2, 1.0, None, None, 1.0, cases=12, percent_interval=(0.76, 1.0),
                     ac1_interval=(1.0, 1.0), resamples=2000, seed=1971)
    few = Agreement(4, 2, 0.75, 0.5, 0.47, 0.6, cases=4, percent_interval=(0.3, 0.95),
                    kappa_interval=(-0.3, 1.0), ac1_interval=(0.1, 1.0), resamples=2000,
                    seed=1971)
    sheet = agreement_sheet(data, replace(findings, agreement=(
        AgreementFinding(built.codes[0], same), AgreementFinding(built.codes[1], few))))
    titles = [c.title for c in sheet.columns]
    rows = list(sheet.rows)
    kappa, reading = titles.index("Fleiss' kappa"), titles.index("Reading (kappa)")
    assert rows[0][kappa] == "not defined" and rows[0][reading] == "not defined"
    assert rows[1][kappa] == pytest.approx(0.47) and rows[1][reading] == "too few cases to read"
