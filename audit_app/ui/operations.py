"""How the UI talks to services: `QueryOp` reads, `ChangeOp` writes, one `changed` signal.

Modelled on Anki's `aqt.operations` (CollectionOp / QueryOp). A page builds an operation
around one service call, says what to do on success (and, optionally, on failure or with
a progress dialog), and runs it in the background:

    QueryOp(self, lambda _: compute_findings(db, audit_id=1), self.show_findings).run()
    ChangeOp(self, lambda _: add_action(db, ...), Changes(audit_id=1, actions=True)).run()

The work runs on the thread pool (`ui/tasks.py`); its result comes back on the GUI thread.
After a ChangeOp succeeds, ONE app-wide `changed(Changes, initiator)` goes out, and each
page decides from the `Changes` whether it needs to redraw (lazily, when next shown, if it
is hidden). No other refresh callbacks run between pages.

Writes that must land strictly in the order they were made (a reviewer's key presses) are
ChangeOps run `.in_order()`: they go to the one serial writer (`write_queue()`, a pool of
one thread, first in first out) and each commits as soon as those before it have. Every
other operation starts only once the writes queued before it have landed, so a read, an
export, a backup or a package sees every key pressed before it was asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from shiboken6 import isValid

from audit_app.core.errors import UserError
from audit_app.ui.errors import log_unexpected, report_error
from audit_app.ui.tasks import BackgroundTask, Work, run_with_progress, start_task

T = TypeVar("T")


@dataclass(frozen=True)
class TaskControl:
    """What the work gets: pass these straight to a service's `progress=` and `cancelled=`."""

    progress: Callable[[int, int], None]
    cancelled: Callable[[], bool]


Op = Callable[[TaskControl], T]


@dataclass(frozen=True)
class Changes:
    """What kinds of record an operation changed, and in which audit (None: any or none)."""

    audit_id: int | None = None
    audits: bool = False       # created, renamed, closed, reopened, purged
    cases: bool = False        # population imported, sample drawn or changed
    answers: bool = False      # scores and notes
    verdicts: bool = False     # review details: verdicts, flags, completion
    actions: bool = False
    thresholds: bool = False
    frameworks: bool = False

    def concerns(self, audit_id: int | None) -> bool:
        """True if a page showing `audit_id` may show something these changes moved."""
        return audit_id is not None and (self.audit_id is None or self.audit_id == audit_id)

    @property
    def findings(self) -> bool:
        """Anything the Findings page computes from (frameworks alone do not move an audit)."""
        return (self.audits or self.cases or self.answers or self.verdicts or self.actions
                or self.thresholds)


class OperationSignals(QObject):
    """The app-wide hub: `changed(Changes, initiator)` after every change."""

    changed = Signal(object, object)


_hub: OperationSignals | None = None


def operation_signals() -> OperationSignals:
    """The one hub, made on first use (after the QApplication exists)."""
    global _hub
    if _hub is None:
        _hub = OperationSignals()
    return _hub


def announce(changes: Changes, initiator: object | None = None) -> None:
    """Tell every page what changed (ChangeOp calls this once its change has landed)."""
    operation_signals().changed.emit(changes, initiator)


SAVING_NOTE_AFTER_MS = 300  # a drain shorter than this shows nothing
DRAIN_LIMIT_MS = 60_000  # a write stuck this long (a locked database) is left to fail alone


