"""A whole review round through `audit-app` on a new audit built from an imported extract.

create audit -> import XLSX/CSV -> sample -> scoresheet out and back -> stats -> export,
with real files written and read back at every step.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from audit_app.core.synthetic import synthetic_population
from tests.helpers.cli import run_cli as cli
from tests.helpers.cli import run_json as cli_json

# Header names as one force's system might spell them; the importer recognises them.
HEADERS: tuple[tuple[str, str], ...] = (
    ("Crime Ref", "reference"), ("Offence", "offence_description"),
    ("Date Recorded", "date_recorded"), ("Date Finalised", "date_finalised"),
    ("HO Outcome", "outcome_code"), ("DASH Risk", "risk_level"),
    ("Victim Supports", "victim_supports"), ("Arrested", "arrested"), ("BWV", "bwv_present"),
    ("OIC", "officer"), ("BCU", "area"), ("Team", "team"), ("Supervisor", "supervisor"),
    ("Victim Name", "victim_name"), ("Suspect Name", "suspect_name"),
)
POPULATION = synthetic_population(150, seed=5)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def write_extract(path: Path, population: list[dict[str, Any]],
                  headers: tuple[tuple[str, str], ...] = HEADERS) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "DA NFA extract"
    sheet.append([header for header, _ in headers])
    for case in population:
        sheet.append([_cell(case[key]) for _, key in headers])
    workbook.save(path)
    return path


@pytest.fixture
def database(tmp_path: Path) -> str:
    return str(tmp_path / "round.sqlite3")


def _new_audit(capsys: pytest.CaptureFixture[str], database: str, name: str) -> str:
    created = cli_json(capsys, "--db", database, "audit", "create", "--name", name,
                       "--framework", "da-nfa-review")
    return str(created["id"])


def _case_count(capsys: pytest.CaptureFixture[str], database: str, audit: str) -> int:
    audits = cli_json(capsys, "--db", database, "audit", "list")
    return int(next(a["case_count"] for a in audits if str(a["id"]) == audit))


def test_import_and_reimport(capsys: pytest.CaptureFixture[str], database: str,
                             tmp_path: Path) -> None:
    audit = _new_audit(capsys, database, "Imported round")
    extract = write_extract(tmp_path / "extract.xlsx", POPULATION)
    first = cli_json(capsys, "--db", database, "import", str(extract), "--audit", audit)
    assert first["imported"] is True
    assert (first["rows_read"], first["added"], first["skipped"]) == (150, 150, 0)
    again = cli_json(capsys, "--db", database, "import", str(extract), "--audit", audit)
    assert (again["added"], again["unchanged"]) == (0, 150)
    code, out, _ = cli(capsys, "--db", database, "import", str(extract), "--audit", audit)
    assert code == 0 and "150 unchanged" in out
    assert _case_count(capsys, database, audit) == 150


def test_bad_extract_changes_nothing(capsys: pytest.CaptureFixture[str], database: str,
                                     tmp_path: Path) -> None:
    audit = _new_audit(capsys, database, "Bad file")
    broken = [dict(case) for case in POPULATION[:20]]
    broken[3]["outcome_code"] = "sixteen"  # spreadsheet row 5
    extract = write_extract(tmp_path / "broken.xlsx", broken)
    report = tmp_path / "problems.csv"
    code, out, err = cli(capsys, "--db", database, "import", str(extract), "--audit", audit,
                         "--report", str(report))
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("audit-app: error: ")
    assert str(report) in err and "Traceback" not in err
    assert "Nothing was imported" in out and "row 5" in out
    with report.open(encoding="utf-8-sig", newline="") as handle:  # BOM for Excel
        rows = list(csv.DictReader(handle))
    assert any(r["row"] == "5" and "sixteen" in r["value"] for r in rows)
    assert _case_count(capsys, database, audit) == 0

    refused = json.loads(cli(capsys, "--db", database, "import", str(extract), "--audit", audit,
                             "--json")[1])
    assert refused["imported"] is False and refused["problem_count"] >= 1
    assert refused["problems"][0]["row"] == 5

    kept = cli_json(capsys, "--db", database, "import", str(extract), "--audit", audit,
                    "--valid-rows-only")
    assert (kept["added"], kept["skipped"]) == (19, 1)
    assert _case_count(capsys, database, audit) == 19


def test_missing_file_and_unknown_audit(capsys: pytest.CaptureFixture[str], database: str,
                                        tmp_path: Path) -> None:
    audit = _new_audit(capsys, database, "Errors")
    code, _, err = cli(capsys, "--db", database, "import", str(tmp_path / "nope.xlsx"),
                       "--audit", audit)
    assert code == 2 and len(err.splitlines()) == 1 and "nope.xlsx" in err
    extract = write_extract(tmp_path / "extract.xlsx", POPULATION[:5])
    code, _, err = cli(capsys, "--db", database, "import", str(extract), "--audit", "404")
    assert code == 2 and "404" in err
    code, _, err = cli(capsys, "--db", database, "import", str(extract), "--audit", audit,
                       "--map", "shoe_size=Size")
    assert code == 2 and "shoe_size" in err and len(err.splitlines()) == 1


def test_csv_with_an_explicit_mapping(capsys: pytest.CaptureFixture[str], database: str,
                                      tmp_path: Path) -> None:
    audit = _new_audit(capsys, database, "CSV round")
    extract = tmp_path / "extract.csv"
    with extract.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Crime Ref", "Disposal Result", "DASH Risk"])
        for case in POPULATION:
            writer.writerow([case["reference"], case["outcome_code"], case["risk_level"]])
    imported = cli_json(capsys, "--db", database, "import", str(extract), "--audit", audit,
                        "--map", "outcome_code=Disposal Result")
    assert imported["added"] == 150
    drawn = cli_json(capsys, "--db", database, "sample", "--audit", audit, "--size", "5",
                     "--where", "outcome_code == 16", "--seed", "1")
    expected = sum(case["outcome_code"] == 16 for case in POPULATION)
    assert drawn["sample"]["population_size"] == expected


def _fill_scoresheet(path: Path) -> int:
    """Answer every criterion of the first case as Met, as a reviewer would in Excel."""
    workbook = load_workbook(path)
    sheet = workbook["Scoring"]
    first_case = None
    filled = 0
    for row in sheet.iter_rows(min_row=2):
        case_id = row[6].value
        if case_id is None:
            continue
        first_case = first_case or case_id
        if case_id == first_case:
            row[4].value = "Met"
            filled += 1
    workbook.save(path)
    return filled


def test_whole_round(capsys: pytest.CaptureFixture[str], database: str, tmp_path: Path) -> None:
    audit = _new_audit(capsys, database, "Whole round")
    extract = write_extract(tmp_path / "extract.xlsx", POPULATION)
    cli_json(capsys, "--db", database, "import", str(extract), "--audit", audit)
    drawn = cli_json(capsys, "--db", database, "sample", "--audit", audit, "--size", "20",
                     "--by", "outcome_code", "--seed", "9")
    assert drawn["sample"]["size"] == 20 and len(drawn["cases"]) == 20

    sheet = tmp_path / "panel-member.xlsx"
    code, out, err = cli(capsys, "--db", database, "scoresheet", "export", "--audit", audit,
                         "--reviewer", "Panel Member", "--out", str(sheet))
    assert code == 0, err
    assert sheet.exists() and str(sheet) in out
    filled = _fill_scoresheet(sheet)
    assert filled > 0
    read_back = cli_json(capsys, "--db", database, "scoresheet", "import", str(sheet))
    assert read_back["answers_changed"] == filled and read_back["reviewer"] == "Panel Member"

    findings = cli_json(capsys, "--db", database, "stats", "--audit", audit)
    assert findings["headline"]["cases_sampled"] == 20
    assert findings["headline"]["overall"]["met"] == filled

    internal = tmp_path / "internal.xlsx"
    exported = cli_json(capsys, "--db", database, "export", "--audit", audit, "--out",
                        str(internal))
    assert Path(exported["path"]) == internal and internal.exists()
    partner = tmp_path / "partner.xlsx"
    report = tmp_path / "release-report.csv"
    code, out, err = cli(capsys, "--db", database, "export", "--audit", audit, "--out",
                         str(partner), "--for-partner", "--pseudonymise", "--release-report",
                         str(report), "--approved-by", "Chair Person", "--accept-residue")
    assert code == 0, err
    assert "Left out" in out and report.exists()
    _assert_partner_safe(partner)


def _assert_partner_safe(path: Path) -> None:
    names = {case[key] for case in POPULATION for key in ("victim_name", "suspect_name",
                                                            "officer", "supervisor") if case[key]}
    references = {case["reference"] for case in POPULATION}
    workbook = load_workbook(path)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                cells += 1
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
                text = cell.value.isoformat() if isinstance(cell.value, dt.date) else str(cell.value)
                assert not any(name in text for name in names), (sheet.title, cell.coordinate)
                assert text not in references, (sheet.title, cell.coordinate)
    assert cells > 50


def test_personal_columns_and_saved_mappings(capsys: pytest.CaptureFixture[str], database: str,
                                             tmp_path: Path) -> None:
    audit = _new_audit(capsys, database, "Personal columns")
    extract = tmp_path / "extract.csv"
    with extract.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Crime Ref", "Disposal Result", "Neighbour Witness"])
        for index, case in enumerate(POPULATION[:30]):
            writer.writerow([case["reference"], case["outcome_code"], f"Witness Zedfictional{index}"])
    cli_json(capsys, "--db", database, "import", str(extract), "--audit", audit,
             "--map", "outcome_code=Disposal Result", "--personal", "Neighbour Witness",
             "--save-mapping", "Test force CSV")
    cli_json(capsys, "--db", database, "sample", "--audit", audit, "--size", "10", "--seed", "4")
    partner = tmp_path / "partner.xlsx"
    code, out, err = cli(capsys, "--db", database, "export", "--audit", audit, "--out",
                         str(partner), "--for-partner", "--release-report",
                         str(tmp_path / "release.xlsx"), "--approved-by", "Chair Person",
                         "--accept-residue")
    assert code == 0, err
    assert "Neighbour Witness" in out
    texts = [str(cell.value) for sheet in load_workbook(partner).worksheets
             for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not any("Zedfictional" in text for text in texts)

    # the saved profile maps the same headers in the next quarter's extract
    second = _new_audit(capsys, database, "Next quarter")
    reused = cli_json(capsys, "--db", database, "import", str(extract), "--audit", second,
                      "--mapping", "Test force CSV")
    assert reused["added"] == 30
    drawn = cli_json(capsys, "--db", database, "sample", "--audit", second, "--size", "3",
                     "--where", "outcome_code == 16", "--seed", "2")
    assert drawn["sample"]["population_size"] == sum(c["outcome_code"] == 16 for c in POPULATION[:30])
