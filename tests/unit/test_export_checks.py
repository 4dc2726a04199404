"""The workbook's Checks sheet, read back: internal copy, pseudonymised partner copy."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings
from tests.helpers.audits import VICTIMS, partner_export
from tests.helpers.flagged_audits import flagged_audit

HEADER = ("Reference", "Check", "Detail", "Key criteria not met")


def _rows(path: Path) -> list[tuple[object, ...]]:
    return list(load_workbook(path)["Checks"].iter_rows(values_only=True))


def test_internal_copy_lists_every_flag(db: Database, tmp_path: Path) -> None:
    audit = flagged_audit(db)
    findings = compute_findings(db, audit_id=audit.built.audit_id)
    path = tmp_path / "internal.xlsx"
    export_workbook(db, audit_id=audit.built.audit_id, path=path)
    header, *rows = _rows(path)
    assert header == HEADER
    assert [row[:3] for row in rows] == [(f.reference, f.kind.label, f.detail)
                                         for f in findings.checks]
    question = audit.built.framework.criterion("5.2").question
    assert rows[0][3] == f"5.2 {question}"
    assert rows[1][3] is None  # an outcome check names no criterion


def test_partner_copy_uses_the_cases_sheet_pseudonyms(db: Database, tmp_path: Path) -> None:
    audit = flagged_audit(db)
    internal = tmp_path / "internal.xlsx"
    export_workbook(db, audit_id=audit.built.audit_id, path=internal)
    partner = tmp_path / "partner.xlsx"
    partner_export(db, audit.built.audit_id, partner, pseudonymise=True)
    workbook = load_workbook(partner)
    shown = [row[0] for row in workbook["Checks"].iter_rows(min_row=2, values_only=True)]
    pseudonyms = {row[1] for row in workbook["Cases"].iter_rows(min_row=2, values_only=True)}
    assert len(shown) == 4 and set(shown) <= pseudonyms
    assert not set(shown) & set(audit.built.references)
    partner_rows = [row[1:] for row in workbook["Checks"].iter_rows(min_row=2, values_only=True)]
    internal_rows = [row[1:] for row in _rows(internal)[1:]]
    assert partner_rows == internal_rows  # fixed wording and codes only: nothing to scrub
    text = "\n".join(str(cell) for row in partner_rows for cell in row)
    assert not any(name in text for name in VICTIMS)


def test_no_flags_says_so(db: Database, tmp_path: Path) -> None:
    from tests.helpers.audits import build_audit

    built = build_audit(db, cases=4)
    path = tmp_path / "none.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path)
    assert _rows(path)[1][0].startswith("(none: no appropriate verdict")  # type: ignore[union-attr]
