"""Benchmark: how long the desktop app takes to show its audit list, against a bare window.

    .venv/bin/python benchmarks/startup_bench.py [--repeat 5] [--compare OTHER_CHECKOUT]
                                                 [--watch-all]

Three programs, each a fresh process with QT_QPA_PLATFORM=offscreen, timed in the same
round and alternated, medians over `--repeat` rounds:
  - the app (`audit-app --db DEMO gui`, started as the entry point starts it) from process
    start to the main window exposed, painted, and its audit list filled from a demo
    database (made once, not timed): the list peeked at with sqlite3 before SQLAlchemy
    loads (shown disabled), and, timed apart, the list enabled on the open database;
  - a bare PySide6 `QMainWindow`, from process start to the window exposed and painted;
  - the floor: the widgets the app's first paint shows, built with PySide alone (no app
    code), to their list's first paint. The app less this is what the app's code costs.
Each child prints a monotonic timestamp (the clock is shared by every process on the
machine) the moment its window is ready; the figure is that less the moment the parent
started it. The same watcher decides "ready" for all: an event filter on the target alone
that stamps its first paint event: the window (bare), or the audit list once it holds
audits (app, and the widgets alone). The app goes on to reopen the last audit after that.
`--watch-all` filters every object's events instead, as the figures up to 30 November
2026 were taken.
With --compare, the app from another checkout (say, before a change) is timed in the
same rounds too, on the same database. Bytecode is cached in a scratch folder and each
program runs once untimed first, as an installed app finds its .pyc files ready;
QSettings go to the scratch folder too.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The watcher stamps the moment the target widget (for the app, the audit list once it
# holds audits; for the bare program, the window) receives its first paint event, the
# window around it painted already, and the child exits. It filters the target's own
# events only: a Python filter on the whole QApplication makes PySide wrap every object
# that gets an event (a list's scroll bars, its model, the style), building those classes'
# Python enums, which costs the app far more than the bare window (over 0.1 s of the app's
# figure). `--watch-all` restores that filter, to compare with figures taken before. The
# list itself, not its viewport: the list's paint comes 0.2 ms before its viewport's in
# the same pass, and asking for the viewport (an object Qt made) costs PySide 17-20 ms
# the first time, which the app never pays and the bare window would not.
WATCHER = r"""
import os, time
_watcher = []
def watch(target):
    if not _watcher:  # made at first use: the app loads PySide itself, when it would
        from PySide6.QtCore import QEvent, QObject

        class _Watch(QObject):
            def eventFilter(self, watched, event):
                if event.type() == QEvent.Type.Paint and SHOWN(watched):
                    print(f"ready {time.monotonic():.6f}", flush=True)
                    os._exit(0)
                return False

        _watcher.append(_Watch())
    target.installEventFilter(_watcher[0])
    return target
"""

# The watcher goes in as the `gui` command starts, so PySide loads where it does for a user
# (after the command line); loading it first makes PySide read the source of every module
# imported after it (its `__feature__` check), the command line's too.
APP = WATCHER + r"""
import sys
import audit_app.cli.gui as gui_command
_panels = []

def SHOWN(widget):
    for panel in _panels:
        if widget is panel.list_widget:
            return panel.list_widget.count() > 0 and (panel.isEnabled() or not OPEN_ONLY)
    return False

def _watch_all():
    import audit_app.ui.app as started
    from PySide6.QtWidgets import QApplication
    made = started.make_application
    started.make_application = lambda *args, **kwargs: watch(made(*args, **kwargs))
    def every_window(widget):
        for window in QApplication.topLevelWidgets():
            panel = getattr(window, "audit_list", None)
            if panel is not None and panel not in _panels:
                _panels.append(panel)
        return SHOWN_IN_PANELS(widget)
    return every_window

def _watch_the_list():  # the list alone, from its making
    import audit_app.ui.audit_list as listing
    made = listing.AuditListPanel.__init__
    def watched(panel, *args, **kwargs):
        made(panel, *args, **kwargs)
        _panels.append(panel)
        watch(panel.list_widget)
    listing.AuditListPanel.__init__ = watched

_run_gui = gui_command.run_gui
def _run_watched(*args):
    global SHOWN
    if WATCH_ALL:
        SHOWN = _watch_all()
    else:
        _watch_the_list()
    return _run_gui(*args)
