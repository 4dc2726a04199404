"""Emitting a signal many times from Python leaves `True`'s reference count intact."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from audit_app.ui.signals import emit


class Sender(QObject):
    progress = Signal(int, int)


def test_many_emits_keep_true_alive() -> None:
    sender = Sender()
    received: list[int] = []
    sender.progress.connect(lambda done, _total: received.append(done))
    before = sys.getrefcount(True)
    for done in range(5000):
        emit(sender.progress, done, 5000)
    assert len(received) == 5000
    # A faulty emit would have dropped ~5,000 references by now.
    assert sys.getrefcount(True) >= before - 10
