"""The findings workbook is one consistent snapshot, and exporting writes nothing.

An answer saved while an export is reading (here from the export's own cancel check, on
another connection) must not show in any sheet: the workbook is the audit as it stood when
the export began, on SQLite and on PostgreSQL alike. The next export shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from audit_app.core.answers import Answer
from audit_app.db.models import AuditRecord
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.export_snapshot import SnapshotWriteError, read_snapshot
from tests.helpers.audits import REVIEWERS, BuiltAudit, build_audit, partner_export

SAVED_MID_EXPORT = "Saved while the export was reading"


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's values, but the export date (two exports may straddle midnight)."""
    workbook = load_workbook(path, read_only=True)
    sheets = {sheet.title: [row for row in sheet.iter_rows(values_only=True)
                            if row[0] != "Exported on"] for sheet in workbook}
    workbook.close()
    return sheets


def _save_an_answer(db: Database, built: BuiltAudit) -> None:
    """Member one's first answer on case 1 becomes "not met", with a note."""
    scoring.record_answer(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                          reviewer=REVIEWERS[0], criterion_code=built.codes[0],
                          value=Answer.NOT_MET, note=SAVED_MID_EXPORT)


def _assert_consistent_under_a_concurrent_save(db: Database, tmp_path: Path,
                                               **options: Any) -> None:
    earlier = build_audit(db, cases=6)
    built = build_audit(db)
    before = tmp_path / "before.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=before, compare_with=earlier.audit_id,
                    **options)
    saves: list[int] = []

    def save_once_while_reading() -> bool:
        if not saves:
            _save_an_answer(db, built)  # a new session: another connection, committed
            saves.append(1)
        return False

    during = tmp_path / "during.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=during, compare_with=earlier.audit_id,
                    cancelled=save_once_while_reading, **options)
    assert saves == [1]
    assert _cells(during) == _cells(before)

    after = tmp_path / "after.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=after, compare_with=earlier.audit_id,
                    **options)
    notes = [row[6] for row in _cells(after)["Answers"]]
    assert SAVED_MID_EXPORT in notes  # the save was real: the next export shows it
    assert _cells(after)["Criteria"] != _cells(before)["Criteria"]


def test_an_answer_saved_during_an_export_shows_in_no_sheet(db: Database,
                                                            tmp_path: Path) -> None:
    _assert_consistent_under_a_concurrent_save(db, tmp_path)


def test_a_pseudonymised_export_is_one_snapshot_too(db: Database, tmp_path: Path) -> None:
    _assert_consistent_under_a_concurrent_save(db, tmp_path, pseudonymise=True)


def test_a_snapshot_refuses_to_write(db: Database) -> None:
    with read_snapshot(db) as snapshot:
        with pytest.raises(SnapshotWriteError), snapshot.transaction():
            pass
        with pytest.raises(SnapshotWriteError), snapshot.batch():
            pass
        with snapshot.reading() as session:
            session.execute(select(AuditRecord.id)).all()


def test_the_pseudonym_secret_is_stored_once_before_the_snapshot(db: Database,
                                                                 tmp_path: Path) -> None:
    built = build_audit(db, cases=4)
    with db.reading() as session:
        assert not session.get(AuditRecord, built.audit_id).pseudonym_salt  # type: ignore[union-attr]
    first = partner_export(db, built.audit_id, tmp_path / "one.xlsx", pseudonymise=True)
    with db.reading() as session:
        secret = session.get(AuditRecord, built.audit_id).pseudonym_salt  # type: ignore[union-attr]
    assert secret
    second = partner_export(db, built.audit_id, tmp_path / "two.xlsx", pseudonymise=True)
    with db.reading() as session:
        assert session.get(AuditRecord, built.audit_id).pseudonym_salt == secret  # type: ignore[union-attr]
    cases = [_cells(result.path)["Cases"] for result in (first, second)]
    assert [row[1] for row in cases[0]] == [row[1] for row in cases[1]]
    assert not {row[1] for row in cases[0][1:]} & set(built.references)


def _counting_findings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from audit_app.services import export

    calls: list[int] = []
    real = export.findings_from_data

    def counted(data: Any) -> Any:
        calls.append(1)
        return real(data)

    monkeypatch.setattr(export, "findings_from_data", counted)
    return calls


def test_an_approved_partner_copy_reuses_the_checks_findings(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = build_audit(sqlite_db, cases=6)
    internal = tmp_path / "internal.xlsx"
    export_workbook(sqlite_db, audit_id=built.audit_id, path=internal)
    calls = _counting_findings(monkeypatch)
    result = partner_export(sqlite_db, built.audit_id, tmp_path / "partner.xlsx",
                            pseudonymise=True)
    assert calls == [1]  # worked out for the check, reused by the export
    assert _cells(result.path)["Criteria"] == _cells(internal)["Criteria"]


def test_findings_are_worked_out_afresh_when_answers_changed_after_the_check(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from audit_app.services.export import check_partner_release
    from audit_app.services.release import ReleaseApproval

    built = build_audit(sqlite_db, cases=6)
    check = check_partner_release(sqlite_db, audit_id=built.audit_id)
    # A changed answer, no changed text: the approval still holds, the figures do not.
    scoring.record_answer(sqlite_db, audit_id=built.audit_id, case_id=built.case_ids[0],
                          reviewer=REVIEWERS[0], criterion_code=built.codes[0],
                          value=Answer.NOT_APPLICABLE)
    internal = tmp_path / "internal.xlsx"
    export_workbook(sqlite_db, audit_id=built.audit_id, path=internal)
    calls = _counting_findings(monkeypatch)
    partner = tmp_path / "partner.xlsx"
    export_workbook(sqlite_db, audit_id=built.audit_id, path=partner, for_partner=True,
                    pseudonymise=True, approval=ReleaseApproval.of(check, "Chair Person"))
    assert calls == [1]
    assert _cells(partner)["Criteria"] == _cells(internal)["Criteria"]
