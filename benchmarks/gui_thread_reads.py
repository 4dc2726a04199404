"""The reads the app still makes on the GUI thread, timed on the demo database.

    .venv/bin/python benchmarks/gui_thread_reads.py [--population 3000] [--runs 15]

Issue 13's rule: no database work on the GUI thread except reads measured under 16 ms
(one frame at 60 Hz). Builds the demo audit (a stratified sample of 40 from a population
of `--population` cases, scored by the demo panel) in a fresh SQLite file, then times
each read that runs on the GUI thread, and, for comparison, the ones moved to the
background. Each read runs once untimed, then `--runs` times; prints the median and the
95th percentile in ms, wall clock and CPU time, and the machine's load (wall figures move
with it; the CPU time is close to what a quiet machine takes).

Also timed: a key press's save, as the service call it is (now on the serial writer's
thread) and as what the GUI thread still spends on it (showing it and queueing the write).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's audit_app, not an installed one


if TYPE_CHECKING:
    from audit_app.services.database import Database

BUDGET_MS = 16.0


def _median_p95(times: list[float]) -> tuple[float, float]:
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def timed(read: Callable[[], object], runs: int) -> tuple[float, float, float, float]:
    """(median, 95th percentile) in ms of `runs` calls, after one untimed call: wall clock,
    then the process's CPU time (what a quiet machine would take, less disk waits)."""
    read()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        read()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (*_median_p95(wall), *_median_p95(cpu))


def key_press_saves(db: Database, audit_id: int, case_id: int
                    ) -> list[tuple[str, bool, Callable[[], object]]]:
    """A key press's save: the service call (off the GUI thread now) and the GUI thread's
    share (the undo command, the screen's signal, queueing the write)."""
    from audit_app.core.answers import Answer
    from audit_app.services.scoring import record_answer
    from audit_app.ui.review.scoring_session import ScoringSession

    session = ScoringSession(db)
    session.start(audit_id=audit_id, reviewer="Benchmark Member")
    values = iter([Answer.MET, Answer.NOT_MET] * 1000)
    shown: list[Answer | None] = [None]

    def press() -> None:
        new = next(values)
        session.set_answer(case_id, "1.1", (shown[0], ""), (new, ""))
        shown[0] = new

    def drained_press() -> None:  # ends with the writer idle, so no run waits on another's
        press()
        session.wait_for_saves()

    return [
        ("key press: record_answer, committed (serial writer's thread now)", False,
         lambda: record_answer(db, audit_id=audit_id, case_id=case_id, reviewer="Benchmark",
                               criterion_code="1.2", value=next(values), note="")),
        ("key press: set_answer, the GUI thread's share now", True, press),
        ("key press: set_answer then drained (the whole save, for comparison)", False,
         drained_press),
    ]


def dialog_reads(db: Database, audit_id: int) -> list[tuple[str, bool, Callable[[], object]]]:
    """The New audit dialog and the import wizard's reads."""
    from audit_app.io.extract_synonyms import header_synonyms
    from audit_app.services.field_values import rule_values
    from audit_app.services.frameworks import list_frameworks
    from audit_app.services.mapping_profiles import list_mapping_profiles
    from audit_app.ui.audit_list import NewAuditDialog

    def new_audit_dialog() -> None:
        NewAuditDialog(db).deleteLater()

    return [
        ("new audit dialog: list_frameworks (the framework editor's read, above)", True,
         lambda: list_frameworks(db)),
        ("new audit dialog: built, its list read and filled (mostly widgets)", True,
         new_audit_dialog),
        ("import wizard: list_mapping_profiles (background)", False,
         lambda: list_mapping_profiles(db)),
        ("import wizard: header_synonyms (background, with the preview)", False,
         header_synonyms),
        ("import wizard / rule values: rule_values for one field (background)", False,
         lambda: rule_values(db, audit_id=audit_id, field="outcome_code")),
    ]


