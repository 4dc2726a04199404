"""Time a stratified draw from 1,000,000 cases in a SQLite database, paired with baselines.

    PYTHONPATH=. .venv/bin/python benchmarks/sample_bench.py [--cases 1000000] [--keep DB]
        [--repeat 3]

(`PYTHONPATH=.` so a worktree's own audit_app is the one timed, not the installed one.)

Builds the population (not the figure that matters), then runs `--repeat` rounds. Each
round times, one after another: `draw_sample` stratified by outcome and area (read the
in-scope population, allocate, select, record the draw: target a median under 2 s, under
1 s on a quiet machine), and three baselines of the same kind of work: the SHA-256 of a
million short strings (what a rule-1 draw did per case), a bare `SELECT` of the million
references through sqlite3, and a bare `SELECT` of the columns a stratified draw must read
(reference, the two stratum fields, the stored digest): the draw's own floor. Medians are
printed with the ratio of each round's draw to its own baselines (median of the per-round
ratios), then `verify_sample` and a filtered draw, and the machine's load average before
and after, since other work on a shared machine slows every figure. A `--keep` database
that already exists is used as it is (its first audit), not built again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sqlite3
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
SEED = 20261123


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


def sha256_baseline(cases: int) -> None:
    """One SHA-256 per case, as a rule-1 draw made: plain single-threaded work."""
    for number in range(cases):
        hashlib.sha256(f"{SEED}:CR/{number:07d}/25".encode()).digest()


def select_baseline(db_path: Path) -> None:
    """The least a draw can do with the database: fetch every reference once."""
    with sqlite3.connect(db_path) as connection:
        connection.execute("SELECT reference FROM case_file").fetchall()
    connection.close()


def columns_baseline(db_path: Path) -> None:
    """The least a stratified draw must read: each case's reference, its two stratum
    values and its stored digest, fetched as plain rows through sqlite3."""
    with sqlite3.connect(db_path) as connection:
        connection.execute("SELECT reference, outcome_code, area, reference_digest "
                           "FROM case_file WHERE removed = 0").fetchall()
    connection.close()


def _seconds(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--size", type=int, default=80)
    parser.add_argument("--keep", type=Path, help="keep the database at this path")
    parser.add_argument("--repeat", type=int, default=3, help="paired rounds (at least 3)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sample-bench-"))
    db_path = args.keep or folder / "bench.sqlite3"
    started = time.perf_counter()
    if db_path.exists():
        with sqlite3.connect(db_path) as connection:
            audit_id = int(connection.execute("SELECT min(id) FROM audit").fetchone()[0])
        connection.close()
        print(f"population read from {db_path}")
    else:
        audit_id = build(db_path, args.cases)
        print(f"population of {args.cases:,} cases built in {time.perf_counter() - started:.1f} s")
    print(f"before: {_load()}")
    db = open_database(db_path)
    rounds: list[tuple[float, float, float, float]] = []
    summary: object = None
    for _ in range(max(3, args.repeat)):
        draw_seconds, summary = _seconds(lambda: sampling.draw_sample(
            db, audit_id=audit_id, size=args.size, method="stratified",
            strata_fields=["outcome_code", "area"], seed=SEED))
        sha_seconds, _ = _seconds(lambda: sha256_baseline(args.cases))
        select_seconds, _ = _seconds(lambda: select_baseline(db_path))
        columns_seconds, _ = _seconds(lambda: columns_baseline(db_path))
        rounds.append((draw_seconds, sha_seconds, select_seconds, columns_seconds))
    assert isinstance(summary, sampling.SampleSummary)
    draw_median = statistics.median(r[0] for r in rounds)
    sha_median = statistics.median(r[1] for r in rounds)
    select_median = statistics.median(r[2] for r in rounds)
    print("rounds (draw / SHA-256 / SELECT / SELECT of the drawn columns, s): "
          + "; ".join(f"{d:.2f} / {h:.2f} / {s:.2f} / {c:.2f}" for d, h, s, c in rounds))
    print(f"stratified draw of {summary.size} from {summary.population_size:,} cases "
          f"({len(summary.strata)} strata, rule {summary.rule_version}): median {draw_median:.2f} s"
          f" (min {min(r[0] for r in rounds):.2f}; target median < 2 s)")
    print(f"baseline SHA-256 of {args.cases:,} strings: median {sha_median:.2f} s; "
          f"ratio draw/SHA-256 {statistics.median(r[0] / r[1] for r in rounds):.2f}x")
    print(f"baseline bare SELECT of {args.cases:,} rows: median {select_median:.2f} s; "
          f"ratio draw/SELECT {statistics.median(r[0] / r[2] for r in rounds):.2f}x")
    columns_median = statistics.median(r[3] for r in rounds)
    print(f"baseline bare SELECT of the columns a stratified draw reads (reference, outcome, "
          f"area, digest): median {columns_median:.2f} s; "
          f"ratio draw/columns {statistics.median(r[0] / r[3] for r in rounds):.2f}x")
    verify_seconds, verified = _seconds(lambda: sampling.verify_sample(db, audit_id=audit_id))
    assert isinstance(verified, sampling.SampleVerification)
    print(f"verify (re-draw and compare): {verify_seconds:.2f} s, ok={verified.ok}")
    filtered_seconds, filtered = _seconds(lambda: sampling.draw_sample(
        db, audit_id=audit_id, size=args.size, method="stratified",
        strata_fields=["outcome_code", "area"], seed=SEED,
        where="outcome_code in (14, 15, 16) and date_finalised >= 2025-10-01"))
    assert isinstance(filtered, sampling.SampleSummary)
    print(f"filtered stratified draw of {filtered.size} from {filtered.population_size:,} "
          f"in scope: {filtered_seconds:.2f} s")
    print(f"after: {_load()}")
    db.close()


if __name__ == "__main__":
    main()
