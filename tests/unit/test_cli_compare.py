"""`audit-app stats --compare-with` and `export --compare-with`, run for real on a SQLite file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from audit_app.core.answers import Answer
from audit_app.db.models import AuditRecord
from audit_app.services.comparison import AuditComparison, compare_audits
from audit_app.services.database import Database, open_database
from tests.helpers.audits import VICTIMS, add_consensus, build_audit
from tests.helpers.cli import run_cli as cli
from tests.helpers.templates import build_sqlite, copy_sqlite

EARLIER_NAME = f"Q2 review after {VICTIMS[0]}'s complaint"  # a name to scrub from a partner copy


def _build_two(db: Database) -> tuple[int, int]:
    earlier = build_audit(db, cases=6)
    later = build_audit(db, cases=6)
    add_consensus(db, later, 2, Answer.MET)
    with db.transaction() as session:
        session.execute(update(AuditRecord).where(AuditRecord.id == earlier.audit_id)
                        .values(name=EARLIER_NAME))
    return later.audit_id, earlier.audit_id


@pytest.fixture(scope="module")
def _two_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[int, int]]:
    """Built once (speed only); each test gets its own copy of the database."""
    return build_sqlite(tmp_path_factory.mktemp("compare"), "audit.sqlite3", _build_two)


@pytest.fixture
def two_audits(_two_template: tuple[Path, tuple[int, int]], tmp_path: Path) -> tuple[str, int, int]:
    """A database path, the later audit's id and the earlier audit's id."""
    template, (later, earlier) = _two_template
    return str(copy_sqlite(template, tmp_path / "audit.sqlite3")), later, earlier


def expected_comparison(path: str, audit_id: int, earlier_id: int) -> AuditComparison:
    db = open_database(path)
    try:
        return compare_audits(db, audit_id=audit_id, earlier_audit_id=earlier_id)
    finally:
        db.close()


def test_stats_compare_with_prints_both_rates_and_the_change(
        capsys: pytest.CaptureFixture[str], two_audits: tuple[str, int, int]) -> None:
    path, later, earlier = two_audits
    code, stdout, err = cli(capsys, "--db", path, "stats", "--audit", str(later),
                            "--compare-with", str(earlier))
    assert code == 0, err
    expected = expected_comparison(path, later, earlier)
    assert f"Compared with {EARLIER_NAME} (audit {earlier})" in stdout
    assert expected.notice in stdout
    assert expected.overall is not None and expected.overall.sentence in stdout
    assert "All shared criteria pooled over cases:" in expected.overall.sentence
    header = next(line for line in stdout.splitlines() if line.startswith("Criterion  Last"))
    assert "Change (95% interval)" in header and "Significant" in header
    first = expected.rows[0]
    assert first.difference is not None
    line = next(line for line in stdout.splitlines()
                if line.startswith(first.criterion_code + " ") and " pts" in line)
    low, high = round(first.difference.low * 100), round(first.difference.high * 100)
    assert f"{low:+d} pts to {high:+d} pts" in line
    assert f"{first.before.rate:.0%} of {first.before.denominator}" in line
    assert f"{first.now.rate:.0%} of {first.now.denominator}" in line
    assert line.rstrip().endswith("yes" if first.difference.significant else "no")
    assert "criterion_code" not in stdout and "_" not in stdout.split("Compared with")[1]


def test_stats_compare_with_json_gives_the_same(capsys: pytest.CaptureFixture[str],
                                                two_audits: tuple[str, int, int]) -> None:
    path, later, earlier = two_audits
    code, stdout, _ = cli(capsys, "--db", path, "--json", "stats", "--audit", str(later),
                          "--compare-with", str(earlier))
    assert code == 0
    payload = json.loads(stdout)
    expected = expected_comparison(path, later, earlier)
    assert payload["headline"]["audit_id"] == later  # the findings are still there
    comparison = payload["comparison"]
    assert comparison["notice"] == expected.notice
    assert expected.overall is not None
    assert comparison["overall"]["cases_now"] == expected.overall.now.cases
    assert [row["criterion"] for row in comparison["criteria"]] == [
        row.criterion_code for row in expected.rows]
    first, row = comparison["criteria"][0], expected.rows[0]
    assert row.difference is not None
    assert (first["rate_before"], first["rate_now"]) == (row.before.rate, row.now.rate)
    assert (first["ci_low"], first["ci_high"], first["significant"]) == (
        row.difference.low, row.difference.high, row.difference.significant)


@pytest.mark.parametrize("command", ["stats", "export"])
@pytest.mark.parametrize("other", ["same", "999"])
def test_bad_compare_ids_one_line_exit_2_nothing_written(
        capsys: pytest.CaptureFixture[str], two_audits: tuple[str, int, int], tmp_path: Path,
        command: str, other: str) -> None:
    path, later, _ = two_audits
    compare_with = str(later) if other == "same" else other
    out = tmp_path / "compared.xlsx"
    extra = ["--out", str(out)] if command == "export" else []
    code, stdout, err = cli(capsys, "--db", path, command, "--audit", str(later),
                            "--compare-with", compare_with, *extra)
    assert code == 2 and stdout == "" and len(err.strip().splitlines()) == 1
    assert ("cannot be compared with itself" if other == "same" else "No audit with id 999") \
        in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.sqlite3"]


def test_export_compare_with_adds_the_comparison_sheet(capsys: pytest.CaptureFixture[str],
                                                       two_audits: tuple[str, int, int],
                                                       tmp_path: Path) -> None:
    path, later, earlier = two_audits
    out = tmp_path / "compared.xlsx"
    code, _, err = cli(capsys, "--db", path, "export", "--audit", str(later), "--out", str(out),
                       "--compare-with", str(earlier))
    assert code == 0, err
    workbook = load_workbook(out)
    assert workbook.sheetnames[-2:] == ["Comparison", "Method"]
    rows = list(workbook["Comparison"].iter_rows(values_only=True))
    assert rows[0][-1] == f"Significant (vs {EARLIER_NAME})"
    expected = expected_comparison(path, later, earlier)
    overall, data, notes = rows[1], rows[2:-3], rows[-3:]
    assert expected.overall is not None and overall[0] == "All shared"
    assert overall[2:8] == (expected.overall.before.met, expected.overall.before.scored,
                            pytest.approx(expected.overall.before.rate),
                            expected.overall.now.met, expected.overall.now.scored,
                            pytest.approx(expected.overall.now.rate))
    assert [(r[0], r[2], r[3], r[5], r[6]) for r in data] == [
        (e.criterion_code, e.before.met, e.before.denominator, e.now.met, e.now.denominator)
        for e in expected.rows]
    first = expected.rows[0].difference
    assert first is not None
    assert data[0][8:11] == pytest.approx((first.difference, first.low, first.high))
    assert notes[0][:2] == ("Note", expected.notice) and "Newcombe" in notes[1][1]


def test_partner_copy_compare_with_scrubs_the_earlier_audit_name(
        capsys: pytest.CaptureFixture[str], two_audits: tuple[str, int, int],
        tmp_path: Path) -> None:
    path, later, earlier = two_audits
    out, report = tmp_path / "partner.xlsx", tmp_path / "release.csv"
    code, _, err = cli(capsys, "--db", path, "export", "--audit", str(later), "--out", str(out),
                       "--compare-with", str(earlier), "--for-partner", "--release-report",
                       str(report), "--approved-by", "Dana Chair", "--accept-residue")
    assert code == 0, err
    rows = list(load_workbook(out)["Comparison"].iter_rows(values_only=True))
    assert len(rows) == len(expected_comparison(path, later, earlier).rows) + 5
    assert rows[0][-1].startswith("Significant (vs Q2 review after ")
    with zipfile.ZipFile(out) as archive:
        text = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                         if name.endswith(".xml"))
    assert VICTIMS[0] not in text and "Featherstone" not in text
    assert "Comparison sheet, earlier audit name" in report.read_text(encoding="utf-8")
