"""Rotating backups and restore, on real SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from audit_app.core.errors import UserError
from audit_app.services import audits, backups
from audit_app.services.database import Database, open_database


def test_backup_is_a_consistent_copy_and_rotates(sqlite_db: Database, tmp_path: Path) -> None:
    audits.create_audit(sqlite_db, name="Before backup", framework="da-nfa-review")
    folder = tmp_path / "b"
    folder.mkdir()
    taken = [backups.take_backup(sqlite_db, folder=folder, keep=3) for _ in range(5)]
    kept = backups.list_backups(folder=folder)
    assert [b.path for b in kept] == [t.path for t in reversed(taken)][:3]
    backups.check_backup(kept[0].path)
    copy = open_database(kept[0].path)
    assert [a.name for a in audits.list_audits(copy)] == ["Before backup"]
    copy.close()


def test_restore_brings_back_the_old_state_and_keeps_a_safety_copy(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    db = open_database(path)
    audits.create_audit(db, name="Kept", framework="da-nfa-review")
    snapshot = backups.take_backup(db)
    audits.create_audit(db, name="Made after the backup", framework="da-nfa-review")
    safety = backups.restore_backup(db, backup=snapshot.path)
    reopened = open_database(path)
    assert [a.name for a in audits.list_audits(reopened)] == ["Kept"]
    reopened.close()
    rescued = open_database(safety.path)
    assert len(audits.list_audits(rescued)) == 2
    rescued.close()


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(UserError, match="not a database backup"):
        backups.restore_backup(sqlite_db, backup=junk)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(UserError, match="not a Case File Audit database"):
        backups.restore_backup(sqlite_db, backup=other)
    assert audits.list_audits(sqlite_db) == []


def test_backups_are_refused_for_a_server_database(postgres_db: Database) -> None:
    with pytest.raises(UserError, match="shared server"):
        backups.take_backup(postgres_db)
