"""Importing a population into an audit, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from audit_app.core.errors import Cancelled, InvalidFileError, NotFoundError, ValidationError
from audit_app.db.models import CaseRecord, ChangeLogRecord, PopulationImportRecord
from audit_app.services.audits import create_audit
from audit_app.services.cases import list_cases
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from audit_app.services.mapping_profiles import get_mapping_profile, list_mapping_profiles
from audit_app.services.population_import import (
    ExtractHasErrors,
    RemovalsNeedConsent,
    import_population,
    preview_extract,
    validate_extract,
    write_problem_report,
)
from tests.helpers.extract_files import write_csv, write_xlsx

HEADER = ["Crime Ref", "DA Flag", "Date Recorded", "Date Finalised", "HO Outcome", "Risk Grading",
          "OIC", "Victim Name", "Home Address", "Ward"]


def _row(reference: str, outcome: object = 16, risk: object = "High", recorded: object = None,
         finalised: object = None, ward: str = "W1") -> list[object]:
    return [reference, "Y", recorded or dt.date(2025, 1, 10), finalised or dt.date(2025, 2, 1),
            outcome, risk, "PC Example", "Ann Example", "1 High Street", ward]


def _audit(db: Database) -> int:
    return create_audit(db, name="DA NFA review", framework="da-nfa-review").id


def _case_count(db: Database, audit_id: int, *, removed: bool | None = None) -> int:
    with db.reading() as session:
        query = select(func.count()).select_from(CaseRecord).where(CaseRecord.audit_id == audit_id)
        if removed is not None:
            query = query.where(CaseRecord.removed.is_(removed))
        return int(session.scalar(query) or 0)


def _import_count(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(PopulationImportRecord)) or 0)


def test_import_maps_types_keeps_extra_and_records_everything(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    path = write_xlsx(tmp_path / "extract.xlsx", [["Force extract"], [], HEADER,
                                                   _row("A/1"), _row("A/2", outcome=10, risk="std")])
    preview = preview_extract(path)
    assert preview.header_row == 3 and preview.sheets == ["Crimes"]
    assert preview.suggested_personal == ["Victim Name", "Home Address"]
    result = import_population(db, audit_id=audit_id, path=path,
                               personal_columns=preview.suggested_personal, save_profile_as="Northshire")
    assert (result.rows_read, result.added, result.skipped, result.errors) == (2, 2, 0, [])
    cases = {case.reference: case for case in list_cases(db, audit_id=audit_id)}
    first = cases["A/1"]
    assert first.fields["outcome_code"] == 16 and first.fields["risk_level"] == "high"
    assert first.fields["da_flag"] is True and first.fields["date_recorded"] == dt.date(2025, 1, 10)
    assert first.fields["officer"] == "PC Example" and first.fields["victim_name"] == "Ann Example"
    assert first.extra == {"Home Address": "1 High Street", "Ward": "W1"}
    assert cases["A/2"].fields["risk_level"] == "standard"
    with db.reading() as session:
        record = session.scalars(select(PopulationImportRecord)).one()
        assert record.personal_columns == ["Victim Name", "Home Address"]
        assert record.mapping["reference"] == "Crime Ref" and record.header_row == 3
        assert (record.rows_read, record.rows_added, record.sheet) == (2, 2, "Crimes")
        assert len(record.file_sha256) == 64
    changes = list_changes(db, audit_id=audit_id)
    assert changes[0].entity == "population_import" and "2 added" in changes[0].detail
    profile = get_mapping_profile(db, "Northshire")
    assert profile.mapping["outcome_code"] == "HO Outcome"
    assert profile.personal_columns == ["Victim Name", "Home Address"]


def test_errors_import_nothing_and_name_row_column_value(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    rows = [HEADER, _row("A/1"), _row(""), _row("A/1"), _row("A/4", recorded="31/02/2025"),
            _row("A/5", outcome=25), _row("A/6", risk="Extreme"), _row("A/7")]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    with pytest.raises(ExtractHasErrors) as raised:
        import_population(db, audit_id=audit_id, path=path)
    found = {(p.row, p.column, p.value): p.message for p in raised.value.errors}
    assert found[(3, "Crime Ref", "")] == "missing crime reference"
    assert found[(4, "Crime Ref", "A/1")] == "duplicate crime reference (also on row 2)"
    assert "not a real date" in found[(5, "Date Recorded", "31/02/2025")]
    assert "unknown outcome code 25" in found[(6, "HO Outcome", "25")]
    assert "outside the scale" in found[(7, "Risk Grading", "Extreme")]
    assert "5 rows have errors, so nothing was imported" in str(raised.value)
    assert isinstance(raised.value, ValidationError)
    assert _case_count(db, audit_id) == 0 and _import_count(db) == 0
    assert validate_extract(path) == raised.value.problems


def test_valid_rows_only_is_a_recorded_choice(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    path = write_xlsx(tmp_path / "bad.xlsx", [HEADER, _row("A/1"), _row("A/2", outcome="x"),
                                               _row("A/3")])
    result = import_population(db, audit_id=audit_id, path=path, valid_rows_only=True)
    assert (result.added, result.skipped, len(result.errors)) == (2, 1, 1)
    assert result.errors[0].row == 3
    with db.reading() as session:
        record = session.scalars(select(PopulationImportRecord)).one()
        assert record.valid_rows_only and record.rows_skipped == 1
    assert "1 rows with errors skipped" in list_changes(db, audit_id=audit_id)[0].detail


def test_warnings_are_reported_but_do_not_block(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    path = write_xlsx(tmp_path / "warn.xlsx", [
        HEADER, _row("A/1", outcome=14), _row("A/2", outcome=18),
        _row("A/3", recorded=dt.date(2025, 3, 1), finalised=dt.date(2025, 2, 1))])
    result = import_population(db, audit_id=audit_id, path=path)
    assert result.added == 3 and result.errors == []
    messages = {(w.row, w.column): w.message for w in result.warnings}
    assert "outcome 14" in messages[(2, "HO Outcome")]
    assert "outcome 18" in messages[(3, "HO Outcome")]
    assert messages[(4, "Date Finalised")] == "finalised before it was recorded (01/03/2025)"


def test_reimport_reports_added_changed_unchanged_removed(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    first = write_xlsx(tmp_path / "q1.xlsx", [HEADER, _row("A/1"), _row("A/2"), _row("A/3"),
                                               _row("A/4")])
    import_population(db, audit_id=audit_id, path=first)
    newer = write_xlsx(tmp_path / "q2.xlsx", [HEADER, _row("A/1"), _row("A/2", outcome=15),
                                               _row("A/3", ward="W9"), _row("A/5")])
    # One of four is more than a tenth of the population: refused unless asked for.
    with pytest.raises(RemovalsNeedConsent) as refused:
        import_population(db, audit_id=audit_id, path=newer)
    assert (refused.value.removing, refused.value.population) == (1, 4)
    assert _case_count(db, audit_id, removed=True) == 0 and _import_count(db) == 1
    result = import_population(db, audit_id=audit_id, path=newer, allow_removals=True)
    assert (result.added, result.changed, result.unchanged, result.removed) == (1, 2, 1, 1)
    assert _case_count(db, audit_id) == 5  # removed cases are kept, only flagged
    assert _case_count(db, audit_id, removed=True) == 1
    live = {case.reference: case for case in list_cases(db, audit_id=audit_id)}
    assert set(live) == {"A/1", "A/2", "A/3", "A/5"}
    assert live["A/2"].fields["outcome_code"] == 15 and live["A/3"].extra["Ward"] == "W9"
    with db.reading() as session:
        removed_log = session.scalars(select(ChangeLogRecord).where(
            ChangeLogRecord.field == "removed")).one()
        assert removed_log.new_value == "True"
    # The case comes back when a later extract holds it again.
    again = import_population(db, audit_id=audit_id, path=first, allow_removals=True)
    assert (again.added, again.changed, again.removed) == (0, 3, 1)
    assert _case_count(db, audit_id, removed=True) == 1


def test_rows_skipped_for_errors_are_not_marked_removed(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    import_population(db, audit_id=audit_id,
                      path=write_xlsx(tmp_path / "a.xlsx", [HEADER, _row("A/1"), _row("A/2")]))
    bad = write_xlsx(tmp_path / "b.xlsx", [HEADER, _row("A/1"), _row("A/2", outcome=99)])
    result = import_population(db, audit_id=audit_id, path=bad, valid_rows_only=True)
    assert (result.unchanged, result.removed, result.skipped) == (1, 0, 1)


def test_a_failure_mid_import_leaves_the_database_as_it_was(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    rows = [HEADER, *(_row(f"A/{n}") for n in range(12_000))]
    path = write_csv(tmp_path / "big.csv", [[str(c) for c in row] for row in rows])

    def fail_part_way(done: int, total: int) -> None:
        if done >= 6000:
            raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError):
        import_population(db, audit_id=audit_id, path=path, progress=fail_part_way)
    assert _case_count(db, audit_id) == 0 and _import_count(db) == 0
    calls: list[int] = []
    with pytest.raises(Cancelled):
        import_population(db, audit_id=audit_id, path=path,
                          cancelled=lambda: len(calls) > 5 or bool(calls.append(1)))
    assert _case_count(db, audit_id) == 0 and _import_count(db) == 0


def test_progress_reaches_the_total(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    path = write_xlsx(tmp_path / "p.xlsx", [HEADER, *(_row(f"A/{n}") for n in range(2500))])
    seen: list[tuple[int, int]] = []
    import_population(db, audit_id=audit_id, path=path, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (2500, 2500)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_mapping_and_profile_layers(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    header = ["Occurrence", "Result Code", "Grading", "Notes"]
    path = write_csv(tmp_path / "odd.csv", [header, ["X/1", "16", "High", "n"]])
    with pytest.raises(ValidationError, match="Crime reference"):
        import_population(db, audit_id=audit_id, path=path)
    mapping = {"reference": "Occurrence", "outcome_code": "Result Code", "risk_level": "Grading"}
    result = import_population(db, audit_id=audit_id, path=path, mapping=mapping,
                               personal_columns=["Notes"], save_profile_as="Odd force")
    assert result.added == 1
    assert [p.name for p in list_mapping_profiles(db)] == ["Odd force"]
    second = create_audit(db, name="Next quarter", framework="da-nfa-review").id
    import_population(db, audit_id=second, path=path, mapping_profile="Odd force")
    case = list_cases(db, audit_id=second)[0]
    assert (case.fields["outcome_code"], case.fields["risk_level"], case.extra) == (16, "high",
                                                                                    {"Notes": "n"})
    with db.reading() as session:
        records = session.scalars(select(PopulationImportRecord).order_by(
            PopulationImportRecord.id)).all()
        assert records[-1].personal_columns == ["Notes"]  # taken from the profile


def test_bad_requests_change_nothing(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    path = write_xlsx(tmp_path / "ok.xlsx", [HEADER, _row("A/1")])
    with pytest.raises(NotFoundError):
        import_population(db, audit_id=audit_id + 99, path=path)
    with pytest.raises(NotFoundError, match="no saved column mapping"):
        import_population(db, audit_id=audit_id, path=path, mapping_profile="Nope")
    with pytest.raises(ValidationError, match="'Shoe Size'"):
        import_population(db, audit_id=audit_id, path=path, personal_columns=["Shoe Size"])
    with pytest.raises(InvalidFileError, match="no sheet named"):
        import_population(db, audit_id=audit_id, path=path, sheet="Sheet9")
    assert _case_count(db, audit_id) == 0 and _import_count(db) == 0


def _with_huge_cell(path: Path, placeholder: str, size: int) -> Path:
    """openpyxl cuts cells to Excel's 32,767 characters, so swap a placeholder in the XML."""
    huge = path.with_name("huge-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename,
                            source.read(info.filename).replace(placeholder.encode(), b"x" * size))
    return huge


