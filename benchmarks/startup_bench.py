"""Benchmark: how long the desktop app takes to show its audit list, against a bare window.

    .venv/bin/python benchmarks/startup_bench.py [--repeat 5] [--compare OTHER_CHECKOUT]

Two programs, each a fresh process with QT_QPA_PLATFORM=offscreen, timed in the same
round and alternated, medians over `--repeat` rounds:
  - the app (`audit-app --db DEMO gui`, started as the entry point starts it) from process
    start to the main window exposed, painted, and its audit list filled from a demo
    database (made once, not timed): the list peeked at with sqlite3 before SQLAlchemy
    loads (shown disabled), and, timed apart, the list enabled on the open database;
  - a bare PySide6 `QMainWindow`, from process start to the window exposed and painted.
Each child prints a monotonic timestamp (the clock is shared by every process on the
machine) the moment its window is ready; the figure is that less the moment the parent
started it. The same watcher decides "ready" for both: an event filter on the
QApplication from its making that stamps the first paint event of the window (bare) or
of the audit list holding audits (app). The app goes on to reopen the last audit after
that.
With --compare, the app from another checkout (say, before a change) is timed in the
same rounds too, on the same database. Bytecode is cached in a scratch folder and each
program runs once untimed first, as an installed app finds its .pyc files ready;
QSettings go to the scratch folder too.
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

# Installed on the QApplication as soon as it is made (the app paints its window, and its
# peeked audit list, before the event loop starts): the time is stamped when the widget
# `SHOWN(widget)` picks out (for the app, the audit list's viewport once it holds audits)
# receives its first paint event, the window around it painted already, and the child exits.
WATCHER = r"""
import os, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class _Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and SHOWN(watched):
            print(f"ready {time.monotonic():.6f}", flush=True)
            os._exit(0)
        return False

_watcher = _Watch()
def watch(app):
    app.installEventFilter(_watcher)
    return app
"""

APP = WATCHER + r"""
def SHOWN(widget):
    for window in QApplication.topLevelWidgets():
        panel = getattr(window, "audit_list", None)
        if panel is not None and widget is panel.list_widget.viewport():
            return panel.list_widget.count() > 0 and (panel.isEnabled() or not OPEN_ONLY)
    return False

import sys
import audit_app.ui.app as started
_make_application = started.make_application
started.make_application = lambda *args, **kwargs: watch(_make_application(*args, **kwargs))
from audit_app.cli import main
sys.exit(main(["--db", os.environ["STARTUP_BENCH_DB"], "gui"]))
"""

# The list the app shows first is peeked at with sqlite3 and disabled until the database
# is open; the second figure waits for the list enabled on the open database.
APP_PEEKED = "OPEN_ONLY = False\n" + APP
APP_OPEN = "OPEN_ONLY = True\n" + APP

BARE = WATCHER + r"""
import sys
from PySide6.QtWidgets import QMainWindow
app = watch(QApplication(sys.argv[:1]))
window = QMainWindow()
window.resize(1366, 768)
window.show()
SHOWN = lambda widget: widget is window
app.exec()
"""


def _seconds(program: str, env: dict[str, str], root: Path = ROOT) -> float:
    """Process start to the child's ready stamp; `root`'s audit_app is the one imported."""
    started = time.monotonic()
    child = subprocess.run([sys.executable, "-c", program], cwd=root, env=env, check=True,
                           capture_output=True, text=True, timeout=120)
    stamps = [line for line in child.stdout.splitlines() if line.startswith("ready ")]
    if not stamps:
        raise SystemExit(f"the child never became ready:\n{child.stderr[-2000:]}")
    return float(stamps[-1].split()[1]) - started


def _rounds(programs: list[tuple[str, Path]], repeat: int,
            env: dict[str, str]) -> list[list[float]]:
    """Each round times every program, the order turning each round so none always runs warm."""
    times: list[list[float]] = [[] for _ in programs]
    for round_number in range(repeat):
        shift = round_number % len(programs)
        for index in [*range(shift, len(programs)), *range(shift)]:
            program, root = programs[index]
            times[index].append(_seconds(program, env, root))
    return times


def _report(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"{name:<32}: {median:6.3f} s  (runs {', '.join(f'{t:.3f}' for t in times)})")
    return median


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds (at least 3)")
    parser.add_argument("--compare", help="another checkout whose app is timed in the same rounds")
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
    programs = [(APP_PEEKED, ROOT), (BARE, ROOT), (APP_OPEN, ROOT)]
    if options.compare:  # an older checkout may have no peek: its list is the open one
        programs.append((APP_PEEKED, Path(options.compare).resolve()))
    for program, root in programs:
        _seconds(program, env, root)  # bytecode written, files in the page cache
    times = _rounds(programs, repeat, env)
    print(f"medians of {repeat} rounds (fresh process each)")
    app_median = _report("app, audit list shown", times[0])
    bare_median = _report("bare QMainWindow shown", times[1])
    open_median = _report("app, list on the open database", times[2])
    print(f"ratio {app_median / bare_median:.2f}   (target <= 1.5); "
          f"to the open database {open_median / bare_median:.2f}")
    if options.compare:
        other = _report(f"app from {options.compare}", times[3])
        print(f"that checkout's ratio {other / bare_median:.2f}; this one is "
              f"{other / app_median:.2f}x as quick")
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
