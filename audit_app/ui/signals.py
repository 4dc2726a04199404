"""Emitting Qt signals from Python without wearing out `True`.

PySide6 6.12.0 on Python 3.11 returns `True` from `SignalInstance.emit()` without
taking a reference to it, so every emit made from Python drops one reference to the
interpreter's `True`, which starts with only a few hundred. After that many emits (one
import's progress, a few minutes of scoring) the interpreter aborts with "bool_dealloc".

Importing this module (the `audit_app.ui` package does) probes the running PySide once
and, only if it has the fault, wraps `SignalInstance.emit` to give the reference back.
Every emit in the app, ours and Qt's Python-side ones alike, is then safe.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBE_EMITS = 16
_original_emit = SignalInstance.emit


class _Probe(QObject):
    ping = Signal()


def _restore(value: object, times: int = 1) -> None:
    for _ in range(times):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        _original_emit(probe.ping)
    dropped = before - sys.getrefcount(True)
    if dropped > 0:
        _restore(True, dropped)  # undo the probe's own damage
    return dropped >= _PROBE_EMITS // 2


def _emit_keeping_the_reference(self: SignalInstance, *args: Any) -> Any:
    result = _original_emit(self, *args)
    if isinstance(result, bool):
        _restore(result)
    return result


EMIT_DROPS_A_REFERENCE = _emit_drops_a_reference()
if EMIT_DROPS_A_REFERENCE:
    SignalInstance.emit = _emit_keeping_the_reference  # type: ignore[method-assign]


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`; kept as the one call our code uses, so the fix has one home."""
    signal.emit(*args)
