"""Keypress to committed answer, with 200 cases x 30+ criteria x 4 reviewers already stored.

    .venv/bin/python benchmarks/scoring_bench.py [--answers 300] [--cases 200] [--no-screen]

Builds a SQLite database holding an audit of 200 sampled cases on the shipped
da-nfa-review framework (35 criteria), fully scored by four reviewers (28,000 answers,
one `record_answers` call per case and reviewer: 800 calls), timing that build, then times:
  1. the service: `record_answer` for one answer, committed (synchronous=FULL), with the
     SQL statements it sends counted by a `before_cursor_execute` listener;
  2. the review screen: a key press ("1"-"5") sent to the real ReviewPage offscreen,
     measured from the key event until the call returns, by which time the answer is
     committed and the row, header and case list have been updated.
Prints median, 95th percentile and worst, statements per answer, and the machine's load.
Goals (issue 14): record_answer p95 < 15 ms; the build under 20 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import event, insert

from audit_app.db.models import CaseRecord
from audit_app.services import audits, sampling
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.scoring import record_answer, record_answers

REVIEWERS = ("Ann Police", "Bea CPS", "Cal IDVA", "Dee Lay")
VALUES = ("met", "partly_met", "not_met", "not_evidenced")


def answer_for(allowed: dict[str, tuple[str, ...]], code: str, turn: int) -> str:
    """A value this criterion may take (a yes/no item cannot be partly met), varied by turn."""
    values = allowed[code]
    return values[turn % len(values)]


def build(path: Path, cases: int, criteria: int = 35
          ) -> tuple[Database, int, list[int], dict[str, tuple[str, ...]]]:
    db = open_database(path)
    audit = audits.create_audit(db, name="Scoring benchmark", framework="da-nfa-review")
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"SB/{i:05d}", "outcome_code": 16,
             "victim_supports": "withdrawn", "risk_level": "high", "interviewed": True,
             "elp_flag": True, "extra": {}} for i in range(1000)])
    sampling.draw_sample(db, audit_id=audit.id, size=cases, method="random", seed=7)
    case_ids = [r.case.id for r in sampling.get_sample(db, audit_id=audit.id)]
    framework = get_framework(db, "da-nfa-review")
    codes: dict[str, tuple[str, ...]] = {
        c.code: tuple(str(a.value) for a in c.answers(framework.scale) if a.value in VALUES)
             for c in framework.criteria[:criteria]}  # the figure is 35 a case
    started = time.perf_counter()
    for index, case_id in enumerate(case_ids):
        for offset, reviewer in enumerate(REVIEWERS):
            record_answers(db, audit_id=audit.id, case_id=case_id, reviewer=reviewer, answers={
                code: (answer_for(codes, code, index + offset + k), "on file")
                for k, code in enumerate(codes)})
    print(f"storing: {len(case_ids) * len(REVIEWERS)} record_answers calls, "
          f"{len(case_ids) * len(REVIEWERS) * len(codes):,} answers, each call committed: "
          f"{time.perf_counter() - started:.1f} s (goal < 20 s for 28,000)")
    return db, audit.id, case_ids, codes


def summary(label: str, times: list[float], target_ms: float) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{label}: n={len(times)}  p50 {statistics.median(ordered) * 1000:.1f} ms  "
          f"p95 {p95 * 1000:.1f} ms  worst {ordered[-1] * 1000:.1f} ms  "
          f"(goal p95 < {target_ms:.0f} ms)")


class StatementCounter:
    """Counts what reaches the driver: BEGIN apart from the statements that read or write."""

    def __init__(self, db: Database) -> None:
        self.begins = 0
        self.statements = 0
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.strip().upper().startswith("BEGIN"):
            self.begins += 1
        else:
            self.statements += 1


def load_line() -> str:
    one, five, _ = os.getloadavg()
    return f"machine load: {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def time_service(db: Database, audit_id: int, case_ids: list[int],
                 codes: dict[str, tuple[str, ...]],
                 count: int, offset: int = 1) -> list[float]:
    times = []
    counter = StatementCounter(db)
    code_list = list(codes)
    for i in range(count):
        code = code_list[i % len(code_list)]
        started = time.perf_counter()
        record_answer(db, audit_id=audit_id, case_id=case_ids[i % len(case_ids)],
                      reviewer=REVIEWERS[0], criterion_code=code,
                      value=answer_for(codes, code, i + offset), note="changed")
        times.append(time.perf_counter() - started)
    print(f"statements per record_answer: {counter.statements / count:.2f} "
          f"(plus {counter.begins / count:.2f} BEGIN)")
    return times


def time_floor(path: Path, count: int) -> list[float]:
    """The floor under any committed answer, in the same run: the sqlite3 module alone
    writing one small row and committing it, with the app's pragmas (WAL, synchronous=FULL),
    into a copy of the same database file."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS floor_bench (i INTEGER, note TEXT)")
    times = []
    for i in range(count):
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO floor_bench VALUES (?, ?)", (i, "changed"))
        connection.execute("COMMIT")
        times.append(time.perf_counter() - started)
    connection.close()
    return times


