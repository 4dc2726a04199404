"""The audit list read with sqlite3 before SQLAlchemy loads equals the real one, or is None."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_app.services import retention
from audit_app.services.audit_list_peek import peek_audit_list
from audit_app.services.audits import create_audit, list_audits
from audit_app.services.database import Database, open_database
from audit_app.services.demo import create_demo
from audit_app.services.sampling import get_sample, replace_case
from tests.helpers.audits import build_audit
from tests.helpers.retention import purge

ROOT = Path(__file__).resolve().parents[2]


def _same_as_the_service(db: Database) -> None:
    assert db.file_path is not None
    assert peek_audit_list(str(db.file_path)) == list_audits(db)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_an_empty_database_peeks_as_an_empty_list(sqlite_db: Database) -> None:
    _same_as_the_service(sqlite_db)
    assert peek_audit_list(str(sqlite_db.file_path)) == []


def test_the_peek_follows_the_audits_through_their_states(sqlite_db: Database) -> None:
    demo = create_demo(sqlite_db, seed=3, population=120, sample_size=12)  # reviews complete and not
    _same_as_the_service(sqlite_db)
    build_audit(sqlite_db, cases=8)
    drawn = [row for row in get_sample(sqlite_db, audit_id=demo.id) if row.status != "replaced"]
    replacement = replace_case(sqlite_db, audit_id=demo.id, reference=drawn[-1].case.reference,
                               reason="sealed")
    assert replacement is not None
    _same_as_the_service(sqlite_db)
    closed = create_audit(sqlite_db, name="Closed round", framework="da-nfa-review")
    retention.close_audit(sqlite_db, audit_id=closed.id)
    purge(sqlite_db, build_audit(sqlite_db, cases=4).audit_id)
    _same_as_the_service(sqlite_db)
    statuses = {audit.status for audit in list_audits(sqlite_db)}
    assert statuses == {"open", "closed", "purged"}
    assert any(0 < audit.reviews_complete < audit.reviews_total for audit in list_audits(sqlite_db))


def test_a_closed_database_is_read_without_a_file_made_or_changed(tmp_path: Path) -> None:
    target = tmp_path / "audit.sqlite3"
    database = open_database(target)
    create_audit(database, name="Q3 round", framework="da-nfa-review")
    expected = list_audits(database)
    database.close()
    before = _files(tmp_path)
    assert peek_audit_list(str(target)) == expected
    assert peek_audit_list(f"sqlite:///{target}") == expected
    assert _files(tmp_path) == before


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(["create", "close", "reopen", "purge"]), max_size=6))
def test_random_changes_keep_the_peek_equal(tmp_path: Path, new_sqlite: Callable[[Path], Database],
                                            steps: list[str]) -> None:
    folder = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"  # one database an example
    database = new_sqlite(folder / "audit.sqlite3")
    try:
        for step in steps:
            audits = list_audits(database)
            if step == "create" or not audits:
                create_audit(database, name=f"Round {len(audits) + 1}", framework="da-nfa-review")
            elif step == "close" and audits[0].status == "open":
                retention.close_audit(database, audit_id=audits[0].id)
            elif step == "reopen" and audits[0].status == "closed":
                retention.reopen_audit(database, audit_id=audits[0].id)
            elif step == "purge" and audits[0].status == "open":
                purge(database, audits[0].id)
            _same_as_the_service(database)
    finally:
        database.close()


def test_nothing_is_peeked_or_made_where_the_real_list_must_wait(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "audit.sqlite3"
    assert peek_audit_list(str(missing)) is None
    assert not missing.parent.exists()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n", encoding="utf-8")
    assert peek_audit_list(str(text)) is None
    assert peek_audit_list("postgresql://panel@localhost/audits") is None
    assert peek_audit_list(str(tmp_path)) is None  # a folder
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_an_older_schema_waits_for_the_upgrade(tmp_path: Path) -> None:
    target = tmp_path / "audit.sqlite3"
    open_database(target).close()
    with sqlite3.connect(target) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0004_older'")
    connection.close()
    assert peek_audit_list(str(target)) is None


def test_a_log_without_its_index_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "audit.sqlite3"
    open_database(target).close()
    log = Path(f"{target}-wal")
    shutil.copyfile(target, tmp_path / "spare")  # any bytes: it is never read
    (tmp_path / "spare").rename(log)
    assert peek_audit_list(str(target)) is None
    assert not Path(f"{target}-shm").exists()


def test_peeking_loads_no_sqlalchemy(tmp_path: Path) -> None:
    target = tmp_path / "audit.sqlite3"
    database = open_database(target)
    create_audit(database, name="Q3 round", framework="da-nfa-review")
    database.close()
    probe = ("import json, sys; from audit_app.services.audit_list_peek import peek_audit_list; "
             "audits = peek_audit_list(sys.argv[1]); "
             "print(json.dumps([len(audits or []), sorted(m for m in sys.modules "
             "if m.split('.')[0] in ('sqlalchemy', 'alembic'))]))")
    found = subprocess.run([sys.executable, "-c", probe, str(target)], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout
    assert json.loads(found) == [1, []]
