"""Keypress to committed answer, with 200 cases x 30+ criteria x 4 reviewers already stored.

    .venv/bin/python benchmarks/scoring_bench.py [--answers 300]

Builds a SQLite database holding an audit of 200 sampled cases on the shipped
da-nfa-review framework (35 criteria), fully scored by four reviewers (28,000 answers),
then times:
  1. the service: `record_answer` for one answer, committed (synchronous=FULL);
  2. the review screen: a key press ("1"-"5") sent to the real ReviewPage offscreen,
     measured from the key event until the call returns, by which time the answer is
     committed and the row, header and case list have been updated.
Prints median, 95th percentile and worst. Target: 95th percentile under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert

from audit_app.db.models import CaseRecord
from audit_app.services import audits, sampling
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.scoring import record_answer, record_answers

REVIEWERS = ("Ann Police", "Bea CPS", "Cal IDVA", "Dee Lay")
VALUES = ("met", "partly_met", "not_met", "not_evidenced")


def build(path: Path) -> tuple[Database, int, list[int], list[str]]:
    db = open_database(path)
    audit = audits.create_audit(db, name="Scoring benchmark", framework="da-nfa-review")
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"SB/{i:05d}", "outcome_code": 16,
             "victim_supports": "withdrawn", "risk_level": "high", "interviewed": True,
             "elp_flag": True, "extra": {}} for i in range(1000)])
    sampling.draw_sample(db, audit_id=audit.id, size=200, method="random", seed=7)
    case_ids = [r.case.id for r in sampling.get_sample(db, audit_id=audit.id)]
    codes = [c.code for c in get_framework(db, "da-nfa-review").criteria]
    for index, case_id in enumerate(case_ids):
        for offset, reviewer in enumerate(REVIEWERS):
            record_answers(db, audit_id=audit.id, case_id=case_id, reviewer=reviewer, answers={
                code: (VALUES[(index + offset + k) % 4], "on file") for k, code in enumerate(codes)})
    return db, audit.id, case_ids, codes


def summary(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{label}: n={len(times)}  median {statistics.median(ordered) * 1000:.1f} ms  "
          f"p95 {p95 * 1000:.1f} ms  worst {ordered[-1] * 1000:.1f} ms  (target p95 < 50 ms)")


def time_service(db: Database, audit_id: int, case_ids: list[int], codes: list[str],
                 count: int) -> list[float]:
    times = []
    for i in range(count):
        started = time.perf_counter()
        record_answer(db, audit_id=audit_id, case_id=case_ids[i % len(case_ids)],
                      reviewer=REVIEWERS[0], criterion_code=codes[i % len(codes)],
                      value=VALUES[(i + 1) % 4], note="changed")
        times.append(time.perf_counter() - started)
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
    app.processEvents()
    for i in range(count):
        if i and i % 30 == 0:  # move on to the next case now and then, as a reviewer does
            case_index += 1
            page.select_case(case_ids[case_index % len(case_ids)])
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
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="scoring-bench-"))
    started = time.perf_counter()
    db, audit_id, case_ids, codes = build(folder / "bench.sqlite3")
    print(f"built 200 cases x {len(codes)} criteria x {len(REVIEWERS)} reviewers "
          f"({200 * len(codes) * len(REVIEWERS):,} answers) in {time.perf_counter() - started:.1f} s")
    summary("service: record_answer committed", time_service(db, audit_id, case_ids, codes,
                                                              args.answers))
    before = _logged_changes(db, audit_id, REVIEWERS[1])
    screen_times = time_screen(db, audit_id, case_ids, args.answers)
    changed = _logged_changes(db, audit_id, REVIEWERS[1]) - before
    summary("review screen: key press to committed", screen_times)
    print(f"  ({changed} answer changes committed by those key presses, per the change log)")
    db.close()


if __name__ == "__main__":
    main()
