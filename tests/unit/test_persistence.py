"""Persistence on SQLite and PostgreSQL: migrations, constraints, pragmas, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from audit_app.core.errors import NotFoundError, UserError
from audit_app.db.migrate import current_revision, head_revision
from audit_app.db.models import CaseRecord
from audit_app.services import audits, frameworks
from audit_app.services.database import Database, open_database


def test_fresh_database_is_at_head_with_builtin_frameworks(db: Database) -> None:
    assert current_revision(db.engine) == head_revision(db.engine)
    keys = {f.key for f in frameworks.list_frameworks(db)}
    assert {"da-nfa-review", "evidence-led-review"} <= keys


def test_audit_round_trip(db: Database) -> None:
    created = audits.create_audit(db, name="  DA NFA   Q3 2026 ", framework="da-nfa-review")
    assert created.name == "DA NFA Q3 2026"
    assert [a.id for a in audits.list_audits(db)] == [created.id]
    assert audits.get_audit(db, created.id).framework_key == "da-nfa-review"


def test_unknown_audit_and_framework_are_user_errors(db: Database) -> None:
    with pytest.raises(NotFoundError, match="No audit with id 999"):
        audits.get_audit(db, 999)
    with pytest.raises(NotFoundError, match="No framework 'nope'"):
        audits.create_audit(db, name="x", framework="nope")


def test_duplicate_reference_in_one_audit_is_refused(db: Database) -> None:
    audit = audits.create_audit(db, name="A", framework="da-nfa-review")
    with pytest.raises(Exception), db.transaction() as session:  # noqa: B017 - any IntegrityError
        session.add(CaseRecord(audit_id=audit.id, reference="X1"))
        session.add(CaseRecord(audit_id=audit.id, reference="X1"))
    with db.reading() as session:
        assert session.query(CaseRecord).count() == 0


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_reopening_an_existing_file_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "keep.sqlite3"
    first = open_database(path)
    audit = audits.create_audit(first, name="Keep me", framework="da-nfa-review")
    first.close()
    second = open_database(path)
    assert audits.get_audit(second, audit.id).name == "Keep me"
    second.close()


def test_database_given_as_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("AUDIT_APP_DB", str(target))
    database = open_database(None)
    database.close()
    assert target.exists()


def test_folder_as_database_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        open_database(tmp_path)


def test_a_batch_commits_everything_or_nothing(db: Database) -> None:
    with db.batch() as unit:
        audits.create_audit(unit, name="One", framework="da-nfa-review")
        audits.create_audit(unit, name="Two", framework="da-nfa-review")
    assert sorted(a.name for a in audits.list_audits(db)) == ["One", "Two"]
    with pytest.raises(NotFoundError), db.batch() as unit:
        audits.create_audit(unit, name="Three", framework="da-nfa-review")
        audits.create_audit(unit, name="Four", framework="no-such-framework")
    assert sorted(a.name for a in audits.list_audits(db)) == ["One", "Two"]
