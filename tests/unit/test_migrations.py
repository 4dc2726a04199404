"""Migrations build exactly the schema the models describe, and upgrades keep data."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from audit_app.db.base import Base
from audit_app.db.engine import make_engine
from audit_app.db.migrate import alembic_config, current_revision, head_revision, upgrade_database
from audit_app.services import audits
from audit_app.services.database import Database, open_database


def test_models_and_migrations_agree(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_from_the_first_release_keeps_audits_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001_initial")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO framework (key, version, title, description, scale, definition, builtin,"
            " created_at) VALUES ('x', 1, 'X', '', '[]', '{}', 0, '2026-01-01')"))
        connection.execute(text(
            "INSERT INTO audit (name, description, framework_id, status, pseudonym_salt,"
            " created_at, updated_at) VALUES ('Old audit', '', 1, 'open', '', '2026-01-01',"
            " '2026-01-01')"))
    backup = upgrade_database(engine)
    assert current_revision(engine) == head_revision(engine)
    assert backup is not None and backup.exists()
    engine.dispose()
    database = open_database(path)
    [old] = [a for a in audits.list_audits(database) if a.name == "Old audit"]
    with database.engine.connect() as connection:
        uid = connection.execute(text("SELECT uid FROM audit WHERE id = :i"), {"i": old.id}).scalar()
    assert uid and len(str(uid)) == 36
    database.close()


def test_the_quick_revision_reading_matches_alembics_own(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert head_revision() == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current_revision(engine) is None  # a new file: nothing migrated yet
    command.upgrade(alembic_config(engine), "0001_initial")
    with engine.connect() as connection:
        assert current_revision(engine) == MigrationContext.configure(
            connection).get_current_revision() == "0001_initial"


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "current.sqlite3"
    open_database(path).close()
    probe = ("import sys; from audit_app.services.database import open_database; "
             f"open_database({str(path)!r}).close(); print('alembic' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True, cwd=tmp_path)
    assert shown.stdout.strip() == "False"
