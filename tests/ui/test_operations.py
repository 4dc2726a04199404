"""ui/operations: reads and changes in the background, then one `changed` that pages follow."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QEventLoop, QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from audit_app.core.errors import UserError
from audit_app.services.actions import add_action
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui import exports
from audit_app.ui.operations import (
    ChangeOp,
    Changes,
    CoalescingQuery,
    QueryOp,
    TaskControl,
    operation_signals,
)
from audit_app.ui.pages.findings_page import FindingsPage
from tests.helpers.findings_page import shown_page, wait_for_findings


def _record_changes() -> list[tuple[Changes, object]]:
    seen: list[tuple[Changes, object]] = []
    operation_signals().changed.connect(lambda changes, initiator: seen.append((changes, initiator)))
    return seen


def test_a_query_runs_off_the_gui_thread_and_its_result_arrives_on_it(qtbot: QtBot) -> None:
    gui = QApplication.instance().thread()  # type: ignore[union-attr]
    worked_on: list[QThread] = []
    arrived_on: list[QThread] = []
    results: list[int] = []

    def read(_control: TaskControl) -> int:
        worked_on.append(QThread.currentThread())
        return 42

    def arrived(value: int) -> None:
        arrived_on.append(QThread.currentThread())
        results.append(value)

    QueryOp(None, read, arrived).run()
    qtbot.waitUntil(lambda: results == [42])
    assert worked_on and worked_on[0] is not gui
    assert arrived_on == [gui]


def test_a_change_announces_once_and_the_shown_findings_page_redraws(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    assert page.actions_panel.model.rowCount() == 0
    seen = _record_changes()
    changes = Changes(audit_id=scored_audit.id, actions=True)
    ChangeOp(page, lambda _control: add_action(
        scored_db, audit_id=scored_audit.id, description="Brief the supervisors", owner="DI Jones"),
        changes).run()
    qtbot.waitUntil(lambda: page.actions_panel.model.rowCount() == 1)
    assert seen == [(changes, page)]
    assert page.actions_panel.model.row_at(0).owner == "DI Jones"


def test_a_failed_change_announces_nothing(qtbot: QtBot) -> None:
    seen = _record_changes()
    failures: list[BaseException] = []

    def refuse(_control: TaskControl) -> None:
        raise UserError("That audit is closed")

    ChangeOp(None, refuse, Changes(audit_id=1, answers=True)).failure(failures.append).run()
    qtbot.waitUntil(lambda: bool(failures))
    assert str(failures[0]) == "That audit is closed"
    assert seen == []


def test_a_hidden_findings_page_waits_until_it_is_shown(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    page = FindingsPage(scored_db)
    qtbot.addWidget(page)
    page.set_audit(scored_audit.id)
    done: list[object] = []
    ChangeOp(None, lambda _control: add_action(
        scored_db, audit_id=scored_audit.id, description="Audit the audit", owner="DCI Lee"),
        Changes(audit_id=scored_audit.id, actions=True)).success(done.append).run()
    qtbot.waitUntil(lambda: bool(done))
    assert not page.computing and page.findings is None  # nothing worked out for nobody
    page.resize(1100, 700)
    page.show()
    assert page.computing  # in the background: the window stays responsive
    wait_for_findings(qtbot, page)
    assert page.cards["sampled"].value.text() == "20"
    assert page.actions_panel.model.rowCount() == 1


def test_changes_for_another_audit_leave_the_page_alone(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    done: list[object] = []
    ChangeOp(None, lambda _control: None, Changes(audit_id=scored_audit.id + 1, answers=True)
             ).success(done.append).run()
    ChangeOp(None, lambda _control: None, Changes(audit_id=scored_audit.id, frameworks=True)
             ).success(done.append).run()
    qtbot.waitUntil(lambda: len(done) == 2)
    # `changed` reaches the page before success runs: a redraw would have started by now.
    assert not page.computing
    ChangeOp(None, lambda _control: None, Changes(audit_id=scored_audit.id, answers=True)
             ).success(done.append).run()
    qtbot.waitUntil(lambda: len(done) == 3)
    assert page.computing


def test_two_exports_started_back_to_back_both_finish(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16: a second export started quickly crashed in the progress dialog."""
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, title, text: messages.append(f"{title}|{text}"))
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    for path in (first, second):
        exports.run_workbook_export(parent, scored_db, scored_audit.id, str(path),
                                    {"for_partner": False})
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=60_000)
    assert all(text.startswith("Workbook exported|Saved ") for text in messages)
    for path in (first, second):
        book = load_workbook(path, read_only=True)
        try:
            assert "Cases" in book.sheetnames
        finally:
            book.close()


def test_progress_arriving_as_the_task_ends_is_harmless(qtbot: QtBot) -> None:
    """Many progress reports right up to the finish: the dialog goes only after the last."""
    from audit_app.ui.tasks import run_with_progress

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    results: list[int] = []
    release = threading.Event()

    def work(progress: object, _cancelled: object) -> int:
        release.wait(10)
        for done in range(1, 5001):
            progress(done, 5000)  # type: ignore[operator]
        return 7

    for _ in range(3):
        run_with_progress(parent, "Working", work, on_finished=results.append)
    release.set()
    qtbot.waitUntil(lambda: results == [7, 7, 7], timeout=30_000)


