"""The findings workbook, written for real and read back: sheets, tables, figures, privacy."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_app.core.errors import Cancelled, UserError
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings
from tests.helpers.audits import (
    ADDRESS,
    OFFICERS,
    REVIEWERS,
    SUSPECTS,
    VICTIMS,
    add_action,
    build_audit,
    partner_export,
)

SHEETS = ["Summary", "Criteria", "Breakdown", "By outcome", "Cases", "Checks", "Answers",
          "Learning", "Actions", "Agreement", "Population", "Method"]


def _all_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                         if name.endswith((".xml", ".rels")))


def test_workbook_structure_and_figures_match_findings(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    add_action(db, built, "Brief supervisors on NFA endorsement")
    path = tmp_path / "findings.xlsx"
    result = export_workbook(db, audit_id=built.audit_id, path=path)
    findings = compute_findings(db, audit_id=built.audit_id)
    assert result.sheets == SHEETS and result.case_rows == 12 and result.path == path
    workbook = load_workbook(path)
    assert workbook.sheetnames == SHEETS
    assert workbook.properties.title == "Findings: DA NFA review Q3"
    for sheet in workbook:
        # Frozen below the header, and right of a reference column where there is one.
        assert sheet.freeze_panes in {"A2", "B2", "C2", "D2"}
        assert sheet.print_title_rows == "$1:$1"
        assert len(sheet.tables) == 1
        table = next(iter(sheet.tables.values()))
        assert table.autoFilter is not None
        assert table.ref.endswith(str(sheet.max_row))
        assert sheet.column_dimensions["A"].width > 5
    criteria = list(workbook["Criteria"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in criteria] == [c.code for c in findings.criteria]
    for row, finding in zip(criteria, findings.criteria, strict=True):
        compliance = finding.compliance
        assert row[4:10] == (compliance.met, compliance.partly_met, compliance.not_met,
                             compliance.not_evidenced, compliance.not_applicable,
                             compliance.denominator)
        assert row[10] == pytest.approx(compliance.rate) if compliance.rate is not None \
            else row[10] is None
    assert workbook["Criteria"].conditional_formatting
    summary = dict(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Cases sampled"] == 12
    assert summary["Overall compliance (fully met)"] == pytest.approx(
        findings.headline.overall.rate)
    assert summary["Urgent safeguarding cases"] == 1
    cases = list(workbook["Cases"].iter_rows(min_row=2, values_only=True))
    assert cases[0][1] == built.references[1] and cases[0][2] == "URGENT"
    answers = list(workbook["Answers"].iter_rows(min_row=2, values_only=True))
    assert len(answers) == 12 * 2 * len(built.codes)
    assert {row[5] for row in answers} <= {"Met", "Partly met", "Not met", "N/A",
                                          "Not evidenced on file"}
    actions = list(workbook["Actions"].iter_rows(min_row=2, values_only=True))
    assert actions[0][2] == "Brief supervisors on NFA endorsement"
    method = dict((row[0], row[1]) for row in workbook["Method"].iter_rows(values_only=True))
    assert method["Seed"] == "7"
    assert method["Framework"].startswith("Domestic abuse NFA decision review, version ")
    with zipfile.ZipFile(path) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_internal_export_keeps_names(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    path = tmp_path / "internal.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path)
    text = _all_xml(path)
    assert VICTIMS[0] in text and OFFICERS[0] in text and ADDRESS in text


def test_partner_export_holds_no_personal_values(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    path = tmp_path / "partner.xlsx"
    result = partner_export(db, built.audit_id, path, pseudonymise=True)
    text = _all_xml(path)
    for name in (*VICTIMS, *SUSPECTS, *OFFICERS, ADDRESS, "Thorncastle", "Blackwood",
                 *REVIEWERS, "Test User"):
        assert name not in text, name
    for reference in built.references:
        assert reference not in text, reference
    assert "Victim name" in result.dropped_columns and "Victim address" in result.dropped_columns
    assert "Officer in case" in result.dropped_columns
    assert "Beat" in result.dropped_columns  # never marked shareable: default deny
    assert result.replacements >= 1
    learning = list(load_workbook(path)["Learning"].iter_rows(min_row=2, values_only=True))
    assert learning[0][4].startswith("[victim] was not told")
    assert learning[0][0] in learning[0][4]  # the reference in the text became its pseudonym


def test_officer_names_can_be_kept(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    path = tmp_path / "partner-officers.xlsx"
    result = partner_export(db, built.audit_id, path, keep_officer_names=True,
                            pseudonymise=False)
    text = _all_xml(path)
    assert OFFICERS[0] in text and VICTIMS[0] not in text
    assert "Officer in case" not in result.dropped_columns
    assert built.references[0] in text  # not pseudonymised unless asked


def test_pseudonyms_are_stable_across_exports(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    first, second = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    for path in (first, second):
        partner_export(db, built.audit_id, path, pseudonymise=True)
    column = [[row[1] for row in load_workbook(p)["Cases"].iter_rows(min_row=2, values_only=True)]
              for p in (first, second)]
    assert column[0] == column[1]
    assert len(set(column[0])) == 12 and all(p.startswith("CASE-") for p in column[0])


def test_hostile_imported_text_is_not_a_formula(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    path = tmp_path / "hostile.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in archive.read(name).decode()
    cases = load_workbook(path)["Cases"]
    offence = [cell.value for cell in cases[1]].index("Offence")
    offences = {row[offence].value: row[offence] for row in cases.iter_rows(min_row=2)}
    cell = offences['=HYPERLINK("http://x","click")']
    assert cell.data_type == "s" and cell.quotePrefix
    good = [row[4] for row in load_workbook(path)["Learning"].iter_rows(values_only=True)]
    assert "@SUM(1+1) thorough BWV review" in good and "-1 call the IDVA" in good


@pytest.mark.parametrize("cancel_on_call", [1, 3])
def test_cancelled_export_leaves_no_file(db: Database, tmp_path: Path, cancel_on_call: int) -> None:
    built = build_audit(db)
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "keep.xlsx"
    path.write_bytes(b"the previous export")
    calls: list[int] = []

    def cancelled() -> bool:  # the user presses Cancel at load time, or just before saving
        calls.append(1)
        return len(calls) >= cancel_on_call

    with pytest.raises(Cancelled):
        export_workbook(db, audit_id=built.audit_id, path=path, cancelled=cancelled)
    assert path.read_bytes() == b"the previous export"
    assert [p.name for p in folder.iterdir()] == ["keep.xlsx"]


def test_progress_reaches_the_end(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    seen: list[tuple[int, int]] = []
    export_workbook(db, audit_id=built.audit_id, path=tmp_path / "p.xlsx",
                    progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]


def test_bad_target_is_a_user_error(db: Database, tmp_path: Path) -> None:
    built = build_audit(db)
    with pytest.raises(UserError, match="does not exist"):
        export_workbook(db, audit_id=built.audit_id, path=tmp_path / "nope" / "x.xlsx")
    with pytest.raises(UserError, match="is a folder"):
        export_workbook(db, audit_id=built.audit_id, path=tmp_path)


def test_comparison_sheet_when_asked(db: Database, tmp_path: Path) -> None:
    earlier = build_audit(db)
    later = build_audit(db)
    path = tmp_path / "compare.xlsx"
    result = export_workbook(db, audit_id=later.audit_id, path=path,
                             compare_with=earlier.audit_id)
    assert result.sheets == [*SHEETS[:-1], "Comparison", "Method"]
    rows = list(load_workbook(path)["Comparison"].iter_rows(min_row=2, values_only=True))
    first = later.framework.criteria[0]
    assert rows[0][0] == "All shared" and rows[0][8] == pytest.approx(0.0)  # pooled first
    assert rows[1][:2] == (first.code, first.question)
    assert rows[1][8] == pytest.approx(0.0) and rows[1][11] == "No"  # same answers: no change
    assert rows[-3][:2] == ("Note", f"Both audits use version {later.framework.version} of the "
                            f"framework; all {len(later.framework.criteria)} criteria are compared.")


def test_partner_export_hides_officer_names_in_the_sample_record(db: Database,
                                                                 tmp_path: Path) -> None:
    from audit_app.services.sampling import draw_sample

    built = build_audit(db)
    draw_sample(db, audit_id=built.audit_id, size=4, method="stratified",
                strata_fields=["officer"], where=f"officer == '{OFFICERS[0]}'", seed=3)
    path = tmp_path / "partner-strata.xlsx"
    partner_export(db, built.audit_id, path, pseudonymise=False)
    text = _all_xml(path)
    assert OFFICERS[0] not in text and "Fairweather" not in text
    method = dict((row[0], row[1]) for row in load_workbook(path)["Method"].iter_rows(
        values_only=True))
    assert method["Scope filter"].startswith("Officer in case is [officer]")


def test_method_sheet_carries_the_whole_sample_record(db: Database, tmp_path: Path) -> None:
    from audit_app.services.sampling import get_sample, replace_case

    built = build_audit(db)
    first = get_sample(db, audit_id=built.audit_id)[0].case.reference
    replacement = replace_case(db, audit_id=built.audit_id, reference=first,
                               reason="File sealed by the court")
    path = tmp_path / "method.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path)
    rows = [row for row in load_workbook(path)["Method"].iter_rows(values_only=True)]
    method = {row[0]: row[1] for row in rows}
    assert method["Selection rule"].startswith("Cases ordered by the SHA-256")
    assert "U+001F" in method["Fingerprint rule"] and "(blank)" in method["Stratum names"]
    assert method["Always included"] == "(none)"
    replaced = [row[1] for row in rows if row[0] == "Replacement"]
    expected_new = replacement.case.reference if replacement else "(none left in stratum)"
    assert replaced == [f"{first} replaced by {expected_new}: File sealed by the court"]


def test_a_partner_copy_needs_an_approved_release_check(db: Database, tmp_path: Path) -> None:
    built = build_audit(db, cases=3)
    path = tmp_path / "partner.xlsx"
    with pytest.raises(UserError, match="release check is approved"):
        export_workbook(db, audit_id=built.audit_id, path=path, for_partner=True)
    assert not path.exists()


def test_text_changed_after_the_check_refuses_the_copy(db: Database, tmp_path: Path) -> None:
    from audit_app.services import scoring
    from audit_app.services.change_log import list_changes
    from audit_app.services.export import check_partner_release
    from audit_app.services.release import ReleaseApproval

    built = build_audit(db, cases=3)
    check = check_partner_release(db, audit_id=built.audit_id)
    approval = ReleaseApproval.of(check, "Dana Chair")
    scoring.record_answer(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                          reviewer=REVIEWERS[0], criterion_code=built.codes[0], value="met",
                          note="Called 07700 900123 after the meeting")
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "partner.xlsx"
    with pytest.raises(UserError, match="changed after the release check"):
        export_workbook(db, audit_id=built.audit_id, path=path, for_partner=True,
                        pseudonymise=True, approval=approval)
    assert list(folder.iterdir()) == []
    assert not [c for c in list_changes(db, audit_id=built.audit_id) if c.entity == "export"]


def test_an_internal_pseudonymised_copy_only_swaps_references(db: Database,
                                                              tmp_path: Path) -> None:
    built = build_audit(db, cases=3)
    path = tmp_path / "internal-pseudonyms.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path, pseudonymise=True)
    learning = list(load_workbook(path)["Learning"].iter_rows(min_row=2, values_only=True))
    text = next(row[4] for row in learning if row[1] == "Learning point")
    assert text.startswith(VICTIMS[1])  # an internal copy keeps names
    assert learning[0][0] in text and built.references[1] not in text
