"""`audit-app export`: the release check behind a partner copy, run for real on a SQLite file."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from audit_app.services import scoring
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from tests.helpers.audits import REVIEWERS, BuiltAudit, build_audit
from tests.helpers.cli import run_cli as cli
from tests.helpers.templates import build_sqlite, copy_sqlite

DOUBTFUL_NAME = "Zebedee Quarrington"  # in a note, held in no column: only a person can tell


def _build(db: Database) -> BuiltAudit:
    built = build_audit(db, cases=4)
    scoring.record_answer(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                          reviewer=REVIEWERS[0], criterion_code=built.codes[0],
                          value="met", note=f"Neighbour {DOUBTFUL_NAME} saw it happen")
    return built


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuiltAudit]:
    """Built once (speed only); each test gets its own copy of the database."""
    return build_sqlite(tmp_path_factory.mktemp("cli-export"), "audit.sqlite3", _build)


@pytest.fixture
def database(_template: tuple[Path, BuiltAudit], tmp_path: Path) -> tuple[str, BuiltAudit]:
    template, built = _template
    return str(copy_sqlite(template, tmp_path / "audit.sqlite3")), built


def _partner(database: tuple[str, BuiltAudit], out: Path, *extra: str) -> list[str]:
    path, built = database
    return ["--db", path, "export", "--audit", str(built.audit_id), "--out", str(out),
            "--for-partner", *extra]


def _method(path: Path) -> dict[str, str]:
    return {row[0]: row[1] for row in load_workbook(path)["Method"].iter_rows(values_only=True)}


def _core_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("docProps/core.xml").decode("utf-8")


def _core_properties(path: Path) -> dict[str, str]:
    """docProps/core.xml as {local name: text}: the writer may declare namespaces anywhere."""
    root = ElementTree.fromstring(_core_xml(path))
    return {element.tag.rsplit("}", 1)[-1]: element.text or "" for element in root}


@pytest.mark.parametrize(("missing", "expected"), [
    ((), "--release-report"),
    (("--release-report", "report.csv"), "--approved-by"),
    (("--release-report", "report.txt", "--approved-by", "Dana Chair"), ".csv or .xlsx"),
])
def test_a_partner_copy_needs_a_report_and_an_approver(
        capsys: pytest.CaptureFixture[str], database: tuple[str, BuiltAudit], tmp_path: Path,
        missing: tuple[str, ...], expected: str) -> None:
    out = tmp_path / "partner.xlsx"
    argv = [arg if not arg.startswith("report") else str(tmp_path / arg) for arg in missing]
    code, _stdout, err = cli(capsys, *_partner(database, out, *argv))
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["audit.sqlite3"]


def test_partner_options_need_a_partner_copy(capsys: pytest.CaptureFixture[str],
                                             database: tuple[str, BuiltAudit],
                                             tmp_path: Path) -> None:
    path, built = database
    code, _, err = cli(capsys, "--db", path, "export", "--audit", str(built.audit_id), "--out",
                       str(tmp_path / "x.xlsx"), "--accept-residue")
    assert code == 2 and "--for-partner" in err and not (tmp_path / "x.xlsx").exists()


def test_text_that_still_looks_personal_stops_the_copy(capsys: pytest.CaptureFixture[str],
                                                       database: tuple[str, BuiltAudit],
                                                       tmp_path: Path) -> None:
    out, report = tmp_path / "partner.xlsx", tmp_path / "release-report.csv"
    code, _stdout, err = cli(capsys, *_partner(database, out, "--release-report", str(report),
                                              "--approved-by", "Dana Chair"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "still look" in err and "release-report.csv" in err and "--accept-residue" in err
    assert DOUBTFUL_NAME not in err
    assert report.exists() and not out.exists()
    with report.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Where" and len(rows) > 2
    doubtful = [row for row in rows[1:] if DOUBTFUL_NAME in row[1]]
    assert doubtful and "Quarrington" in doubtful[0][4]
    assert report.stat().st_mode & 0o077 == 0  # private: it shows the original text
    db = open_database(database[0])
    try:
        changes = list_changes(db, audit_id=database[1].audit_id)
    finally:
        db.close()
    assert not [c for c in changes if c.entity == "export"]


def test_accepted_residue_writes_the_copy_with_its_approval(capsys: pytest.CaptureFixture[str],
                                                            database: tuple[str, BuiltAudit],
                                                            tmp_path: Path) -> None:
    out, report = tmp_path / "partner.xlsx", tmp_path / "release-report.xlsx"
    code, stdout, err = cli(capsys, *_partner(database, out, "--release-report", str(report),
                                              "--approved-by", "Dana Chair",
                                              "--accept-residue"))
    assert code == 0, err
    assert out.exists() and report.exists() and "Approved by Dana Chair" in stdout
    method = _method(out)
    assert method["Release approved"].startswith("Approved by the panel chair on ")
    assert "still looking personal" in method["Release approved"]
    core = _core_properties(out)
    assert core["creator"] == "Case File Audit"
    assert core["lastModifiedBy"] == "Case File Audit"
    with zipfile.ZipFile(out) as archive:
        every_part = " ".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert "Dana Chair" not in every_part and "Test User" not in every_part
    assert "Member 1" in every_part and REVIEWERS[0] not in every_part
    db = open_database(database[0])
    try:
        logged = [c for c in list_changes(db, audit_id=database[1].audit_id)
                  if c.entity == "export"]
    finally:
        db.close()
    assert len(logged) == 1 and logged[0].actor == "Dana Chair"
    assert "Dana Chair" in logged[0].detail and logged[0].new_value == "partner.xlsx"
    rows = list(load_workbook(report)["Release check"].iter_rows(min_row=2, values_only=True))
    assert any(DOUBTFUL_NAME in str(row[1]) for row in rows)


def test_member_names_and_references_can_be_kept(capsys: pytest.CaptureFixture[str],
                                                 database: tuple[str, BuiltAudit],
                                                 tmp_path: Path) -> None:
    out = tmp_path / "partner.xlsx"
    code, _, err = cli(capsys, *_partner(database, out, "--release-report",
                                         str(tmp_path / "r.csv"), "--approved-by", "Dana Chair",
                                         "--accept-residue", "--keep-member-names",
                                         "--keep-references"))
    assert code == 0, err
    assert _method(out)["Release approved"].startswith("Approved by Dana Chair on ")
    cases = list(load_workbook(out)["Cases"].iter_rows(values_only=True))
    reviewers = cases[0].index("Reviewers")
    assert {row[1] for row in cases[1:]} == set(database[1].references)
    assert any(REVIEWERS[0] in str(row[reviewers]) for row in cases[1:])


def test_a_partner_copy_is_pseudonymised_by_default(capsys: pytest.CaptureFixture[str],
                                                    database: tuple[str, BuiltAudit],
                                                    tmp_path: Path) -> None:
    out = tmp_path / "partner.xlsx"
    code, _, err = cli(capsys, *_partner(database, out, "--release-report",
                                         str(tmp_path / "r.csv"), "--approved-by", "Dana Chair",
                                         "--accept-residue"))
    assert code == 0, err
    cases = list(load_workbook(out)["Cases"].iter_rows(min_row=2, values_only=True))
    assert all(str(row[1]).startswith("CASE-") for row in cases)


def test_an_internal_copy_names_the_product_as_author(capsys: pytest.CaptureFixture[str],
                                                      database: tuple[str, BuiltAudit],
                                                      tmp_path: Path) -> None:
    path, built = database
    out = tmp_path / "internal.xlsx"
    code, _, err = cli(capsys, "--db", path, "export", "--audit", str(built.audit_id), "--out",
                       str(out))
    assert code == 0, err
    assert _core_properties(out)["creator"] == "Case File Audit"
    assert "Test User" not in _core_xml(out)
    summary = {row[0]: row[1] for row in load_workbook(out)["Summary"].iter_rows(values_only=True)}
    # Who exported it is the person the command was run as ($AUDIT_APP_USER here), never
    # the computer's login name.
    assert summary["Exported by"] == "Test User"


def test_an_extract_never_seen_before_leaves_nothing_personal(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Unknown columns (a suspect's name, a date of birth, an address, a phone) stay behind;
    the column marked shareable goes, scrubbed; the release report says what was replaced."""
    database = str(tmp_path / "new.sqlite3")
    code, out, err = cli(capsys, "--db", database, "audit", "create", "--name", "Q4 review",
                         "--framework", "da-nfa-review", "--json")
    assert code == 0, err
    audit = str(json.loads(out)["id"])
    extract = tmp_path / "extract.csv"
    personal = []
    with extract.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Crime Ref", "HO Outcome", "Area", "Offender", "Victim DOB",
                         "Home Address", "Contact No", "Closing Comment"])
        for index in range(12):
            row = [f"CR/{index:05d}/26", 16, "North", f"Quillam Zorbex{chr(65 + index)}",
                   f"0{index % 9 + 1}/03/1990", f"{index + 3} Larkspur Close",
                   f"07700 900{index:03d}",
                   f"Victim called from 07700 900{index:03d}; Zorbex{chr(65 + index)} left"]
            personal += row[3:7]
            writer.writerow(row)
    code, out, err = cli(capsys, "--db", database, "import", str(extract), "--audit", audit,
                         "--shareable", "Closing Comment")
    assert code == 0, err
    code, _, err = cli(capsys, "--db", database, "sample", "--audit", audit, "--size", "12",
                       "--seed", "3")
    assert code == 0, err
    out_path, report = tmp_path / "partner.xlsx", tmp_path / "report.csv"
    code, _stdout, err = cli(capsys, "--db", database, "export", "--audit", audit, "--out",
                            str(out_path), "--for-partner", "--release-report", str(report),
                            "--approved-by", "Dana Chair", "--accept-residue")
    assert code == 0, err
    with zipfile.ZipFile(out_path) as archive:
        every_part = " ".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    for value in personal:
        assert value not in every_part, value
    assert "Zorbex" not in every_part and "CR/0000" not in every_part
    header = next(load_workbook(out_path)["Cases"].iter_rows(max_row=1, values_only=True))
    assert "Closing Comment" in header and "Offender" not in header
    assert "Victim DOB" not in header and "Contact No" not in header
    cases = list(load_workbook(out_path)["Cases"].iter_rows(min_row=2, values_only=True))
    comments = [row[header.index("Closing Comment")] for row in cases]
    assert all(comment.startswith("Victim called from [phone]") for comment in comments)