def test_a_finish_arriving_inside_set_value_waits_for_it(qtbot: QtBot) -> None:
    """Issue 16's crash: once the dialog shows, setValue processes events, and the finish
    queued just behind a progress report used to delete the dialog under setValue."""
    from PySide6.QtWidgets import QProgressDialog

    from audit_app.ui.tasks import run_with_progress

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    shown = threading.Event()
    results: list[str] = []

    def work(progress: object, _cancelled: object) -> str:
        step = 0
        while not shown.wait(0.01):  # report until the dialog is on screen
            step += 1
            progress(step % 1000, 1000)  # type: ignore[operator]
        progress(999, 1000)  # type: ignore[operator]  # queued just ahead of the finish
        return "done"

    def finished(result: str) -> None:
        # As the "Workbook exported" message box does: a nested event loop, in which Qt
        # deletes what was deleteLater'd, and the old code's dialog with it.
        loop = QEventLoop()
        QTimer.singleShot(0, loop.quit)
        loop.exec()
        results.append(result)

    run_with_progress(parent, "Working", work, on_finished=finished)

    def dialog_shown() -> bool:
        dialog = parent.findChild(QProgressDialog, "taskProgressDialog")
        return dialog is not None and dialog.isVisible()

    qtbot.waitUntil(dialog_shown, timeout=10_000)
    shown.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=10_000)
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog, "taskProgressDialog") is None)


class _GatedReads:
    """Reads that wait for their gate, counting how many run at once."""

    def __init__(self) -> None:
        self.gates: dict[str, threading.Event] = {}
        self.started: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def read(self, name: str, *, fail: bool = False) -> Callable[[TaskControl], str]:
        self.gates[name] = threading.Event()

        def work(_control: TaskControl) -> str:
            with self._lock:
                self.started.append(name)
                self.running += 1
                self.most_at_once = max(self.most_at_once, self.running)
            try:
                assert self.gates[name].wait(10)
                if fail:
                    raise RuntimeError(f"{name} broke")
                return name
            finally:
                with self._lock:
                    self.running -= 1
        return work


def _coalescing(qtbot: QtBot) -> tuple[CoalescingQuery[str], list[str], list[BaseException]]:
    page = QWidget()
    qtbot.addWidget(page)
    arrived: list[str] = []
    failed: list[BaseException] = []
    return CoalescingQuery(page, arrived.append, failed.append), arrived, failed


def test_a_coalescing_query_runs_one_read_at_a_time_and_shows_only_the_latest(
        qtbot: QtBot) -> None:
    query, arrived, _failed = _coalescing(qtbot)
    reads = _GatedReads()
    query.request(reads.read("first"))
    qtbot.waitUntil(lambda: reads.started == ["first"])
    for name in ("second", "third", "fourth"):  # a burst of changes while the first runs
        query.request(reads.read(name))
    assert query.running
    for gate in reads.gates.values():
        gate.set()
    qtbot.waitUntil(lambda: not query.running)
    assert reads.started == ["first", "fourth"], "the latest request wins, the rest never run"
    assert arrived == ["fourth"], "the first read's result was stale when it came"
    assert reads.most_at_once == 1


def test_a_lone_request_arrives_and_a_discarded_one_does_not(qtbot: QtBot) -> None:
    query, arrived, _failed = _coalescing(qtbot)
    reads = _GatedReads()
    query.request(reads.read("only"))
    reads.gates["only"].set()
    qtbot.waitUntil(lambda: arrived == ["only"])
    assert not query.running

    query.request(reads.read("unwanted"))
    query.discard()  # e.g. the page moved to another audit while it ran
    reads.gates["unwanted"].set()
    qtbot.waitUntil(lambda: not query.running)
    qtbot.wait(50)  # nothing more is queued to arrive
    assert arrived == ["only"]


def test_only_the_latest_request_s_failure_is_reported(qtbot: QtBot) -> None:
    query, arrived, failed = _coalescing(qtbot)
    reads = _GatedReads()
    query.request(reads.read("stale", fail=True))
    qtbot.waitUntil(lambda: reads.started == ["stale"])
    query.request(reads.read("latest", fail=True))
    for gate in reads.gates.values():
        gate.set()
    qtbot.waitUntil(lambda: not query.running)
    assert arrived == [] and [str(error) for error in failed] == ["latest broke"]

    query.request(reads.read("again"))
    reads.gates["again"].set()
    qtbot.waitUntil(lambda: arrived == ["again"])  # a failure does not stop later reads


def test_the_audit_list_refreshes_counts_in_the_background(
        qtbot: QtBot, sqlite_db: Database) -> None:
    from audit_app.services.audits import create_audit
    from audit_app.ui.audit_list import AuditListPanel

    create_audit(sqlite_db, name="Q3 review", framework="da-nfa-review")
    panel = AuditListPanel(sqlite_db)
    qtbot.addWidget(panel)
    panel.read_now()  # as before the window's first paint
    assert panel.list_widget.count() == 1
    create_audit(sqlite_db, name="Q4 review", framework="da-nfa-review")
    panel.refresh_in_background()
    assert panel.refreshing and panel.list_widget.count() == 1, "nothing read on the GUI thread"
    qtbot.waitUntil(lambda: not panel.refreshing)
    assert panel.list_widget.count() == 2

    panel.refresh_in_background()
    create_audit(sqlite_db, name="Q1 review", framework="da-nfa-review")
    panel.read_now()  # read now: what the background read found may be older
    assert panel.list_widget.count() == 3
    qtbot.waitUntil(lambda: not panel.refreshing)
    assert panel.list_widget.count() == 3

    panel.refresh_in_background()
    create_audit(sqlite_db, name="Q2 review", framework="da-nfa-review")
    panel.refresh()  # asked again while the first read runs: the newest request is shown
    qtbot.waitUntil(lambda: not panel.refreshing)
    assert panel.list_widget.count() == 4
