"""How the Population page copes with a large audit: scrolling to the very end, and memory.

    python benchmarks/population_table.py [--cases 100000] [--db PATH] [--pairs 3]

Builds a demo audit of that size (unless --db names a database already holding one).
Then, in pairs, each in a fresh process so its peak memory is its own:

- project: the Population page shown at 1280x720, scrolled to the bottom again and again
  until every case has been fetched, and the last screen painted;
- baseline: a bare `SELECT` of the same columns into a list of tuples with sqlite3.

It prints the median time and peak memory (resident set) of each, the ratio of the
medians, and the machine's load. Then the page's other figures once: opening, a sort
and a search. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's audit_app, not an installed one
SHOWN = ("reference", "outcome_code", "risk_level", "area", "team", "offence_description",
         "date_finalised")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_project(path: Path) -> dict[str, float]:
    """Scroll the real page to the end of the population, as a user holding End would."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    from audit_app.services.audits import list_audits
    from audit_app.services.database import open_database
    from audit_app.ui.pages.population_page import PopulationPage

    app = QApplication(sys.argv[:1])
    db = open_database(path)
    audit = list_audits(db)[0]
    page = PopulationPage(db)
    page.resize(1280 - 320, 720 - 140)  # the page's share of a 1280x720 window
    page.show()
    app.processEvents()
    before = peak_mb()
    start = time.perf_counter()
    page.set_audit(audit.id)
    stuck = 0
    while page.model.canFetchMore(QModelIndex()) and stuck < 50:
        loaded = page.model.loaded
        page.table.scrollToBottom()
        app.processEvents()
        stuck = stuck + 1 if page.model.loaded == loaded else 0
    page.table.scrollToBottom()
    page.table.viewport().grab()  # paint the last screen
    seconds = time.perf_counter() - start
    last_row = page.model.index(page.model.rowCount() - 1, 0).data()
    result = {"seconds": seconds, "peak_mb": peak_mb(), "grown_mb": peak_mb() - before,
              "rows": page.model.rowCount(), "last_seen": bool(last_row)}
    page.close()
    db.close()
    return result


def run_baseline(path: Path) -> dict[str, float]:
    """The floor: the same columns of every case into plain tuples, no app code at all."""
    import sqlite3

    before = peak_mb()
    start = time.perf_counter()
    connection = sqlite3.connect(path)
    audit_id = connection.execute("SELECT min(id) FROM audit").fetchone()[0]
    rows = connection.execute(
        f"SELECT id, {', '.join(SHOWN)} FROM case_file WHERE audit_id = ? AND removed = 0 "
        "ORDER BY reference, id", (audit_id,)).fetchall()
    seconds = time.perf_counter() - start
    connection.close()
    return {"seconds": seconds, "peak_mb": peak_mb(), "grown_mb": peak_mb() - before,
            "rows": len(rows), "last_seen": bool(rows[-1][1])}


def in_child(kind: str, path: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    output = subprocess.run([sys.executable, __file__, "--child", kind, "--db", str(path)],
                            check=True, capture_output=True, text=True, env=env).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def timed(label: str, action: object) -> object:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    print(f"{label:<42} {1000 * (time.perf_counter() - start):8.1f} ms")
    return result


def other_figures(path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from audit_app.core.case_fields import FIELD_KEYS
    from audit_app.services.audits import list_audits
    from audit_app.services.database import open_database
    from audit_app.ui.pages.population_page import PopulationPage

    app = QApplication(sys.argv[:1])
    db = open_database(path)
    page = PopulationPage(db)
    page.resize(1280, 720)
    page.show()
    model = page.model
    timed("open: count + first page", lambda: page.set_audit(list_audits(db)[0].id))
    timed("paint the first screen", lambda: page.table.grab())
    timed("sort by outcome code (descending)", lambda: model.sort(
        FIELD_KEYS.index("outcome_code"), Qt.SortOrder.DescendingOrder))
    timed("search 'North'", lambda: model.set_search("North"))
    print(f"matches for 'North': {model.total:,}")
    page.close()
    db.close()
    del app


def build(path: Path, cases: int) -> None:
    from audit_app.services.audits import list_audits
    from audit_app.services.database import open_database
    from audit_app.services.demo import create_demo

    db = open_database(path)
    if not list_audits(db):
        timed(f"build a demo audit of {cases:,} cases", lambda: create_demo(
            db, population=cases, sample_size=40))
    db.close()


def report(label: str, runs: list[dict[str, float]]) -> tuple[float, float]:
    seconds = statistics.median(run["seconds"] for run in runs)
    peak = statistics.median(run["peak_mb"] for run in runs)
    grown = statistics.median(run["grown_mb"] for run in runs)
    each = ", ".join(f"{run['seconds']:.2f}" for run in runs)
    print(f"{label:<10} median {seconds:6.2f} s ({each}); peak memory {peak:6.0f} MB "
          f"(grew {grown:4.0f} MB); {int(runs[0]['rows']):,} rows")
    return seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", help="a database already holding the audit to use")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--child", choices=["project", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "large.sqlite3"
    if args.child:
        run = run_project if args.child == "project" else run_baseline
        print(json.dumps(run(path)))
        return 0

    build(path, args.cases)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          "(1, 5, 15 minutes)")
    project: list[dict[str, float]] = []
    baseline: list[dict[str, float]] = []
    for _ in range(max(3, args.pairs)):
        baseline.append(in_child("baseline", path))
        project.append(in_child("project", path))
    print("scroll the Population page to the last case, against a bare SELECT of its columns:")
    base_seconds, base_peak = report("baseline", baseline)
    seconds, peak = report("project", project)
    print(f"ratio {seconds / base_seconds:.2f} (time); memory {peak:.0f} MB against {base_peak:.0f} MB")
    load = os.getloadavg()
    print(f"machine load afterwards {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    other_figures(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