class WriteQueue(QObject):
    """The one serial writer: a pool of ONE thread, first in first out, for the writes that
    must land in the order they were made. `pending` counts writes not yet reported back."""

    settled = Signal()  # the last pending write has reported back

    def __init__(self) -> None:
        super().__init__()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer: one order
        self.pending = 0

    def submit(self, work: Work, done: Callable[[object], None],
               failed: Callable[[object], None]) -> BackgroundTask:
        """Queue `work` behind every write queued before it."""
        self.pending += 1

        def settle_then(report: Callable[[object], None]) -> Callable[[object], None]:
            def reported(outcome: object) -> None:
                # Counted down first: a drain started inside `report` must not wait for it.
                self.pending -= 1
                if self.pending == 0:
                    self.settled.emit()
                report(outcome)
            return reported

        return start_task(work, on_finished=settle_then(done), on_failed=settle_then(failed),
                          pool=self._pool)

    def after_writes(self, start: Callable[[], None]) -> None:
        """Run `start` once every write queued so far has landed (at once if none waits): a
        no-op queued behind them reports back after they have."""
        if self.pending == 0:
            start()
            return
        start_task(lambda _progress, _cancelled: None, on_finished=lambda _none: start(),
                   on_failed=lambda _error: start(), pool=self._pool)

    def drain(self) -> None:
        """Wait, on the GUI thread, until every pending write has landed and reported back
        (before a window closes or another audit opens). Keys and clicks wait meanwhile; a
        drain that takes a moment says "Saving…" in the main window's status bar."""
        if self.pending == 0:
            return
        loop = QEventLoop()
        self.settled.connect(loop.quit)
        window = QApplication.activeWindow()
        bar = window.statusBar() if isinstance(window, QMainWindow) else None
        note = QTimer(singleShot=True, interval=SAVING_NOTE_AFTER_MS)
        if bar is not None:
            note.timeout.connect(lambda: bar.showMessage("Saving your latest changes…"))
        limit = QTimer(singleShot=True, interval=DRAIN_LIMIT_MS)
        limit.timeout.connect(loop.quit)
        note.start()
        limit.start()
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.settled.disconnect(loop.quit)
        limit.stop()
        if not note.isActive() and bar is not None:
            bar.clearMessage()
        note.stop()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the writer thread is idle (at exit, or a test's end): the writes are
        committed, though their reports may still wait in the event queue."""
        return self._pool.waitForDone(msecs)


_writer: WriteQueue | None = None


def write_queue() -> WriteQueue:
    """The app's one serial writer, made on first use."""
    global _writer
    if _writer is None:
        _writer = WriteQueue()
    return _writer


def wait_for_writes(msecs: int = 30_000) -> None:
    """At exit (ui/app.py) and after each test: every queued write committed."""
    if _writer is not None:
        _writer.wait(msecs)


class _Operation(Generic[T]):
    """What QueryOp and ChangeOp share: the work, its callbacks and optional progress."""

    def __init__(self, parent: QObject | None, op: Op[T]) -> None:
        self._parent = parent
        self._op = op
        self._failure: Callable[[BaseException], object] | None = None
        self._progress: tuple[str, str] | None = None
        self._in_order = False

    def _parent_gone(self) -> bool:
        """The page that asked was closed meanwhile: nobody is left to show the result."""
        return self._parent is not None and not isValid(self._parent)

    def _fail(self, error: object) -> None:
        assert isinstance(error, BaseException)
        if self._parent_gone():
            if not isinstance(error, UserError):  # a bug is logged even so
                log_unexpected(type(error), error, error.__traceback__)
        elif self._failure is not None:
            self._failure(error)
        else:
            report_error(self._parent if isinstance(self._parent, QWidget) else None, error)

    def _done(self, result: T) -> None:
        raise NotImplementedError

    def _start(self) -> BackgroundTask:
        op = self._op

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> T:
            return op(TaskControl(progress, cancelled))

        def done(result: object) -> None:
            self._done(result)  # type: ignore[arg-type]  # the op's own result, back from the pool

        writes = write_queue()
        if self._in_order:
            return writes.submit(work, done, self._fail)
        if self._progress is not None:
            title, label = self._progress
            parent = self._parent if isinstance(self._parent, QWidget) else None
            return run_with_progress(parent, title, work, on_finished=done,
                                     on_failed=self._fail, label=label,
                                     starter=writes.after_writes)
        return start_task(work, on_finished=done, on_failed=self._fail,
                          starter=writes.after_writes)


class QueryOp(_Operation[T]):
    """Read in the background; `success(result)` runs on the GUI thread."""

    def __init__(self, parent: QObject | None, op: Op[T], success: Callable[[T], object]) -> None:
        super().__init__(parent, op)
        self._success = success

    def failure(self, failure: Callable[[BaseException], object]) -> QueryOp[T]:
        self._failure = failure
        return self

    def with_progress(self, title: str, label: str = "Working…") -> QueryOp[T]:
        """A progress dialog with Cancel while the work runs (for reads that take a while)."""
        self._progress = (title, label)
        return self

    def _done(self, result: T) -> None:
        if not self._parent_gone():
            self._success(result)

    def run(self) -> BackgroundTask:
        return self._start()


class ChangeOp(_Operation[T]):
    """A service call that changes data, run in the background; on success `changed` goes
    out once with `changes` (or what `changes(result)` says), then `success(result)` runs."""

    def __init__(self, parent: QObject | None, op: Op[T],
                 changes: Changes | Callable[[T], Changes]) -> None:
        super().__init__(parent, op)
        self._changes = changes
        self._success: Callable[[T], object] | None = None

    def success(self, success: Callable[[T], object]) -> ChangeOp[T]:
        self._success = success
        return self

    def failure(self, failure: Callable[[BaseException], object]) -> ChangeOp[T]:
        self._failure = failure
        return self

    def with_progress(self, title: str, label: str = "Working…") -> ChangeOp[T]:
        self._progress = (title, label)
        return self

    def in_order(self) -> ChangeOp[T]:
        """Through the serial writer: after every write queued before it, before any queued
        after it (key presses). No progress dialog: such a write is one short transaction."""
        self._in_order = True
        return self

    def _done(self, result: T) -> None:
        # Pages redraw first: success often opens a message box that waits for the user.
        changes = self._changes(result) if callable(self._changes) else self._changes
        gone = self._parent_gone()
        announce(changes, None if gone else self._parent)  # the data changed all the same
        if self._success is not None and not gone:
            self._success(result)

    def run(self) -> BackgroundTask:
        return self._start()


class CoalescingQuery(Generic[T]):
    """A page's repeated read (its figures, its checks, its sample): at most one runs at a
    time, and only the newest request's result is shown.

    `request(op)` while a read runs keeps `op` as the next one to run, replacing any
    request already waiting (the latest wins); when the running read ends its result is
    dropped, as stale, and the waiting one starts. `discard()` drops the running read's
    result without asking for another (the page moved to another audit, say). Each page
    used to carry this logic itself; a change that lands mid-read is never lost and a
    burst of changes costs at most two reads.
    """

    def __init__(self, parent: QWidget, arrived: Callable[[T], object],
                 failed: Callable[[BaseException], object]) -> None:
        self._parent = parent
        self._arrived = arrived
        self._failed = failed
        self._running = False
        self._waiting: Op[T] | None = None
        self._generation = 0  # bumped by every request and discard: a result is current
        self.task: BackgroundTask | None = None  # the read running now, or the last one

    @property
    def running(self) -> bool:
        """True from a request until the newest request's result (or failure) is handled."""
        return self._running

    def request(self, op: Op[T]) -> None:
        """Run `op` now, or as soon as the read running now ends."""
        self._generation += 1
        if self._running:
            self._waiting = op
            return
        self._start(op)

    def discard(self) -> None:
        """Nobody wants the running read's result (nor the waiting one's) any more."""
        self._generation += 1
        self._waiting = None

    def _start(self, op: Op[T]) -> None:
        self._running = True
        generation = self._generation
        self.task = QueryOp(self._parent, op, lambda result: self._done(generation, result)
                            ).failure(lambda error: self._fail(generation, error)).run()

    def _next(self) -> bool:
        """Start the waiting read, if any: True if one started."""
        waiting, self._waiting = self._waiting, None
        if waiting is None:
            self._running = False
            return False
        self._start(waiting)
        return True

    def _done(self, generation: int, result: T) -> None:
        current = generation == self._generation
        if not self._next() and current:
            self._arrived(result)

    def _fail(self, generation: int, error: BaseException) -> None:
        current = generation == self._generation
        if self._next() or not current:
            if not isinstance(error, UserError):  # a stale read's bug is logged all the same
                log_unexpected(type(error), error, error.__traceback__)
            return
        self._failed(error)
