"""How long the findings workbook export takes on a large audit, next to a bare dump.

5,000 sampled cases x 30 criteria x 2 reviewers (300,000 answers) in a SQLite file. The
export (reading the database, computing findings, writing nine formatted sheets) is
timed, then a bare openpyxl write-only dump of exactly the same cell values, in the same
run; the ratio printed is the median of --pairs such pairs. Target: the export within
1.3x of the bare dump. The machine's load and whether openpyxl writes through lxml are
printed first: both move the figures, and the pairing is what makes them comparable.

`--copy partner` times a partner copy instead: the release check (scrubbing every note,
some of which name people, phones and addresses) plus the approved, scrubbed export.

    .venv/bin/python benchmarks/export_bench.py [--cases 5000] [--criteria 30]
                                                [--copy internal|partner] [--pairs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
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
from audit_app.services.export import check_partner_release, export_workbook
from audit_app.services.release import ReleaseApproval
from audit_app.services.sampling import draw_sample, get_sample

REVIEWERS = ("Reviewer One", "Reviewer Two")
# Notes as members write them: mostly short, some naming people, phones and places.
NOTES = ("", "", "Not on file", "No rationale recorded for the NFA decision.",
         "Victim 12 said on 07700 900123 that the suspect lives at 4 Larkspur Close; "
         "DC Okafor did not follow it up.",
         "Supervisor endorsed the decision without addressing the 999 call or BWV.")


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
             "value": chooser.choice(scale), "note": chooser.choice(NOTES)}
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


def _timed_export(db: Database, audit_id: int, folder: Path, copy: str
                  ) -> tuple[float, float, Path]:
    started, cpu_started = time.perf_counter(), time.process_time()
    if copy == "partner":
        check = check_partner_release(db, audit_id=audit_id)
        result = export_workbook(db, audit_id=audit_id, path=folder / "partner.xlsx",
                                 for_partner=True, pseudonymise=True,
                                 approval=ReleaseApproval.of(check, "Benchmark Chair"))
    else:
        result = export_workbook(db, audit_id=audit_id, path=folder / "findings.xlsx")
    return time.perf_counter() - started, time.process_time() - cpu_started, result.path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--criteria", type=int, default=30)
    parser.add_argument("--copy", choices=("internal", "partner"), default="internal")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="export-bench-") as scratch:
        return _run(args, Path(scratch))


def machine_line() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} "
            f"{load[2]:.2f} (1, 5, 15 min); openpyxl {openpyxl.__version__}, "
            f"lxml writer {'on' if openpyxl.LXML else 'off'}")


def _run(args: argparse.Namespace, folder: Path) -> int:
    print(machine_line())
    db = open_database(folder / "bench.sqlite3")
    started = time.perf_counter()
    audit_id = build(db, args.cases, args.criteria)
    print(f"built {args.cases} cases x {args.criteria} criteria x {len(REVIEWERS)} reviewers "
          f"in {time.perf_counter() - started:.1f} s ({get_audit(db, audit_id).sample_size} "
          "sampled)")

    ratios: list[float] = []
    cpu_ratios: list[float] = []  # CPU time: far steadier than wall time on a busy machine
    for pair in range(1, args.pairs + 1):
        export_seconds, export_cpu, path = _timed_export(db, audit_id, folder, args.copy)
        # The same cell values, read back untimed, then dumped bare.
        source = load_workbook(path, read_only=True)
        rows_by_sheet = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in source}
        source.close()
        started, cpu_started = time.perf_counter(), time.process_time()
        bare_dump(rows_by_sheet, folder / "bare.xlsx")
        bare_seconds = time.perf_counter() - started
        bare_cpu = time.process_time() - cpu_started
        ratios.append(export_seconds / bare_seconds)
        cpu_ratios.append(export_cpu / bare_cpu)
        cells = sum(len(rows) * len(rows[0]) for rows in rows_by_sheet.values() if rows)
        print(f"pair {pair}: {args.copy} export {export_seconds:.2f} s, bare write-only dump "
              f"of the same {cells:,} cells {bare_seconds:.2f} s, ratio {ratios[-1]:.2f}; "
              f"CPU {export_cpu:.2f} s vs {bare_cpu:.2f} s, ratio {cpu_ratios[-1]:.2f}")
    print(f"median ratio over {len(ratios)} pairs (target <= 1.3): {statistics.median(ratios):.2f}"
          f" (CPU time: {statistics.median(cpu_ratios):.2f})")
    print(machine_line())
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
