"""Time a stratified draw from 1,000,000 cases in a SQLite database.

    .venv/bin/python benchmarks/sample_bench.py [--cases 1000000] [--keep DB] [--repeat 3]

Prints the time to build the population (not the figure that matters), then, for the
median of `--repeat` runs: `draw_sample` stratified by outcome and area (read the
in-scope population, allocate, select, record the draw: target under 2 seconds), the
same with a scope filter (outcome codes and a date range), `verify_sample`, and a machine
reference (hashing a million short strings) to read them against.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert

from audit_app.db.models import CaseRecord
from audit_app.services import audits, sampling
from audit_app.services.database import open_database

OUTCOMES = [14, 15, 16, 16, 16, 9, 10, 18, 21, 1]
AREAS = ["North", "South", "East", "West", "Central", "City"]
RISKS = ["standard", "standard", "medium", "high"]


def build(db_path: Path, cases: int) -> int:
    db = open_database(db_path)
    audit = audits.create_audit(db, name="Benchmark", framework="da-nfa-review")
    rng = random.Random(1)
    start = dt.date(2025, 4, 1)
    chunk = 50_000
    with db.transaction() as session:
        for offset in range(0, cases, chunk):
            rows = [{"audit_id": audit.id, "reference": f"CR/{i:07d}/25",
                     "outcome_code": rng.choice(OUTCOMES), "area": rng.choice(AREAS),
                     "risk_level": rng.choice(RISKS), "da_flag": True,
                     "date_finalised": start + dt.timedelta(days=i % 365), "extra": {}}
                    for i in range(offset, min(cases, offset + chunk))]
            session.execute(insert(CaseRecord), rows)
    db.close()
    return audit.id


def machine_reference() -> None:
    """Plain single-threaded work of the same kind, to read the figures against: a shared
    machine can run a third slower from one hour to the next."""
    for number in range(1_000_000):
        hashlib.sha256(f"20261123:CR/{number:07d}/25".encode()).digest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--size", type=int, default=80)
    parser.add_argument("--keep", type=Path, help="keep the database at this path")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sample-bench-"))
    db_path = args.keep or folder / "bench.sqlite3"
    started = time.perf_counter()
    audit_id = build(db_path, args.cases)
    print(f"population of {args.cases:,} cases built in {time.perf_counter() - started:.1f} s")

    db = open_database(db_path)

    def timed(work: Callable[[], object]) -> tuple[float, object]:
        times, result = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = work()
            times.append(time.perf_counter() - started)
        return statistics.median(times), result

    draw_seconds, summary = timed(lambda: sampling.draw_sample(
        db, audit_id=audit_id, size=args.size, method="stratified",
        strata_fields=["outcome_code", "area"], seed=20261123))
    assert isinstance(summary, sampling.SampleSummary)
    verify_seconds, verified = timed(lambda: sampling.verify_sample(db, audit_id=audit_id))
    assert isinstance(verified, sampling.SampleVerification)
    filtered_seconds, filtered = timed(lambda: sampling.draw_sample(
        db, audit_id=audit_id, size=args.size, method="stratified",
        strata_fields=["outcome_code", "area"], seed=20261123,
        where="outcome_code in (14, 15, 16) and date_finalised >= 2025-10-01"))
    assert isinstance(filtered, sampling.SampleSummary)
    print(f"stratified draw of {summary.size} from {summary.population_size:,} cases "
          f"({len(summary.strata)} strata): {draw_seconds:.2f} s (target < 2 s)")
    print(f"verify (re-draw and compare): {verify_seconds:.2f} s, ok={verified.ok}")
    print(f"filtered stratified draw of {filtered.size} from {filtered.population_size:,} "
          f"in scope: {filtered_seconds:.2f} s")
    reference_seconds, _ = timed(machine_reference)
    print(f"machine reference, SHA-256 of 1,000,000 short strings: {reference_seconds:.2f} s "
          f"(draw = {draw_seconds / reference_seconds:.1f}x this)")
    print(f"(median of {args.repeat} runs each)")
    db.close()


if __name__ == "__main__":
    main()
