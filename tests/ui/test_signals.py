"""Emitting signals many times leaves `True`'s reference count intact.

PySide6 6.12.0 dropped a reference to `True` on every emit; pyproject excludes that version,
so the app no longer patches `SignalInstance.emit`. These tests would show it if a PySide6
release with the fault came back.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, QThreadPool, Signal
from pytestqt.qtbot import QtBot

from audit_app.ui.tasks import start_task


class Sender(QObject):
    progress = Signal(int, int)


def test_many_emits_keep_true_alive() -> None:
    sender = Sender()
    received: list[int] = []
    sender.progress.connect(lambda done, _total: received.append(done))
    before = sys.getrefcount(True)
    for done in range(6000):
        sender.progress.emit(done, 6000)
    assert len(received) == 6000
    # A faulty emit would have dropped ~6,000 references by now (True starts with a few hundred).
    assert sys.getrefcount(True) >= before - 10


def test_emits_from_worker_threads_keep_true_alive(qtbot: QtBot) -> None:
    gc.collect()  # earlier tests' garbage holding True must not move the count mid-test
    before = sys.getrefcount(True)
    results: list[object] = []

    def work(progress: object, _cancelled: object) -> int:
        for done in range(5000):
            progress(done, 4)  # type: ignore[operator]  # thinning lets each distinct step through
        return 1

    start_task(work, on_finished=results.append)
    qtbot.waitUntil(lambda: results == [1])
    QThreadPool.globalInstance().waitForDone(5000)
    # Waiting runs the event loop, which may free unrelated objects; 5,000 drops would show.
    assert sys.getrefcount(True) >= before - 500
