"""A partner copy scrubs each distinct text once, and its approved export takes over the
release check's scrubber. These tests make sure that what is remembered never outlives
what it was built from: a name learnt between the check and the export is still taken
out, and two audits scrubbed in one process each get their own names' results."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from audit_app.core.answers import Answer
from audit_app.core.errors import UserError
from audit_app.db.models import CaseRecord
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.services.export import check_partner_release, export_workbook
from audit_app.services.release import ReleaseApproval
from tests.helpers.audits import REVIEWERS, BuiltAudit, build_audit, partner_export

NEWCOMER = "Quilmar Zorbrin"  # a name no column holds until the test puts it there
NOTE = f"Spoke to {NEWCOMER} about the decision"


def _note_mentioning_newcomer(db: Database, built: BuiltAudit) -> None:
    scoring.record_answer(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                          reviewer=REVIEWERS[0], criterion_code=built.codes[0], value=Answer.MET,
                          note=NOTE)


def _rename_victim(db: Database, case_id: int, name: str) -> None:
    with db.transaction() as session:
        case = session.scalars(select(CaseRecord).where(CaseRecord.id == case_id)).one()
        case.victim_name = name


def _notes(path: Path) -> list[str]:
    workbook = load_workbook(path, read_only=True)
    try:
        header, *rows = workbook["Answers"].iter_rows(values_only=True)
    finally:
        workbook.close()
    column = list(header).index("Note")
    return [str(row[column]) for row in rows if row[column]]


def test_a_name_learnt_after_the_check_is_still_taken_out(sqlite_db: Database,
                                                          tmp_path: Path) -> None:
    built = build_audit(sqlite_db, cases=4)
    _note_mentioning_newcomer(sqlite_db, built)
    check = check_partner_release(sqlite_db, audit_id=built.audit_id)
    _rename_victim(sqlite_db, built.case_ids[1], NEWCOMER)

    # The check's scrubber did not know the name: the approved texts are no longer what
    # would leave, so nothing is written.
    with pytest.raises(UserError, match="changed after the release check"):
        export_workbook(sqlite_db, audit_id=built.audit_id, path=tmp_path / "stale.xlsx",
                        for_partner=True, pseudonymise=True,
                        approval=ReleaseApproval.of(check, "Chair Person"))
    assert not (tmp_path / "stale.xlsx").exists()

    notes = _notes(partner_export(sqlite_db, built.audit_id, tmp_path / "fresh.xlsx",
                                    pseudonymise=True).path)
    assert not any("Quilmar" in note or "Zorbrin" in note for note in notes)
    assert "Spoke to [victim] about the decision" in notes


def test_two_audits_in_one_process_each_scrub_with_their_own_names(sqlite_db: Database,
                                                                   tmp_path: Path) -> None:
    knows = build_audit(sqlite_db, cases=4)
    does_not = build_audit(sqlite_db, cases=4)
    for built in (knows, does_not):
        _note_mentioning_newcomer(sqlite_db, built)
    _rename_victim(sqlite_db, knows.case_ids[1], NEWCOMER)

    first = _notes(partner_export(sqlite_db, knows.audit_id, tmp_path / "knows.xlsx",
                                   pseudonymise=True).path)
    other_check = check_partner_release(sqlite_db, audit_id=does_not.audit_id)
    # The last check made is the first audit's: the other audit's export must not take
    # over that check's scrubber (or its findings), whose names are not the other audit's.
    check_partner_release(sqlite_db, audit_id=knows.audit_id)
    second = _notes(export_workbook(
        sqlite_db, audit_id=does_not.audit_id, path=tmp_path / "other.xlsx", for_partner=True,
        pseudonymise=True, approval=ReleaseApproval.of(other_check, "Chair Person")).path)
    again = _notes(partner_export(sqlite_db, knows.audit_id, tmp_path / "again.xlsx",
                                   pseudonymise=True).path)

    assert "Spoke to [victim] about the decision" in first
    assert NOTE not in first
    assert NOTE in second  # that audit holds no such name: the note leaves as written
    assert again == first
