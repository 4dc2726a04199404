"""Waiting, in a UI test, for the app's background work to arrive on screen."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication


def settle(rounds: int = 6, wait_ms: int = 10_000) -> None:
    """Until the background reads have arrived and been shown: each round waits for the
    thread pool, then lets the GUI thread handle what the reads sent it (which may start
    more reads)."""
    for _ in range(rounds):
        QThreadPool.globalInstance().waitForDone(wait_ms)
        QApplication.processEvents()
