"""Shared UI fixtures: real databases with an audit built through the services, isolated settings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QThreadPool

from audit_app.services.audits import create_audit, list_audits
from audit_app.services.database import Database, open_database
from audit_app.services.demo import create_demo
from audit_app.services.population_import import import_population
from audit_app.services.records import AuditSummary
from audit_app.ui.operations import wait_for_writes
from tests.helpers.extract_workbook import write_extract
from tests.helpers.templates import own_data_dir


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path) -> Iterator[None]:
    """QSettings in a throwaway INI folder, so tests never read or write the user's."""
    QCoreApplication.setOrganizationName("Case File Audit Tests")
    QCoreApplication.setApplicationName("Case File Audit Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield
    wait_for_writes(10_000)  # key presses still on their way to the test's database
    QThreadPool.globalInstance().waitForDone(10_000)
    # Delete what the test's windows scheduled for deletion now, while the test's objects
    # are still whole; left for later, a restyle in another test walked half-freed widgets.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _wait_for_operations() -> None:
    """Background operations finish before their database closes (a connection opened
    after the close would be left open)."""
    wait_for_writes(10_000)
    QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def sqlite_db(sqlite_db: Database) -> Iterator[Database]:
    yield sqlite_db
    _wait_for_operations()


@pytest.fixture
def postgres_db(postgres_db: Database) -> Iterator[Database]:
    yield postgres_db
    _wait_for_operations()


@pytest.fixture
def empty_audit(sqlite_db: Database) -> AuditSummary:
    """An audit with no population yet."""
    return create_audit(sqlite_db, name="Q3 review", framework="da-nfa-review")


@pytest.fixture
def imported_audit(sqlite_db: Database, empty_audit: AuditSummary, tmp_path: Path) -> AuditSummary:
    """The empty audit after importing an 80-row extract workbook through the import service."""
    path = write_extract(tmp_path / "extract.xlsx", 80)
    import_population(sqlite_db, audit_id=empty_audit.id, path=path)
    return empty_audit


@pytest.fixture(scope="session")
def _scored_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once through the services; each test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("template") / "scored.sqlite3"
    with own_data_dir(path.parent / "user-data"):
        database = open_database(path)
        try:
            create_demo(database, seed=7, population=300, sample_size=20)
        finally:
            database.close()
    return path


@pytest.fixture
def scored_db(_scored_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A database holding one audit: 300 synthetic cases, a 20-case stratified sample and
    two reviewers' part-done scores (some complete, one urgent safeguarding flag)."""
    target = tmp_path / "scored.sqlite3"
    shutil.copyfile(_scored_template, target)
    database = open_database(target)
    try:
        yield database
    finally:
        _wait_for_operations()
        database.close()


@pytest.fixture
def scored_audit(scored_db: Database) -> AuditSummary:
    return list_audits(scored_db)[0]
