"""No internal name on any page or dialog: no snake_case identifier, no OS account name.

Every page of a demo audit is visited (each tab and section), and the dialogs that open
without a file chooser; every piece of text a person can read is checked.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, QThreadPool, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from audit_app.core.answers import ReviewStatus
from audit_app.services import change_log, retention, scoring
from audit_app.services.database import UNNAMED_MEMBER, Database, name_actor, open_database
from audit_app.services.demo import REVIEWERS, create_demo
from audit_app.services.export import check_partner_release
from audit_app.services.frameworks import list_frameworks
from audit_app.ui import panel_work, settings
from audit_app.ui.framework_editor import FrameworkEditorDialog
from audit_app.ui.import_wizard import ImportWizard
from audit_app.ui.main_window import FINDINGS, POPULATION, REVIEW, SAMPLE, MainWindow
from audit_app.ui.passphrase_dialog import PassphraseDialog
from audit_app.ui.release_check_dialog import ReleaseCheckDialog
from tests.helpers.background import settle
from tests.helpers.conflicts import make_conflicts
from tests.helpers.visible_text import Text, internal_names, os_account_names, visible_texts

# A login name nothing else in the app could say, so a leak of it cannot be a coincidence.
ACCOUNT = "quillfeatherz"
CHOSEN = REVIEWERS[0][0]


@pytest.fixture
def accounts(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The real OS account names and a made-up one the process now runs as."""
    names = os_account_names() | {ACCOUNT}
    for key in ("USER", "LOGNAME", "USERNAME"):
        monkeypatch.setenv(key, ACCOUNT)
    monkeypatch.delenv("AUDIT_APP_USER", raising=False)
    return names


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database built once, in the environment `accounts` makes (so it is the
    file each test used to build for itself); each test opens its own copy."""
    path = tmp_path_factory.mktemp("plain-names-demo") / "demo.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDIT_APP_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))
        patch.delenv("AUDIT_APP_DB", raising=False)
        for key in ("USER", "LOGNAME", "USERNAME"):
            patch.setenv(key, ACCOUNT)
        patch.delenv("AUDIT_APP_USER", raising=False)
        name_actor("")
        database = open_database(path)
        try:
            create_demo(database, seed=7, population=300, sample_size=20)
        finally:
            database.close()
    return path


@pytest.fixture
def demo_db(accounts: set[str], _demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "demo.sqlite3"
    shutil.copyfile(_demo_template, target)
    database = open_database(target)
    try:
        yield database
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        database.close()


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database) -> MainWindow:
    settings.REVIEWER_NAME.write(CHOSEN)
    main = MainWindow(demo_db)
    qtbot.addWidget(main)
    main.resize(1280, 720)
    main.show()
    settle()
    return main


def read(widget: QWidget, seen: list[Text]) -> None:
    settle()
    seen += visible_texts(widget)


def assert_plain(seen: list[Text], accounts: set[str], db: Database) -> None:
    framework_keys = {summary.key for summary in list_frameworks(db)}
    problems = sorted(set(internal_names(seen, accounts, framework_keys)))
    assert problems == [], "\n".join(problems)


def test_every_page_reads_in_plain_words(window: MainWindow, demo_db: Database,
                                         accounts: set[str]) -> None:
    seen: list[Text] = []
    read(window, seen)
    for index in (POPULATION, SAMPLE, FINDINGS):
        window.tabs.setCurrentIndex(index)
        read(window, seen)
    for section in range(window.findings_page.sections.count()):
        window.findings_page.sections.setCurrentIndex(section)
        read(window, seen)
    window.tabs.setCurrentIndex(REVIEW)
    read(window, seen)
    page = window.review_host.ensure_page()
    for case_id in both_members_completed(demo_db, window):
        page.select_case(case_id)
        for tab in range(page.tabs.count()):
            page.tabs.setCurrentIndex(tab)
            read(window, seen)
    assert_plain(seen, accounts, demo_db)


def test_closed_and_purged_pages_read_in_plain_words(window: MainWindow, demo_db: Database,
                                                     accounts: set[str]) -> None:
    assert window.audit_id is not None
    seen: list[Text] = []
    retention.close_audit(demo_db, audit_id=window.audit_id)
    retention.set_retention(demo_db, audit_id=window.audit_id,
                            retain_until=dt.date.today() - dt.timedelta(days=1))
    for purged in (False, True):
        if purged:
            retention.purge_audit(demo_db, audit_id=window.audit_id)
        window.audit_list.refresh()
        window.open_audit(window.audit_id)
        for index in (POPULATION, SAMPLE, REVIEW, FINDINGS):
            window.tabs.setCurrentIndex(index)
            read(window, seen)
    assert_plain(seen, accounts, demo_db)


def both_members_completed(db: Database, window: MainWindow) -> list[int]:
    """The cases both demo members have completed (moderation shows their answers side by side)."""
    assert window.audit_id is not None
    progress = scoring.review_progress(db, audit_id=window.audit_id)
    done: dict[int, int] = {}
    for row in progress:
        if row.status is ReviewStatus.COMPLETE:
            done[row.case_id] = done.get(row.case_id, 0) + 1
    return [case_id for case_id, count in done.items() if count > 1][:2]


def read_modal(qtbot: QtBot, open_it: Callable[[], object], seen: list[Text]) -> None:
    """Open a dialog that runs its own event loop, read it, and close it."""
    read_yet: list[bool] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, read_and_close)
            return
        seen.extend(visible_texts(dialog))
        read_yet.append(True)
        dialog.close()

    QTimer.singleShot(50, read_and_close)
    open_it()
    qtbot.waitUntil(lambda: bool(read_yet))


def test_every_dialog_reads_in_plain_words(qtbot: QtBot, window: MainWindow, demo_db: Database,
                                           accounts: set[str], tmp_path: Path) -> None:
    assert window.audit_id is not None
    audit_id = window.audit_id
    seen: list[Text] = []
    window.tabs.setCurrentIndex(SAMPLE)
    settle()
    sample_page = window.sample_page
    sample_page.summary = None  # skip the "replace the sample?" question
    draw = sample_page.open_draw_dialog()
    assert draw is not None
    draw.set_method("stratified")
    draw.check_strata(("outcome_code", "risk_level"))
    draw.refresh_preview()
    read(draw, seen)
    draw.reject()

    make_conflicts(demo_db, audit_id, REVIEWERS[1][0], tmp_path)
    dialogs: list[QWidget] = [
        panel_work.ConflictsDialog(demo_db, audit_id, window),
        panel_work.BackupSettingsDialog(window),
        ReleaseCheckDialog(check_partner_release(demo_db, audit_id=audit_id), approver=CHOSEN,
                           parent=window),
        PassphraseDialog(window, new=True, purpose="Set this audit's package passphrase."),
        FrameworkEditorDialog(demo_db, window),
        window.new_audit(),
    ]
    retention = window.show_retention()
    assert retention is not None
    dialogs.append(retention)
    for dialog in dialogs:
        dialog.show()
        read(dialog, seen)
        dialog.close()
    read_modal(qtbot, window.findChild(QAction, "aboutAction").trigger, seen)
    assert_plain(seen, accounts, demo_db)


def write_small_extract(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Crime Ref", "Offence", "Outcome", "DASH Risk", "Area", "OIC", "Victim Name",
                  "Date Finalised", "Force system id"])
    for number in range(1, 31):
        sheet.append([f"CR/{number:05d}/26", "Common assault", "x" if number == 9 else 16,
                      "high", "North", "PC 1", f"Person {number}", "01/03/2026", number])
    workbook.save(path)
    return path


def test_every_import_step_reads_in_plain_words(qtbot: QtBot, window: MainWindow,
                                                accounts: set[str], tmp_path: Path) -> None:
    assert window.audit_id is not None
    wizard = ImportWizard(window.db, window.audit_id, window)
    qtbot.addWidget(wizard)
    wizard.show()
    seen: list[Text] = []
    read(wizard, seen)
    wizard.file_page.choose(str(write_small_extract(tmp_path / "extract.xlsx")))
    for _step in range(3):
        read(wizard, seen)
        wizard.next()
    qtbot.waitUntil(lambda: wizard.validation_page.done)
    read(wizard, seen)
    wizard.close()
    assert_plain(seen, accounts, window.db)


def retention_set_by(qtbot: QtBot, window: MainWindow, db: Database, days: int) -> str:
    """Set the retention date through File > Retention; who the change log says set it."""
    assert window.audit_id is not None
    dialog = window.show_retention()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.no_date.setChecked(False)
    day = QDate.currentDate().addDays(days)
    dialog.date_edit.setDate(day)
    with qtbot.waitSignal(dialog.changed):  # saved off the GUI thread
        dialog.save_date()
    dialog.close()
    [change] = [row for row in change_log.list_changes(db, audit_id=window.audit_id)
                if row.field == "retain_until" and row.new_value == day.toString("yyyy-MM-dd")]
    return change.actor


def test_changes_are_by_the_member_chosen(qtbot: QtBot, window: MainWindow,
                                          demo_db: Database) -> None:
    assert retention_set_by(qtbot, window, demo_db, 400) == CHOSEN
    window.reviewer_control.set_name(REVIEWERS[1][0])
    assert retention_set_by(qtbot, window, demo_db, 500) == REVIEWERS[1][0]


def test_with_nobody_chosen_changes_are_by_an_unnamed_member(qtbot: QtBot,
                                                            demo_db: Database) -> None:
    main = MainWindow(demo_db)
    qtbot.addWidget(main)
    main.show()
    settle()
    assert retention_set_by(qtbot, main, demo_db, 400) == UNNAMED_MEMBER