def time_screen(db: Database, audit_id: int, case_ids: list[int], count: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from audit_app.ui.review.review_page import ReviewPage

    app = QApplication.instance() or QApplication(sys.argv)
    page = ReviewPage(db)
    page.set_reviewer(REVIEWERS[1])
    page.set_audit(audit_id)
    page.resize(1366, 768)
    page.show()
    app.processEvents()
    keys = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_5]
    times = []
    case_index = 0
    page.select_case(case_ids[case_index])
    while page.loading is not None:  # the case is read in the background
        app.processEvents()
    for i in range(count):
        if i and i % 30 == 0:  # move on to the next case now and then, as a reviewer does
            case_index += 1
            page.select_case(case_ids[case_index % len(case_ids)])
            while page.loading is not None:
                app.processEvents()
        target = app.focusWidget() or page
        started = time.perf_counter()
        QTest.keyClick(target, keys[i % len(keys)])
        times.append(time.perf_counter() - started)
        app.processEvents()
        if app.focusWidget() is not None and app.focusWidget().inherits("QLineEdit"):
            QTest.keyClick(app.focusWidget(), Qt.Key.Key_Escape)  # leave a note box
    page.close()
    return times


def _logged_changes(db: Database, audit_id: int, actor: str) -> int:
    from sqlalchemy import func, select

    from audit_app.db.models import ChangeLogRecord

    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(ChangeLogRecord).where(
            ChangeLogRecord.audit_id == audit_id, ChangeLogRecord.actor == actor,
            ChangeLogRecord.entity == "answer")) or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--criteria", type=int, default=35,
                        help="criteria answered per case (35 x 4 x 200 = 28,000 answers)")
    parser.add_argument("--no-screen", action="store_true", help="time the service only")
    args = parser.parse_args()
    print(load_line())
    folder = Path(tempfile.mkdtemp(prefix="scoring-bench-"))
    started = time.perf_counter()
    db, audit_id, case_ids, codes = build(folder / "bench.sqlite3", args.cases, args.criteria)
    calls = args.cases * len(REVIEWERS)
    print(f"build: {args.cases} cases x {len(codes)} criteria x {len(REVIEWERS)} reviewers "
          f"({calls * len(codes):,} answers, {calls} record_answers calls) stored in "
          f"{time.perf_counter() - started:.1f} s, with the database, audit and sample")
    service_floor: list[float] = []
    service: list[float] = []
    floor_file = folder / "floor.sqlite3"
    shutil.copyfile(folder / "bench.sqlite3", floor_file)
    for _round in range(3):  # interleaved, so a busy spell slows both alike
        # each round changes every answer it touches (offset 1, 2, 3 from the build's)
        service += time_service(db, audit_id, case_ids, codes, args.answers // 3, _round + 1)
        service_floor += time_floor(floor_file, args.answers // 3)
    summary("service: record_answer committed", service, 15)
    summary("baseline: bare sqlite3 one-row commit, same pragmas", service_floor, 15)
    print(f"ratio p50 {statistics.median(service) / statistics.median(service_floor):.2f}")
    if args.no_screen:
        print(load_line())
        db.close()
        return
    before = _logged_changes(db, audit_id, REVIEWERS[1])
    screen_times = time_screen(db, audit_id, case_ids, args.answers)
    changed = _logged_changes(db, audit_id, REVIEWERS[1]) - before
    summary("review screen: key press to committed", screen_times, 50)
    print(f"  ({changed} answer changes committed by those key presses, per the change log)")
    print(load_line())
    db.close()


if __name__ == "__main__":
    main()
