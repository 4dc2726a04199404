"""Benchmark: how long the desktop app takes to show its audit list, against a bare window.

    .venv/bin/python benchmarks/startup_bench.py [--repeat 5]

Two programs, each a fresh process with QT_QPA_PLATFORM=offscreen, timed in the same
round and alternated, medians over `--repeat` rounds:
  - the app (`audit-app --db DEMO gui`, started as the entry point starts it) from process
    start to the main window exposed, painted, and its audit list filled from a demo
    database (made once, not timed);
  - a bare PySide6 `QMainWindow`, from process start to the window exposed and painted.
Each child prints a monotonic timestamp (the clock is shared by every process on the
machine) the moment its window is ready; the figure is that less the moment the parent
started it. The same watcher, a zero-delay timer started with the event loop, decides
"ready" for both, and forces one paint of the window before it stamps the time.
Bytecode is cached in a scratch folder and each program runs once untimed first, as an
installed app finds its .pyc files ready; QSettings go to the scratch folder too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Calls `ready(find)` when the event loop starts: polls `find()` for a window that is
# exposed (and, for the app, has its audit list filled), paints it, stamps the time, exits.
WATCHER = r"""
import os, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

def watch(find):
    def tick():
        window = find()
        handle = window.windowHandle() if window is not None else None
        if handle is not None and handle.isExposed():
            window.repaint()
            print(f"ready {time.monotonic():.6f}", flush=True)
            os._exit(0)
        QTimer.singleShot(1, tick)
    QTimer.singleShot(0, tick)

_exec = QApplication.exec
def exec_watched(*_ignored):
    watch(FIND)
    return _exec()
QApplication.exec = exec_watched
"""

APP = WATCHER + r"""
def FIND():
    for widget in QApplication.topLevelWidgets():
        panel = getattr(widget, "audit_list", None)
        if widget.isVisible() and panel is not None and panel.list_widget.count() > 0:
            return widget
    return None

import sys
from audit_app.cli import main
sys.exit(main(["--db", os.environ["STARTUP_BENCH_DB"], "gui"]))
"""

BARE = WATCHER + r"""
import sys
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1366, 768)
window.show()
FIND = lambda: window
app.exec()
"""


def _seconds(program: str, env: dict[str, str]) -> float:
    """Process start to the child's ready stamp."""
    started = time.monotonic()
    child = subprocess.run([sys.executable, "-c", program], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True, timeout=120)
    stamps = [line for line in child.stdout.splitlines() if line.startswith("ready ")]
    if not stamps:
        raise SystemExit(f"the child never became ready:\n{child.stderr[-2000:]}")
    return float(stamps[-1].split()[1]) - started


def _pair(repeat: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Each round times both, alternating which goes first so neither always runs warm."""
    app_times: list[float] = []
    bare_times: list[float] = []
    for round_number in range(repeat):
        order = [(APP, app_times), (BARE, bare_times)]
        for program, times in order if round_number % 2 else reversed(order):
            times.append(_seconds(program, env))
    return app_times, bare_times


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the pair (at least 3)")
    options = parser.parse_args()
    repeat = max(3, options.repeat)
    folder = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    database = folder / "demo.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "AUDIT_APP_DATA_DIR": str(folder),  # leaves the user's folder alone
           "XDG_CONFIG_HOME": str(folder / "config"),  # and the user's QSettings
           "PYTHONPYCACHEPREFIX": str(folder / "bytecode"),
           "STARTUP_BENCH_DB": str(database)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", "import sys; from audit_app.cli import main; "
                    "sys.exit(main())", "--db", str(database), "demo"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"before: {_load()}")
    for program in (APP, BARE):
        _seconds(program, env)  # bytecode written, files in the page cache
    app_times, bare_times = _pair(repeat, env)
    app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
    print(f"medians of {repeat} paired rounds (fresh process each)")
    print(f"app, audit list shown   : {app_median:6.3f} s  "
          f"(runs {', '.join(f'{t:.3f}' for t in app_times)})")
    print(f"bare QMainWindow shown  : {bare_median:6.3f} s  "
          f"(runs {', '.join(f'{t:.3f}' for t in bare_times)})")
    print(f"ratio {app_median / bare_median:.2f}   (target <= 1.5)")
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
