"""The engine under `ui/operations.py`: service work on a QThreadPool, progress and Cancel.

A task's work function receives `progress(done, total)` and `cancelled()` callables and
hands them straight to the service, so the service stays Qt-free. Workers never touch
widgets: everything they report travels by queued signals to the GUI thread, and each
service call opens its own short session, so no Session crosses threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from audit_app.ui.errors import report_error

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]
# Puts a task in its pool: at once, or later (ui/operations.py waits for pending writes).
Starter = Callable[[Callable[[], None]], None]


def _start_now(start: Callable[[], None]) -> None:
    start()

# Tasks in flight, kept alive here until they report (QThreadPool owns only the C++ side).
_running: set[BackgroundTask] = set()


class TaskSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class BackgroundTask(QRunnable):
    """Runs `work(progress, cancelled)` off the GUI thread and reports by signals."""

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self._work = work
        self.keep_with: object = None  # what must live as long as the task (its progress dialog's handler)
        self._cancel_requested = threading.Event()
        self._last_reported: tuple[int, int] = (-1, -1)

    def cancel(self) -> None:
        self._cancel_requested.set()

    def is_cancelled(self) -> bool:
        return self._cancel_requested.is_set()

    def _report(self, done: int, total: int) -> None:
        # Services may report every row; only pass on visible changes (per mille).
        step = (done * 1000 // total) if total > 0 else done
        if (step, total) != self._last_reported:
            self._last_reported = (step, total)
            self.signals.progress.emit(done, total)

    def run(self) -> None:
        try:
            result = self._work(self._report, self.is_cancelled)
        except BaseException as error:  # reported to the GUI thread, never swallowed
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)


def _keep_alive_until_reported(task: BackgroundTask) -> None:
    # Release the task on a later turn of the event loop, after every slot has run.
    def release(_: object) -> None:
        QTimer.singleShot(0, lambda: _running.discard(task))

    _running.add(task)
    task.signals.finished.connect(release)
    task.signals.failed.connect(release)


def start_task(work: Work, *, on_progress: Callable[[int, int], None] | None = None,
               on_finished: Callable[[Any], None] | None = None,
               on_failed: Callable[[Any], None] | None = None,
               pool: QThreadPool | None = None,
               starter: Starter = _start_now) -> BackgroundTask:
    """Start `work` in the pool. Slots are connected before it starts: a fast task must not
    report into the void."""
    task = BackgroundTask(work)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    if on_finished is not None:
        task.signals.finished.connect(on_finished)
    if on_failed is not None:
        task.signals.failed.connect(on_failed)
    _keep_alive_until_reported(task)
    starter(lambda: (pool or QThreadPool.globalInstance()).start(task))
    return task


def _progress_dialog(parent: QWidget | None, title: str, label: str) -> QProgressDialog:
    from PySide6.QtCore import Qt  # not at import: the window's first paint goes without it

    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("taskProgressDialog")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(300)
    dialog.setMinimumWidth(380)
    dialog.setValue(0)
    return dialog


class _ProgressRun:
    """One task's progress dialog. `QProgressDialog.setValue` on a modal dialog processes
    events, so the task's finish can arrive while we are still inside it (issue 16: a second
    export started quickly crashed there). So progress is never applied once the task is over
    or while a setValue is under way, and a finish that arrives inside setValue is handled
    once setValue has returned."""

    def __init__(self, parent: QWidget | None, dialog: QProgressDialog, task: BackgroundTask,
                 on_finished: Callable[[Any], None],
                 on_failed: Callable[[BaseException], None] | None) -> None:
        self.parent, self.dialog, self.task = parent, dialog, task
        self.on_finished, self.on_failed = on_finished, on_failed
        self.over = False
        self.in_set_value = False
        self.after_set_value: list[Callable[[], None]] = []
        task.signals.progress.connect(self.show_progress)
        task.signals.finished.connect(self.finish)
        task.signals.failed.connect(self.fail)
        dialog.canceled.connect(self.request_cancel)

    def alive(self) -> bool:
        return not self.over and isValid(self.dialog)

    def show_progress(self, done: int, total: int) -> None:
        if total <= 0 or self.in_set_value or not self.alive():
            return
        self.in_set_value = True
        try:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        finally:
            self.in_set_value = False
        while self.after_set_value:  # a finish that arrived inside setValue runs now, outside it
            self.after_set_value.pop(0)()

    def _settle(self, then: Callable[[], None]) -> None:
        if self.in_set_value:
            self.after_set_value.append(then)
        else:
            then()

    def _dismiss(self) -> None:
        self.over = True
        if isValid(self.dialog):
            # Closing a QProgressDialog emits canceled; the work is over, so unhook first.
            self.dialog.canceled.disconnect(self.request_cancel)
            self.dialog.hide()
            self.dialog.deleteLater()

    def finish(self, result: object) -> None:
        def run() -> None:
            self._dismiss()
            self.on_finished(result)
        self._settle(run)

    def fail(self, error: object) -> None:
        def run() -> None:
            self._dismiss()
            assert isinstance(error, BaseException)
            if self.on_failed is not None:
                self.on_failed(error)
            else:
                report_error(self.parent, error)
        self._settle(run)

    def request_cancel(self) -> None:
        if self.alive():
            self.dialog.setLabelText("Stopping… nothing will be changed.")
        self.task.cancel()


def run_with_progress(parent: QWidget | None, title: str, work: Work, *,
                      on_finished: Callable[[Any], None],
                      on_failed: Callable[[BaseException], None] | None = None,
                      label: str = "Working…", starter: Starter = _start_now
                      ) -> BackgroundTask:
    """Run `work` with a modal progress dialog whose Cancel asks the service to stop."""
    task = BackgroundTask(work)
    task.keep_with = _ProgressRun(  # lives as long as the task
        parent, _progress_dialog(parent, title, label), task, on_finished, on_failed)
    _keep_alive_until_reported(task)
    starter(lambda: QThreadPool.globalInstance().start(task))
    return task
