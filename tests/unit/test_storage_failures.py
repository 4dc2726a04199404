"""A full disk or a read-only database: a clear message, nothing half-saved, no corruption."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert

from audit_app.db.models import CaseRecord
from audit_app.services import audits, sampling
from audit_app.services.database import StorageError, open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.scoring import get_review, record_answer


def _scored_database(path: Path) -> tuple[int, int, list[str]]:
    db = open_database(path)
    audit = audits.create_audit(db, name="Disk", framework="da-nfa-review")
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"D{i}", "extra": {}} for i in range(10)])
    sampling.draw_sample(db, audit_id=audit.id, size=3, method="random", seed=4)
    case_id = sampling.get_sample(db, audit_id=audit.id)[0].case.id
    codes = [c.code for c in get_framework(db, "da-nfa-review").criteria]
    record_answer(db, audit_id=audit.id, case_id=case_id, reviewer="Ann", criterion_code=codes[0],
                  value="met")
    db.close()
    return audit.id, case_id, codes


def test_full_disk_gives_a_clear_message_and_keeps_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "full.sqlite3"
    audit_id, case_id, codes = _scored_database(path)
    db = open_database(path)
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(db.engine, "connect")
    def _no_room(dbapi_connection: Any, _record: Any) -> None:
        # SQLite's own limit makes it answer exactly as it does on a full disk (SQLITE_FULL)
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 12}")

    db.engine.dispose()
    saved = {codes[0]: ""}
    with pytest.raises(StorageError, match="disk is full"):
        for index in range(200):
            code, note = codes[index % len(codes)], "x" * 1500 + str(index)
            record_answer(db, audit_id=audit_id, case_id=case_id, reviewer="Ann",
                          criterion_code=code, value="not_met", note=note)
            saved[code] = note
    db.close()
    assert len(saved) > 1, "the disk filled before anything was saved"
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened = open_database(path)
    answers = get_review(reopened, audit_id=audit_id, case_id=case_id, reviewer="Ann").answers
    assert {code: a.note for code, a in answers.items()} == saved
    reopened.close()


def test_read_only_database_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    audit_id, case_id, codes = _scored_database(path)
    read_only = open_database(f"sqlite:///file:{path}?mode=ro&uri=true",
                              install_frameworks=False)
    assert get_review(read_only, audit_id=audit_id, case_id=case_id,
                      reviewer="Ann").answers[codes[0]].value.value == "met"
    with pytest.raises(StorageError, match="read-only"):
        record_answer(read_only, audit_id=audit_id, case_id=case_id, reviewer="Ann",
                      criterion_code=codes[1], value="met")
    read_only.close()
