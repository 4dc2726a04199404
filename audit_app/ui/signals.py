"""Emitting Qt signals from Python without wearing out `True`.

PySide6 6.12.0 on Python 3.11 returns `True` from `SignalInstance.emit()` without
taking a reference to it, so every emit made from Python drops one reference to the
interpreter's `True`. After a few thousand emits (a long import's progress, a day of
scoring) the interpreter aborts with "bool_dealloc". `emit()` here gives the reference
back when, and only when, the running PySide is found to have the fault.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_PROBE_EMITS = 16


class _Probe(QObject):
    ping = Signal()


def _restore(value: object, times: int = 1) -> None:
    for _ in range(times):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.ping.emit()
    dropped = before - sys.getrefcount(True)
    if dropped > 0:
        _restore(True, dropped)  # undo the probe's own damage
    return dropped >= _PROBE_EMITS // 2


EMIT_DROPS_A_REFERENCE = _emit_drops_a_reference()


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, safe to call any number of times."""
    result = signal.emit(*args)
    if EMIT_DROPS_A_REFERENCE and isinstance(result, bool):
        _restore(result)
