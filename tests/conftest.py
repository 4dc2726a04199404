"""Shared fixtures: real SQLite files and a real throwaway PostgreSQL cluster."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.screen import offscreen_platform

# A 1280x720 laptop, also where CI and dev.py ask for plain "offscreen" (800x800 otherwise).
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform()
os.environ.setdefault("AUDIT_APP_USER", "Test User")

from audit_app.io.private_files import create_private_file
from audit_app.services.database import Database, name_actor, open_database
from audit_app.services.shipped_frameworks import INDEX_NAME
from tests.helpers.postgres import PostgresCluster, find_pg_bin
from tests.helpers.templates import build_empty_sqlite, copy_sqlite, own_data_dir


def pytest_collection_finish(session: pytest.Session) -> None:
    """Python's cycle collector, tuned for a test run (speed only): the modules, the
    collected tests and the session's templates are moved out of its reach, and it runs a
    tenth as often. It took 11% of the time of a run of export, verdict and review-page
    tests (8 s of 75 s: 4,500 collections, most walking the same long-lived objects); so
    tuned, 2.8 s, and the run 8% less CPU. Nothing a test checks waits on it: what a test
    opens, it closes."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 50)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                       _shipped_frameworks_index: bytes) -> None:
    """Never touch the real user's data folder or database.

    The folder starts as a user's does after their first start: holding the index of what
    the shipped framework files hold (`services/shipped_frameworks.py`). Without it, each
    test's first database parsed every shipped file again: a tenth of the unit tests' time.
    `tests/unit/test_framework_install.py` covers the index itself."""
    folder = tmp_path_factory.mktemp("user-data")
    create_private_file(folder / INDEX_NAME)
    (folder / INDEX_NAME).write_bytes(_shipped_frameworks_index)
    monkeypatch.setenv("AUDIT_APP_DATA_DIR", str(folder))
    monkeypatch.delenv("AUDIT_APP_DB", raising=False)
    name_actor("")  # who the last test's app or command line was acting as is forgotten


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def _shipped_frameworks_index(_empty_sqlite_template: Path) -> bytes:
    """The index the template's first open wrote in its own data folder."""
    return (_empty_sqlite_template.parent / "user-data" / INDEX_NAME).read_bytes()


@pytest.fixture(scope="session")
def _empty_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per worker; each test's database is a copy (tests/helpers/templates.py)."""
    return build_empty_sqlite(tmp_path_factory.mktemp("empty-template"))


@pytest.fixture(scope="session")
def _postgres_template(postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database each test's PostgreSQL database is created from (CREATE … TEMPLATE)."""
    url = postgres_cluster.new_database()
    with own_data_dir(tmp_path_factory.mktemp("template-user-data")):
        open_database(url).close()
    return postgres_cluster.name_of(url)


@pytest.fixture
def new_sqlite(_empty_sqlite_template: Path) -> Callable[[Path], Database]:
    """Opens a new database file at a path, as `open_database` makes one (a template's copy)."""
    return lambda path: open_database(copy_sqlite(_empty_sqlite_template, path))


@pytest.fixture
def sqlite_db(_empty_sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_database(copy_sqlite(_empty_sqlite_template, tmp_path / "audit.sqlite3"))
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def postgres_db(postgres_cluster: PostgresCluster, _postgres_template: str) -> Iterator[Database]:
    url = postgres_cluster.new_database(template=_postgres_template)
    database = open_database(url)
    try:
        yield database
    finally:
        database.close()
        postgres_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test against a SQLite file and against a real PostgreSQL."""
    fixture = "sqlite_db" if request.param == "sqlite" else "postgres_db"
    database: Database = request.getfixturevalue(fixture)
    return database