SHOWN_IN_PANELS = SHOWN
gui_command.run_gui = _run_watched
from audit_app.cli import main
sys.exit(main(["--db", os.environ["STARTUP_BENCH_DB"], "gui"]))
"""

# The list the app shows first is peeked at with sqlite3 and disabled until the database
# is open; the second figure waits for the list enabled on the open database.
APP_PEEKED = "OPEN_ONLY = False\n" + APP
APP_OPEN = "OPEN_ONLY = True\n" + APP

BARE = WATCHER + r"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
if WATCH_ALL:
    watch(app)
window = QMainWindow()
window.resize(1366, 768)
watch(window)
window.show()
SHOWN = lambda widget: widget is window
app.exec()
"""

# The floor: what the app's first paint holds (the menu bar's titles, the audits list with
# as many three-line entries, its title and button, the hint, the status line, the app's
# stylesheet), built straight from PySide with none of the app's code, stamped as the
# app is: the list's first paint. The app's figure less this one is the app's own cost.
WIDGETS = WATCHER + r"""
import sys
from pathlib import Path
from PySide6.QtWidgets import (
    QApplication, QLabel, QListWidget, QMainWindow, QPushButton, QSplitter, QVBoxLayout,
    QWidget)
app = QApplication([sys.argv[0], "-style", "Fusion"])
app.setStyleSheet(Path("resources/styles/app.qss").read_text(encoding="utf-8"))
window = QMainWindow()
window.setWindowTitle("Case File Audit")
for title in ("&File", "&View", "&Help"):
    window.menuBar().addMenu(title)
panel = QWidget()
panel.setObjectName("auditListPanel")
layout = QVBoxLayout(panel)
title = QLabel("Audits")
title.setObjectName("panelTitle")
layout.addWidget(title)
shown = QListWidget()
shown.setObjectName("auditList")
for number in range(int(os.environ["STARTUP_BENCH_AUDITS"])):
    shown.addItem(f"Audit number {number + 1}\nCriteria framework v1\n3,000 cases · sample 80")
layout.addWidget(shown, 1)
layout.addWidget(QPushButton("New audit…"))
hint = QLabel("Opening the database…")
hint.setObjectName("hint")
splitter = QSplitter()
splitter.addWidget(panel)
splitter.addWidget(hint)
window.setCentralWidget(splitter)
window.statusBar().addWidget(QLabel("Database: demo.sqlite3"), 1)
window.resize(1366, 768)
if WATCH_ALL:
    watch(app)
watch(shown)
SHOWN = lambda widget: widget is shown
window.show()
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
    parser.add_argument("--watch-all", action="store_true",
                        help="watch every object's events, as figures up to 30 November 2026 did")
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
    with sqlite3.connect(database) as connection:
        env["STARTUP_BENCH_AUDITS"] = str(connection.execute("SELECT count(*) FROM audit").fetchone()[0])
    print(f"before: {_load()}")
    prefix = f"WATCH_ALL = {options.watch_all}\n"
    programs = [(prefix + APP_PEEKED, ROOT), (prefix + BARE, ROOT), (prefix + APP_OPEN, ROOT),
                (prefix + WIDGETS, ROOT)]
    if options.compare:  # an older checkout may have no peek: its list is the open one
        programs.append((prefix + APP_PEEKED, Path(options.compare).resolve()))
    for program, root in programs:
        _seconds(program, env, root)  # bytecode written, files in the page cache
    times = _rounds(programs, repeat, env)
    print(f"medians of {repeat} rounds (fresh process each)")
    app_median = _report("app, audit list shown", times[0])
    bare_median = _report("bare QMainWindow shown", times[1])
    open_median = _report("app, list on the open database", times[2])
    print(f"ratio {app_median / bare_median:.2f}   (target <= 1.5); "
          f"to the open database {open_median / bare_median:.2f}")
    widgets_median = _report("the same widgets, no app code", times[3])
    print(f"their ratio {widgets_median / bare_median:.2f}; the app's own code: "
          f"{app_median - widgets_median:+.3f} s")
    if options.compare:
        other = _report(f"app from {options.compare}", times[4])
        print(f"that checkout's ratio {other / bare_median:.2f}; this one is "
              f"{other / app_median:.2f}x as quick")
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
