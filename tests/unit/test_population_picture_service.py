"""The population picture read from a real database (SQLite and PostgreSQL), on the workbook's
Population sheet (internal and partner copies read back), in `stats --json`, and for a
purged audit."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit_app.cli import main
from audit_app.services import retention
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.export import check_partner_release, export_workbook
from audit_app.services.population_import import import_population
from audit_app.services.population_picture import CASE_DATA_DELETED, get_population_picture
from audit_app.services.release import ReleaseApproval
from tests.helpers.population_extract import (
    EXCEPTION_REFERENCES,
    HEADERS,
    ROWS,
    write_population_extract,
)


def imported(db: Database, tmp_path: Path) -> int:
    audit = create_audit(db, name="Spring DA review", framework="da-nfa-review")
    import_population(db, audit_id=audit.id,
                      path=write_population_extract(tmp_path / "extract.csv"))
    return audit.id


def purged(db: Database) -> int:
    audit = create_demo(db, seed=3, population=60, sample_size=8)
    retention.close_audit(db, audit_id=audit.id)
    retention.set_retention(db, audit_id=audit.id, retain_until=dt.date(2027, 1, 1))
    retention.purge_audit(db, audit_id=audit.id, today=dt.date(2027, 1, 2))
    return audit.id


def sheet_rows(path: Path) -> list[tuple[object, ...]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in workbook["Population"].iter_rows(values_only=True)]
    finally:
        workbook.close()


def every_part(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace")
                         for name in archive.namelist())


def test_the_service_reads_every_imported_case(db: Database, tmp_path: Path) -> None:
    audit_id = imported(db, tmp_path)
    picture = get_population_picture(db, audit_id=audit_id)
    assert picture.cases == len(ROWS) and picture.outcome_16.count == 5
    lists = {listing.key: listing.references for listing in picture.exceptions}
    assert lists["high_risk_without_marac"] == ("PX/0001/26", "PX/0006/26")
    assert picture.delay.median == 8.5
    not_imported = {rate.key for rate in picture.rates if not rate.in_extract}
    assert not_imported == {"dvpn", "dvpo", "idva_referral", "bwv_present"}


def test_cases_removed_by_a_later_import_are_left_out(sqlite_db: Database,
                                                      tmp_path: Path) -> None:
    audit_id = imported(sqlite_db, tmp_path)
    smaller = tmp_path / "smaller.csv"
    smaller.write_text(",".join(HEADERS) + "\n"
                       + "\n".join(",".join(row) for row in ROWS[:4]) + "\n", encoding="utf-8")
    import_population(sqlite_db, audit_id=audit_id, path=smaller, allow_removals=True)
    picture = get_population_picture(sqlite_db, audit_id=audit_id)
    assert picture.cases == 4
    assert {o.code: o.count for o in picture.outcomes} == {15: 2, 16: 2}


def test_population_sheet_internal_lists_references_partner_counts_only(
        sqlite_db: Database, tmp_path: Path) -> None:
    audit_id = imported(sqlite_db, tmp_path)
    internal = tmp_path / "internal.xlsx"
    export_workbook(sqlite_db, audit_id=audit_id, path=internal)
    rows = sheet_rows(internal)
    assert rows[0][:4] == ("Part", "Item", "Count", "n")
    listed = {row[1] for row in rows if row[0] == "Exception case"}
    assert listed == set(EXCEPTION_REFERENCES)
    figures = {(row[0], row[1]): row for row in rows}
    assert figures[("Population", "Cases in the imported extract")][2] == 10
    sixteen = next(row for row in rows if row[0] == "Outcome 16 share")
    assert (sixteen[2], sixteen[3], sixteen[4]) == (5, 10, 0.5)
    arrested = next(row for row in rows if row[0] == "Rate" and "arrested" in str(row[1]))
    assert (arrested[2], arrested[3]) == (5, 8)
    assert any(row[0] == "Rate" and "DVPN issued: not in the extract" in str(row[7])
               for row in rows)

    for pseudonymise in (True, False):  # without pseudonyms a listed reference would be real
        check = check_partner_release(sqlite_db, audit_id=audit_id, pseudonymise=pseudonymise)
        partner = tmp_path / f"partner-{pseudonymise}.xlsx"
        export_workbook(sqlite_db, audit_id=audit_id, path=partner, for_partner=True,
                        pseudonymise=pseudonymise,
                        approval=ReleaseApproval.of(check, "Dana Chair"))
        partner_rows = sheet_rows(partner)
        assert not [row for row in partner_rows if row[0] == "Exception case"]
        counts = [row[2] for row in partner_rows if row[0] == "Exceptions"]
        assert counts == [2, 1, 2]
        text = every_part(partner)
        for reference in EXCEPTION_REFERENCES:
            assert reference not in text


def test_stats_json_carries_the_population(sqlite_db: Database, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    audit_id = imported(sqlite_db, tmp_path)
    database = str(sqlite_db.file_path)
    assert main(["--db", database, "stats", "--audit", str(audit_id), "--json"]) == 0
    population = json.loads(capsys.readouterr().out)["population"]
    assert population["cases"] == 10 and population["outcome_16"] == {
        "count": 5, "share": 0.5, "n": 10}
    assert population["days_to_tell_victim"]["median"] == 8.5
    rates = {rate["field"]: rate for rate in population["rates"]}
    assert (rates["marac_referral"]["count"], rates["marac_referral"]["n"]) == (1, 3)
    assert rates["bwv_present"]["in_extract"] is False
    assert main(["--db", database, "stats", "--audit", str(audit_id)]) == 0
    out = capsys.readouterr().out
    assert "Outcome 16 (victim does not support or withdrew): 5 of 10 = 50%" in out
    assert "Body-worn video: not in the extract" in out
    assert "High risk without a MARAC referral: 2 (PX/0001/26, PX/0006/26)" in out
    assert "_" not in out.split("Population (every imported case)")[1]  # no internal names


def test_a_purged_audit_says_so_everywhere_and_never_fails(
        sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    audit_id = purged(sqlite_db)
    picture = get_population_picture(sqlite_db, audit_id=audit_id)
    assert picture.case_data_deleted == CASE_DATA_DELETED and picture.cases == 0
    path = tmp_path / "purged.xlsx"
    export_workbook(sqlite_db, audit_id=audit_id, path=path)
    rows = sheet_rows(path)
    assert rows[1][1] == "The case data was deleted under the retention rule."
    assert len(rows) == 2
    database = str(sqlite_db.file_path)
    assert main(["--db", database, "stats", "--audit", str(audit_id), "--json"]) == 0
    population = json.loads(capsys.readouterr().out)["population"]
    assert population["case_data_deleted"] == CASE_DATA_DELETED
    assert main(["--db", database, "stats", "--audit", str(audit_id)]) == 0
    assert "Population: The case data was deleted under the retention rule." in \
        capsys.readouterr().out


def test_the_databases_counts_match_one_pass_over_the_rows(db: Database) -> None:
    """The service counts with SQL; the core can count rows itself: the same picture."""
    from sqlalchemy import select

    from audit_app.core.population_picture import ROW_FIELDS, PopulationRow, population_picture
    from audit_app.db.models import CaseRecord

    audit = create_demo(db, seed=11, population=400, sample_size=10)
    with db.reading() as session:
        rows = [PopulationRow(*values) for values in session.execute(
            select(*[getattr(CaseRecord, key) for key in ROW_FIELDS])
            .where(CaseRecord.audit_id == audit.id))]
    from_rows = population_picture(rows)
    from_database = get_population_picture(db, audit_id=audit.id)
    assert from_database == from_rows
    assert all(listing.count for listing in from_database.exceptions)  # each rule is exercised
