"""The workbook's Comparison sheet names the earlier criteria it leaves out, and why."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from audit_app.services.database import Database
from audit_app.services.export import check_partner_release, export_workbook
from audit_app.services.frameworks import get_framework
from audit_app.services.release import ReleaseApproval
from tests.helpers.audits import build_audit


def _not_compared(path: Path) -> dict[str, str]:
    """The sheet's "Not compared" rows, by the earlier criterion code each names."""
    rows = load_workbook(path)["Comparison"].iter_rows(min_row=2, values_only=True)
    found = {}
    for row in rows:
        if row[0] == "Not compared":
            text = str(row[1])
            found[text.split()[2].rstrip(",")] = text
    return found


def test_the_comparison_sheet_says_which_earlier_criteria_are_not_compared_and_why(
        db: Database, tmp_path: Path) -> None:
    earlier = build_audit(db)                                     # version 2
    later = build_audit(db, framework_ref="da-nfa-review@3", scored_criteria=0)
    path = tmp_path / "compare.xlsx"
    export_workbook(db, audit_id=later.audit_id, path=path, compare_with=earlier.audit_id)
    reasons = _not_compared(path)
    assert set(reasons) == {"3.1", "3.2", "3.5", "5.5"}
    old = {c.code: " ".join(c.question.split())
           for c in get_framework(db, "da-nfa-review@2").criteria}
    assert reasons["3.5"] == (f"Earlier criterion 3.5, \u201c{old['3.5']}\u201d, is not "
                              "compared. Split into bail (3.5), DVPN or DVPO (3.7), Clare's "
                              "Law (3.8) and the safety plan (3.9).")
    assert old["3.2"] in reasons["3.2"] and "panel's own reading" in reasons["3.2"]
    # They come after the table and its notes, so the rows above keep their place.
    rows = list(load_workbook(path)["Comparison"].iter_rows(min_row=2, values_only=True))
    firsts = [row[0] for row in rows]
    assert firsts[-4:] == ["Not compared"] * 4 and firsts[-7:-4] == ["Note"] * 3


def test_the_same_version_has_no_not_compared_rows(db: Database, tmp_path: Path) -> None:
    earlier, later = build_audit(db), build_audit(db)
    path = tmp_path / "same.xlsx"
    export_workbook(db, audit_id=later.audit_id, path=path, compare_with=earlier.audit_id)
    assert _not_compared(path) == {}


def test_the_partner_copy_keeps_the_reasons_and_passes_its_release_check(
        db: Database, tmp_path: Path) -> None:
    earlier = build_audit(db)
    later = build_audit(db, framework_ref="da-nfa-review@3", scored_criteria=0)
    check = check_partner_release(db, audit_id=later.audit_id, compare_with=earlier.audit_id)
    places = {item.place for item in check.items}
    assert "Comparison sheet, criterion 3.5" in places       # the reasons went through the scrub
    assert not [item for item in check.items
                if item.place.startswith("Comparison sheet, criterion") and item.suspects]
    path = tmp_path / "partner.xlsx"
    export_workbook(db, audit_id=later.audit_id, path=path, for_partner=True,
                    pseudonymise=True, compare_with=earlier.audit_id,
                    approval=ReleaseApproval.of(check, "Chair Person"))
    reasons = _not_compared(path)
    assert set(reasons) == {"3.1", "3.2", "3.5", "5.5"}
    assert "Clare's Law (3.8)" in reasons["3.5"]                # framework words survive
