"""How long the findings workbook export takes on a large audit, next to a bare dump.

5,000 sampled cases x 30 criteria x 2 reviewers (300,000 answers) in a SQLite file. The
export (reading the database, computing findings, writing nine formatted sheets) is
timed, then a bare openpyxl write-only dump of exactly the same cell values, in the same
run, and the ratio printed. Target: the export within 1.5x of the bare dump.

    .venv/bin/python benchmarks/export_bench.py [--cases 5000] [--criteria 30]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import insert, select

from audit_app.core.answers import Answer
from audit_app.db.models import (
    AnswerRecord,
    CaseRecord,
    CriterionRecord,
    ReviewerRecord,
    ReviewRecord,
)
from audit_app.services.audits import create_audit, get_audit
from audit_app.services.database import Database, open_database
from audit_app.services.export import export_workbook
from audit_app.services.sampling import draw_sample, get_sample

REVIEWERS = ("Reviewer One", "Reviewer Two")


def build(db: Database, cases: int, criteria: int) -> int:
    """Cases, a full sample and two reviewers' answers, bulk-inserted for speed."""
    audit = create_audit(db, name="Benchmark audit", framework="da-nfa-review")
    chooser = random.Random(2026)
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"BM/{i:06d}", "outcome_code": (14, 15, 16)[i % 3],
             "risk_level": ("standard", "medium", "high")[i % 3], "area": f"Area {i % 6}",
             "team": f"Team {i % 9}", "officer": f"PC Officer {i % 40}",
             "victim_name": f"Victim {i}", "offence_description": "Assault ABH", "extra": {}}
            for i in range(cases)])
    draw_sample(db, audit_id=audit.id, size=cases, seed=1)
    case_ids = [row.case.id for row in get_sample(db, audit_id=audit.id)]
    framework_id = _framework_id(db, audit.id)
    with db.transaction() as session:
        criterion_ids = list(session.scalars(
            select(CriterionRecord.id).where(CriterionRecord.framework_id == framework_id)
            .order_by(CriterionRecord.id)))[:criteria]
        reviewer_ids = []
        for name in REVIEWERS:
            reviewer = ReviewerRecord(name=name)
            session.add(reviewer)
            session.flush()
            reviewer_ids.append(reviewer.id)
        session.execute(insert(ReviewRecord), [
            {"audit_id": audit.id, "case_id": case_id, "reviewer_id": reviewer_id,
             "kind": "member", "status": "complete", "version": 1}
            for case_id in case_ids for reviewer_id in reviewer_ids])
        review_ids = list(session.scalars(select(ReviewRecord.id).order_by(ReviewRecord.id)))
        scale = [a.value for a in Answer]
        session.execute(insert(AnswerRecord), [
            {"review_id": review_id, "criterion_id": criterion_id,
             "value": chooser.choice(scale), "note": chooser.choice(("", "", "Not on file"))}
            for review_id in review_ids for criterion_id in criterion_ids])
    return audit.id


def _framework_id(db: Database, audit_id: int) -> int:
    from audit_app.db.models import AuditRecord

    with db.reading() as session:
        audit = session.get(AuditRecord, audit_id)
        assert audit is not None
        return audit.framework_id


def bare_dump(rows_by_sheet: dict[str, list[tuple[object, ...]]], path: Path) -> None:
    workbook = Workbook(write_only=True)
    for title, rows in rows_by_sheet.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--criteria", type=int, default=30)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="export-bench-"))
    db = open_database(folder / "bench.sqlite3")
    started = time.perf_counter()
    audit_id = build(db, args.cases, args.criteria)
    print(f"built {args.cases} cases x {args.criteria} criteria x {len(REVIEWERS)} reviewers "
          f"in {time.perf_counter() - started:.1f} s ({get_audit(db, audit_id).sample_size} "
          "sampled)")

    started, started_cpu = time.perf_counter(), time.process_time()
    result = export_workbook(db, audit_id=audit_id, path=folder / "findings.xlsx")
    export_seconds = time.perf_counter() - started
    export_cpu = time.process_time() - started_cpu

    # The same cell values, read back untimed, then dumped bare.
    source = load_workbook(result.path, read_only=True)
    rows_by_sheet = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in source}
    cells = sum(len(rows) * len(rows[0]) for rows in rows_by_sheet.values() if rows)
    started, started_cpu = time.perf_counter(), time.process_time()
    bare_dump(rows_by_sheet, folder / "bare.xlsx")
    bare_seconds = time.perf_counter() - started
    bare_cpu = time.process_time() - started_cpu

    # CPU time is printed too: on a shared machine it is the steadier of the two figures.
    print(f"cells written:          {cells:,}")
    print(f"export_workbook:        {export_seconds:.2f} s wall, {export_cpu:.2f} s CPU")
    print(f"bare write-only dump:   {bare_seconds:.2f} s wall, {bare_cpu:.2f} s CPU")
    print(f"ratio (target <= 1.5):  {export_seconds / bare_seconds:.2f} wall, "
          f"{export_cpu / bare_cpu:.2f} CPU")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
