"""numpy's OpenBLAS runs on one thread unless whoever runs the app chose otherwise.

Its worker threads gain nothing on the app's small matrix products, then spin: an export
took a tenth more CPU than wall time (`audit_app/__init__.py`, docs/performance.md). Each
check runs in a fresh interpreter, since OpenBLAS reads the setting once, when numpy loads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The app's package first, as the app and the command line import it; then numpy.
PROBE = ("import os, audit_app, numpy; "
         "print(os.environ['OPENBLAS_NUM_THREADS'], "
         "len(os.listdir('/proc/self/task')) if os.path.isdir('/proc/self/task') else -1)")


def _run_probe(chosen: str | None) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        env["OPENBLAS_NUM_THREADS"] = chosen
    output = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    setting, threads = output.stdout.split()
    return setting, int(threads)


def test_numpy_gets_one_thread_by_default() -> None:
    setting, threads = _run_probe(None)
    assert setting == "1"
    if threads != -1:  # Linux: no OpenBLAS worker beside the main thread
        assert threads == 1


@pytest.mark.parametrize("chosen", ["2", "4"])
def test_a_choice_of_threads_is_kept(chosen: str) -> None:
    assert _run_probe(chosen)[0] == chosen
