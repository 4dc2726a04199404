"""Starting quickly: the window before the database, pages built on first need, the last
audit reopened once the list has been shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from audit_app.services.audit_list_peek import peek_audit_list
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.app import make_application, open_main_window
from audit_app.ui.main_window import FINDINGS, POPULATION, REVIEW, SAMPLE, MainWindow
from tests.helpers.findings_page import wait_for_findings
from tests.helpers.sample_page import wait_for_sample

ROOT = Path(__file__).resolve().parents[2]


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    settings.BACKUP_ON_OPEN.write(False)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def test_only_the_page_shown_is_built_at_start(qtbot: QtBot, scored_db: Database,
                                               scored_audit: AuditSummary) -> None:
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    settings.LAST_PAGE.write(SAMPLE)
    window = _window(qtbot, scored_db)
    assert window.audit_id == scored_audit.id
    assert window.tabs.currentIndex() == SAMPLE
    assert set(window.pages.built()) == {SAMPLE}
    wait_for_sample(qtbot, window.sample_page)
    assert window.sample_page.summary is not None, "the page shown has the audit"

    window.tabs.setCurrentIndex(FINDINGS)
    assert set(window.pages.built()) == {SAMPLE, FINDINGS}
    wait_for_findings(qtbot, window.findings_page)
    # A page asked for before its first showing is built then, on the open audit.
    assert window.population_page.standing is not None
    assert set(window.pages.built()) == {POPULATION, SAMPLE, FINDINGS}


def test_no_page_is_built_without_an_audit(qtbot: QtBot, sqlite_db: Database) -> None:
    window = _window(qtbot, sqlite_db)
    assert window.audit_id is None
    assert window.pages.built() == {}
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Population", "Sample", "Review", "Findings"]


def test_a_page_built_later_follows_the_reviewer(qtbot: QtBot, scored_db: Database,
                                                 scored_audit: AuditSummary) -> None:
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    settings.LAST_PAGE.write(POPULATION)
    window = _window(qtbot, scored_db)
    window.reviewer_control.set_name("Pat Smith")
    window.tabs.setCurrentIndex(REVIEW)
    page = window.review_host.review_page
    assert page is not None and page.reviewer == "Pat Smith"


def test_the_app_lists_audits_first_and_reopens_the_last_when_idle(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    make_application()  # first: it names the settings store the app then reads
    settings.BACKUP_ON_OPEN.write(False)
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    settings.LAST_PAGE.write(FINDINGS)
    window = open_main_window(str(scored_db.file_path))
    assert window is not None
    qtbot.addWidget(window)
    assert window.isVisible() and window.audit_list.list_widget.count() == 1
    assert window.audit_id is None and window.pages.built() == {}
    qtbot.waitUntil(lambda: window.audit_id == scored_audit.id, timeout=60_000)  # a loaded machine
    assert window.tabs.currentIndex() == FINDINGS
    assert set(window.pages.built()) == {FINDINGS}
    window.close()
    window.db.close()


def test_the_window_module_loads_no_database_code() -> None:
    """The window is shown before SQLAlchemy and the services are imported."""
    probe = ("import json, sys; import audit_app.ui.app, audit_app.ui.main_window; "
             "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'"
             " or m.startswith(('audit_app.services', 'audit_app.db', 'audit_app.ui.pages')))))")
    found = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout
    assert json.loads(found) == []


def test_the_peeked_list_is_shown_disabled_until_the_database_is_open(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    settings.BACKUP_ON_OPEN.write(False)
    settings.LAST_AUDIT_ID.write(scored_audit.id)
    peeked = peek_audit_list(str(scored_db.file_path))
    assert peeked == [scored_audit]
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_peeked_audits(peeked)
    panel = window.audit_list
    assert panel.list_widget.count() == 1 and not panel.isEnabled()
    assert scored_audit.name in panel.list_widget.item(0).text()
    assert window.no_audit_hint.text() == "Opening the database…"
    assert window.audit_id is None

    window.attach_database(scored_db)
    assert window.audit_list is panel and panel.isEnabled()
    assert panel.list_widget.count() == 1  # the peeked list stays while the real one is read
    assert panel.refreshing, "the window is painted: the list is read off the GUI thread"
    qtbot.waitUntil(lambda: window.audit_id == scored_audit.id)  # reopened from the real list
    # Opening the audit may ask for the list once more (its counts): wait for that read too.
    qtbot.waitUntil(lambda: not panel.refreshing)
    assert panel.list_widget.count() == 1
    window.close()


def test_the_app_shows_the_list_before_sqlalchemy_loads(
        tmp_path: Path, scored_db: Database, scored_audit: AuditSummary) -> None:
    """The whole start in a fresh process: the list is filled and disabled before the first
    SQLAlchemy module is imported, then enabled on the open database."""
    scored_db.close()
    probe = r"""
import json, sys
from audit_app.ui.main_window import MainWindow
seen = {}
show = MainWindow.show_peeked_audits
def watched(window, audits):
    seen["sqlalchemy"] = any(m.split(".")[0] == "sqlalchemy" for m in sys.modules)
    show(window, audits)
    seen["shown"] = [window.audit_list.list_widget.count(), window.audit_list.isEnabled()]
MainWindow.show_peeked_audits = watched
from audit_app.ui.app import open_main_window
window = open_main_window(sys.argv[1])
seen["after"] = [window.audit_list.list_widget.count(), window.audit_list.isEnabled()]
from PySide6.QtCore import QThreadPool
QThreadPool.globalInstance().waitForDone(30_000)  # as run_gui does at exit: the list's read
window.db.close()
print(json.dumps(seen))
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    found = subprocess.run([sys.executable, "-c", probe, str(scored_db.file_path)], cwd=ROOT,
                           env=env, check=True, capture_output=True, text=True).stdout
    assert json.loads(found.splitlines()[-1]) == {
        "sqlalchemy": False, "shown": [1, False], "after": [1, True]}