def test_fifty_megabyte_cell_in_a_workbook_changes_nothing(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    plain = write_xlsx(tmp_path / "cell.xlsx", [HEADER, _row("A/1"), _row("A/2", ward="HUGECELL")])
    path = _with_huge_cell(plain, "HUGECELL", 50_000_000)
    with pytest.raises(InvalidFileError, match="Row 3, column 'Ward' holds 50,000,000 characters"):
        import_population(db, audit_id=audit_id, path=path)
    assert _case_count(db, audit_id) == 0 and _import_count(db) == 0


def test_text_longer_than_the_database_column_is_a_row_error(db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    path = write_xlsx(tmp_path / "long.xlsx", [HEADER, _row("R" * 101)])
    with pytest.raises(ExtractHasErrors) as raised:
        import_population(db, audit_id=audit_id, path=path)
    assert raised.value.errors[0].message == "longer than 100 characters"
    assert raised.value.errors[0].value.endswith("…") is False


def test_problem_report_is_a_csv_with_inert_values(tmp_path: Path) -> None:
    row = [str(cell) for cell in _row("A/1", outcome="=HYPERLINK(1)")]
    path = write_csv(tmp_path / "bad.csv", [HEADER, row])
    problems = validate_extract(path)
    report = tmp_path / "problems.csv"
    write_problem_report(problems, report)
    with report.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["row", "column", "value", "severity", "message"]
    assert lines[1][:4] == ["2", "HO Outcome", "'=HYPERLINK(1)", "error"]


KILL_PART_WAY = """
import os, signal, sys
from pathlib import Path
from audit_app.services.database import open_database
from audit_app.services.population_import import import_population

def kill_part_way(done, total):
    if done >= 7000:  # the first bulk chunk is already written inside the transaction
        os.kill(os.getpid(), signal.SIGKILL)

database = open_database(sys.argv[1])
import_population(database, audit_id=int(sys.argv[2]), path=Path(sys.argv[3]), progress=kill_part_way)
"""


def test_a_killed_import_leaves_the_database_as_it_was(sqlite_db: Database, tmp_path: Path) -> None:
    audit_id = _audit(sqlite_db)
    rows = [HEADER, *([str(c) for c in _row(f"A/{n}")] for n in range(12_000))]
    path = write_csv(tmp_path / "big.csv", rows)
    assert sqlite_db.file_path is not None
    child = subprocess.run([sys.executable, "-c", KILL_PART_WAY, str(sqlite_db.file_path),
                            str(audit_id), str(path)], capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    sqlite_db.close()
    reopened = open_database(sqlite_db.file_path)
    try:
        assert _case_count(reopened, audit_id) == 0 and _import_count(reopened) == 0
        assert import_population(reopened, audit_id=audit_id, path=path).added == 12_000
    finally:
        reopened.close()


def test_preview_shows_the_first_rows_as_text(tmp_path: Path) -> None:
    rows = [["Title"], HEADER, *(_row(f"A/{n}") for n in range(30)), [], _row("A/99", ward="w" * 900)]
    path = write_xlsx(tmp_path / "p.xlsx", rows, more_sheets={"Notes": [["x"]]})
    preview = preview_extract(path, rows=5)
    assert (preview.sheets, preview.sheet, preview.header_row) == (["Crimes", "Notes"], "Crimes", 2)
    assert preview.total_rows == 32  # rows below the header, the blank one included
    assert len(preview.rows) == 5
    assert preview.rows[0][:5] == ["A/0", "Y", "2025-01-10", "2025-02-01", "16"]
    assert preview.suggested_mapping["reference"] == "Crime Ref"
    assert "Ward" not in preview.suggested_mapping.values()
    last = preview_extract(path, rows=100).rows[-1]
    assert last[0] == "A/99" and len(last[-1]) == 500
    csv_preview = preview_extract(write_csv(tmp_path / "p.csv", [HEADER, ["A/1"]]))
    assert (csv_preview.sheets, csv_preview.sheet, csv_preview.total_rows) == ([], None, 1)