def review_page_reads(db: Database, audit_id: int
                      ) -> list[tuple[str, bool, Callable[[], object]]]:
    """The review page's reads as it opens an audit (`set_audit`) and on F5 (`refresh`)."""
    from audit_app.services.audits import audit_standing, get_audit
    from audit_app.services.frameworks import get_framework
    from audit_app.services.sampling import get_sample
    from audit_app.services.scoring import review_progress

    audit = get_audit(db, audit_id)

    def opening() -> None:  # all five, as set_audit reads them one after another
        get_framework(db, get_audit(db, audit_id).framework_key,
                      version=audit.framework_version)
        audit_standing(db, audit_id=audit_id)
        get_sample(db, audit_id=audit_id)
        review_progress(db, audit_id=audit_id)

    return [
        ("review page: get_audit", True, lambda: get_audit(db, audit_id)),
        ("review page: get_framework", True,
         lambda: get_framework(db, audit.framework_key, version=audit.framework_version)),
        ("review page: audit_standing", True, lambda: audit_standing(db, audit_id=audit_id)),
        ("review page: get_sample", True, lambda: get_sample(db, audit_id=audit_id)),
        ("review page: review_progress", True, lambda: review_progress(db, audit_id=audit_id)),
        ("review page: set_audit's five reads together", True, opening),
    ]


def reads(db: Database, audit_id: int) -> list[tuple[str, bool, Callable[[], object]]]:
    """(what, still on the GUI thread, the read) for each read worth timing."""
    from PySide6.QtWidgets import QApplication

    from audit_app.services.audits import create_audit, list_audits
    from audit_app.services.change_log import list_changes
    from audit_app.services.frameworks import framework_to_dict, get_framework, list_frameworks
    from audit_app.services.moderation import blinding_state
    from audit_app.services.retention import retention_state
    from audit_app.services.sampling import get_sample
    from audit_app.ui.audit_list import AuditListPanel
    from audit_app.ui.pages.sample_page import SamplePage
    from audit_app.ui.pages.sample_view import read_sample_view

    QApplication.instance() or QApplication(sys.argv)
    panel = AuditListPanel(db)
    sample_page = SamplePage(db)
    other_audit = create_audit(db, name="Another audit", framework="da-nfa-review").id
    audits_to_show = iter([other_audit, audit_id] * 1000)

    def open_on_sample_page() -> None:  # as choosing an audit in the list does
        sample_page.set_audit(next(audits_to_show))
    case_id = next(r.case.id for r in get_sample(db, audit_id=audit_id) if r.status != "replaced")
    framework = list_frameworks(db)[0]
    ref = f"{framework.key}@{framework.version}"
    return [
        ("audit list: list_audits", True, lambda: list_audits(db)),
        ("audit list: read_now (read and fill the list: before the first paint only)", True,
         panel.read_now),
        ("retention dialog: retention_state", True,
         lambda: retention_state(db, audit_id=audit_id)),
        ("framework editor: list_frameworks", True, lambda: list_frameworks(db)),
        ("framework editor: get_framework + framework_to_dict", True,
         lambda: framework_to_dict(get_framework(db, ref))),
        ("review change log tab: list_changes + blinding_state (background)", False,
         lambda: (list_changes(db, audit_id=audit_id, case_id=case_id),
                  blinding_state(db, audit_id=audit_id, case_id=case_id, viewer="-"))),
        ("sample page: read_sample_view (background; on the GUI thread before)", False,
         lambda: read_sample_view(db, audit_id)),
        ("sample page: set_audit, its time on the GUI thread now", True, open_on_sample_page),
        *dialog_reads(db, audit_id),
        *review_page_reads(db, audit_id),
        *key_press_saves(db, audit_id, case_id),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from audit_app.services.database import open_database
    from audit_app.services.demo import create_demo

    with tempfile.TemporaryDirectory(prefix="gui-reads-") as scratch:
        db = open_database(Path(scratch) / "demo.sqlite3")
        try:
            started = time.perf_counter()
            audit = create_demo(db, population=args.population, sample_size=40)
            print(f"demo audit: {args.population:,} cases, sample of 40, built in "
                  f"{time.perf_counter() - started:.1f} s; {args.runs} runs each, "
                  f"load {os.getloadavg()[0]:.2f}")
            print(f"{'read':<72} {'median':>8} {'p95':>8} {'CPU med':>8} {'CPU p95':>8}")
            for what, on_gui_thread, read in reads(db, audit.id):
                median, p95, cpu_median, cpu_p95 = timed(read, args.runs)
                verdict = ("" if not on_gui_thread
                           else " ok" if p95 < BUDGET_MS else " p95 OVER 16 ms")
                print(f"{what:<72} {median:7.1f}ms {p95:7.1f}ms {cpu_median:7.1f}ms "
                      f"{cpu_p95:7.1f}ms{verdict}")
        finally:
            from PySide6.QtCore import QThreadPool

            from audit_app.ui.operations import wait_for_writes

            wait_for_writes()  # the key presses' saves
            QThreadPool.globalInstance().waitForDone()  # the page's background read
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
