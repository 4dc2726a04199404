"""The background-task helper: progress, results, failures and cancellation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from audit_app.core.errors import Cancelled, UserError
from audit_app.core.progress import check_cancelled
from audit_app.ui import tasks
from audit_app.ui.errors import error_log_path

Progress = Callable[[int, int], None]


def counting(total: int) -> tasks.Work:
    def work(progress: Progress, cancelled: Callable[[], bool]) -> int:
        for done in range(1, total + 1):
            progress(done, total)
        return total * 2
    return work


def test_reports_progress_then_the_result(qtbot: QtBot) -> None:
    seen: list[tuple[int, int]] = []
    results: list[object] = []
    task = tasks.start_task(counting(5), on_progress=lambda d, t: seen.append((d, t)),
                            on_finished=results.append)
    qtbot.waitUntil(lambda: results == [10])
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert not task.is_cancelled()


def test_progress_is_thinned_to_visible_steps(qtbot: QtBot) -> None:
    seen: list[tuple[int, int]] = []
    results: list[object] = []
    tasks.start_task(counting(100_000), on_progress=lambda d, t: seen.append((d, t)),
                     on_finished=results.append)
    qtbot.waitUntil(lambda: bool(results))
    assert len(seen) <= 1001
    assert seen[-1] == (100_000, 100_000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_failure_is_reported_with_the_error(qtbot: QtBot) -> None:
    def work(progress: Progress, cancelled: Callable[[], bool]) -> None:
        progress(1, 3)
        raise UserError("Column 'Outcome' is missing")

    failures: list[object] = []
    finished: list[object] = []
    tasks.start_task(work, on_failed=failures.append, on_finished=finished.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], UserError)
    assert str(failures[0]) == "Column 'Outcome' is missing"
    assert finished == []


def test_cancel_reaches_the_service(qtbot: QtBot) -> None:
    started = threading.Event()
    release = threading.Event()

    def work(progress: Progress, cancelled: Callable[[], bool]) -> str:
        started.set()
        release.wait(10)
        check_cancelled(cancelled)
        return "should not get here"

    failures: list[object] = []
    task = tasks.start_task(work, on_failed=failures.append)
    assert started.wait(10)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], Cancelled)


def test_progress_dialog_cancel_button_cancels(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: messages.append(text))

    def work(progress: Progress, cancelled: Callable[[], bool]) -> None:
        started.set()
        for _ in range(1000):
            if cancelled():
                check_cancelled(cancelled)
            threading.Event().wait(0.01)

    results: list[object] = []
    task = tasks.run_with_progress(parent, "Working", work, on_finished=results.append)
    assert started.wait(10)
    dialog = parent.findChild(QProgressDialog, "taskProgressDialog")
    assert dialog is not None
    cancel_button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel_button.click()
    assert task.is_cancelled()
    qtbot.waitUntil(lambda: bool(messages))
    assert messages == ["Cancelled: nothing was changed."]
    assert results == []


def test_unexpected_errors_are_logged_not_shown(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append(f"{title}|{text}"))

    def work(progress: Progress, cancelled: Callable[[], bool]) -> None:
        raise KeyError("internal detail")

    tasks.run_with_progress(parent, "Working", work, on_finished=lambda _r: None)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0].startswith("Something went wrong|")
    assert "KeyError" not in shown[0] and "Traceback" not in shown[0]
    log = Path(error_log_path()).read_text(encoding="utf-8")
    assert "KeyError: 'internal detail'" in log
