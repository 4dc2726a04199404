"""`audit-app import`: column classification, --shareable, and refusals that change nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from audit_app.db.models import CaseRecord, PopulationImportRecord
from audit_app.services import sampling
from audit_app.services.database import open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.scoring import record_answer
from tests.helpers.cli import run_cli as cli
from tests.helpers.cli import run_json as cli_json

HEADER = ["Crime Ref", "HO Outcome", "Victim Name", "Mobile", "Comments", "Ward", "Date of Birth"]
FIRST_NAMES = ["Ann", "Bob", "Cat", "Dev", "Eve", "Fay", "Gus", "Hal", "Ida", "Joe"]
SURNAMES = ["Smith", "Jones", "Brown", "Patel", "Khan", "Evans"]


def _row(number: int, victim: str | None = None) -> list[str]:
    name = victim or f"{FIRST_NAMES[number % 10]} {SURNAMES[number % 6]}"
    return [f"CR/{number:04d}/26", "16", name, f"07700 900{number % 1000:03d}",
            f"Spoke to the victim at home on day {number}; she declined to make a statement",
            f"W{number % 4}", f"{1 + number % 28:02d}/03/19{60 + number % 30}"]


def write_extract(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def database(tmp_path: Path) -> str:
    return str(tmp_path / "privacy.sqlite3")


def _audit(capsys: pytest.CaptureFixture[str], database: str, name: str = "Privacy") -> str:
    return str(cli_json(capsys, "--db", database, "audit", "create", "--name", name,
                        "--framework", "da-nfa-review")["id"])


def _counts(database: str) -> tuple[int, int, int]:
    """(live cases, removed cases, imports), read straight from the database."""
    db = open_database(database)
    try:
        with db.reading() as session:
            def count(*where: Any) -> int:
                return int(session.scalar(select(func.count()).select_from(CaseRecord)
                                          .where(*where)) or 0)
            imports = int(session.scalar(
                select(func.count()).select_from(PopulationImportRecord)) or 0)
            return count(CaseRecord.removed.is_(False)), count(CaseRecord.removed.is_(True)), imports
    finally:
        db.close()


def _latest_import(database: str) -> PopulationImportRecord:
    db = open_database(database)
    try:
        with db.reading() as session:
            record = session.scalars(select(PopulationImportRecord)
                                     .order_by(PopulationImportRecord.id.desc())).first()
            assert record is not None
            session.expunge(record)
            return record
    finally:
        db.close()


def test_classification_is_printed_stored_and_in_json(capsys: pytest.CaptureFixture[str],
                                                      database: str, tmp_path: Path) -> None:
    audit = _audit(capsys, database)
    extract = write_extract(tmp_path / "extract.csv", [_row(n) for n in range(1, 31)])
    imported = cli_json(capsys, "--db", database, "import", str(extract), "--audit", audit,
                        "--shareable", "Ward")
    columns = {c["column"]: (c["classification"], c["shareable"]) for c in imported["columns"]}
    assert columns == {"Crime Ref": ("other", True), "HO Outcome": ("other", True),
                       "Victim Name": ("personal", False), "Mobile": ("personal", False),
                       "Comments": ("free text", False), "Ward": ("other", True),
                       "Date of Birth": ("personal", False)}
    assert all(c["reason"] for c in imported["columns"])
    record = _latest_import(database)
    assert record.shareable_columns == ["Ward"]
    assert record.column_classes == {header: classification
                                     for header, (classification, _) in columns.items()}

    code, out, _ = cli(capsys, "--db", database, "import", str(extract), "--audit", audit)
    assert code == 0
    table = out[out.index("Column "):].splitlines()
    assert table[0].split() == ["Column", "Shareable", "Why"]
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in table[2:]}
    assert rows["Comments"][0] == "no" and rows["Comments"][1].startswith("Free text:")
    assert rows["Ward"][0] == "no"  # not asked this time
    assert rows["Mobile"][1].startswith("Looks personal:")
    assert any(line.startswith("HO Outcome") and "Known safe" in line for line in table)
    assert "_" not in out  # plain English, no internal names


def test_a_saved_mapping_remembers_shareable_columns(capsys: pytest.CaptureFixture[str],
                                                     database: str, tmp_path: Path) -> None:
    extract = write_extract(tmp_path / "extract.csv", [_row(n) for n in range(1, 11)])
    cli_json(capsys, "--db", database, "import", str(extract), "--audit", _audit(capsys, database),
             "--shareable", "Ward", "--save-mapping", "Northshire")
    reused = cli_json(capsys, "--db", database, "import", str(extract),
                      "--audit", _audit(capsys, database, "Next quarter"), "--mapping", "Northshire")
    assert [c["column"] for c in reused["columns"] if c["shareable"]] == \
        ["Crime Ref", "HO Outcome", "Ward"]
    assert _latest_import(database).shareable_columns == ["Ward"]


@pytest.mark.parametrize(("options", "expected"), [
    (("--shareable", "Postcode"), "'Postcode'"),
    (("--shareable", "Mobile"), "'Mobile' cannot be marked shareable"),
    (("--shareable", "Victim Name"), "'Victim Name' cannot be marked shareable"),
    (("--shareable", "Ward", "--personal", "Ward"), "both personal and shareable"),
])
def test_bad_shareable_columns_change_nothing(capsys: pytest.CaptureFixture[str], database: str,
                                              tmp_path: Path, options: tuple[str, ...],
                                              expected: str) -> None:
    audit = _audit(capsys, database)
    extract = write_extract(tmp_path / "extract.csv", [_row(n) for n in range(1, 11)])
    code, out, err = cli(capsys, "--db", database, "import", str(extract), "--audit", audit,
                         *options)
    assert code == 2 and len(err.splitlines()) == 1 and expected in err
    assert "07700" not in err + out and "Smith" not in err + out
    assert _counts(database) == (0, 0, 0)


def _sampled_and_scored(database: str, audit: str) -> tuple[set[str], str]:
    """Draw 10 of the cases and score one; returns the sampled references and the scored one."""
    db = open_database(database)
    try:
        sampling.draw_sample(db, audit_id=int(audit), size=10, seed=3)
        sample = sampling.get_sample(db, audit_id=int(audit))
        code = get_framework(db, "da-nfa-review").criteria[0].code
        record_answer(db, audit_id=int(audit), case_id=sample[0].case.id, reviewer="Panel Member",
                      criterion_code=code, value="not_met", note="")
        return {row.case.reference for row in sample}, sample[0].case.reference
    finally:
        db.close()


def test_header_only_and_shrinking_extracts_are_refused(capsys: pytest.CaptureFixture[str],
                                                        database: str, tmp_path: Path) -> None:
    audit = _audit(capsys, database)
    rows = [_row(n) for n in range(1, 51)]
    cli_json(capsys, "--db", database, "import", str(write_extract(tmp_path / "all.csv", rows)),
             "--audit", audit)
    sampled, scored = _sampled_and_scored(database, audit)
    before = _counts(database)
    assert before == (50, 0, 1)

    header_only = write_extract(tmp_path / "header.csv", [])
    for extra in ((), ("--allow-removals",)):
        code, _, err = cli(capsys, "--db", database, "import", str(header_only), "--audit", audit,
                           *extra)
        assert code == 2 and len(err.splitlines()) == 1 and "no case rows" in err
        assert _counts(database) == before

    kept = [row for row in rows if row[0] not in sampled][:10]
    assert scored not in {row[0] for row in kept}
    shrunk = write_extract(tmp_path / "shrunk.csv", kept)
    code, _, err = cli(capsys, "--db", database, "import", str(shrunk), "--audit", audit)
    assert code == 2 and len(err.splitlines()) == 1
    assert "would remove 40 of 50 cases, 10 of them sampled and 1 scored" in err
    assert "--allow-removals" in err
    assert _counts(database) == before
    code, out, _ = cli(capsys, "--db", database, "import", str(shrunk), "--audit", audit, "--json")
    refused = json.loads(out)
    assert code == 2 and refused["imported"] is False
    assert (refused["would_remove"], refused["population"], refused["sampled"],
            refused["scored"]) == (40, 50, 10, 1)
    assert _counts(database) == before

    allowed = cli_json(capsys, "--db", database, "import", str(shrunk), "--audit", audit,
                       "--allow-removals")
    assert (allowed["removed"], allowed["unchanged"]) == (40, 10)
    assert _counts(database) == (10, 40, 2)


def test_a_small_removal_of_unsampled_cases_needs_no_flag(capsys: pytest.CaptureFixture[str],
                                                          database: str, tmp_path: Path) -> None:
    audit = _audit(capsys, database)
    rows = [_row(n) for n in range(1, 21)]
    cli_json(capsys, "--db", database, "import", str(write_extract(tmp_path / "a.csv", rows)),
             "--audit", audit)
    again = cli_json(capsys, "--db", database, "import",
                     str(write_extract(tmp_path / "b.csv", rows[:18])), "--audit", audit)
    assert again["removed"] == 2  # a tenth exactly is routine churn
    code, _, err = cli(capsys, "--db", database, "import",
                       str(write_extract(tmp_path / "c.csv", rows[:15])), "--audit", audit)
    assert code == 2 and "would remove 3 of 18 cases, 0 of them sampled and 0 scored" in err


def test_problem_lines_never_quote_names(capsys: pytest.CaptureFixture[str], database: str,
                                         tmp_path: Path) -> None:
    audit = _audit(capsys, database)
    long_name = "Zebedee Quixote-Marchbanks " * 12  # over the 300 characters a name may have
    rows = [_row(n) for n in range(1, 6)] + [_row(6, victim=long_name.strip())]
    extract = write_extract(tmp_path / "extract.csv", rows)
    report = tmp_path / "problems.csv"
    code, out, err = cli(capsys, "--db", database, "import", str(extract), "--audit", audit,
                         "--report", str(report))
    assert code == 2 and "row 7" in out and "Victim Name" in out
    assert "Zebedee" not in out + err
    code, out, _ = cli(capsys, "--db", database, "import", str(extract), "--audit", audit, "--json")
    assert code == 2 and "Zebedee" not in out
    assert json.loads(out)["problems"][0]["row"] == 7
    assert "Zebedee" in report.read_text(encoding="utf-8-sig")  # the user's own private report
    assert _counts(database) == (0, 0, 0)
