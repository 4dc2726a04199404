"""Benchmark: import a 100,000-row extract and compare with python-calamine's bare read.

    .venv/bin/python benchmarks/import_bench.py [--rows 100000] [--repeat 2] [--keep DIR]

Writes a realistic extract (title rows, 28 columns, dates as dates, outcome codes as
numbers) with openpyxl's write-only mode, then times in separate processes, so each
peak-memory figure belongs to one phase: (1) calamine reading the sheet and nothing
else, (2) the whole import (parse, validate, write) into a fresh SQLite database.
Targets: import within 2.5x the bare read; peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = [
    "Crime Ref", "HO Offence Code", "Offence Description", "DA Flag", "Crime Date", "Date Recorded",
    "Date Finalised", "HO Outcome", "Risk Tool", "Risk Grading", "MARAC", "Children Referral",
    "IDVA", "Arrested", "Interviewed", "DVPN", "DVPO", "BWV", "Victim Supports", "CPS Referral",
    "ELP", "OIC", "Team", "BCU", "Finalising Supervisor", "Victim Name", "Ward", "Notes",
]
OFFENCES = [("8/1", "Assault occasioning ABH"), ("105A/1", "Common assault"),
            ("8/66", "Controlling or coercive behaviour"), ("58C/1", "Criminal damage"),
            ("8/71", "Non-fatal strangulation"), ("195/12", "Stalking")]
SHEET = "Crimes"


def write_extract(path: Path, rows: int, seed: int = 2026) -> None:
    from openpyxl import Workbook

    chooser = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(["Domestic abuse crimes finalised, 12 months"])
    sheet.append([f"Extracted {dt.date(2026, 4, 2):%d/%m/%Y}"])
    sheet.append([])
    sheet.append(HEADERS)
    start = dt.datetime(2025, 4, 1, 8, 0)
    for number in range(rows):
        crime_at = start + dt.timedelta(minutes=chooser.randrange(525_600))
        recorded = crime_at + dt.timedelta(hours=chooser.randrange(1, 72))
        finalised = recorded.date() + dt.timedelta(days=chooser.randrange(1, 200))
        code, offence = chooser.choice(OFFENCES)
        flags = ["Yes" if chooser.random() < 0.4 else "No" for _ in range(10)]
        sheet.append([
            f"CR/{number:06d}/25", code, offence, "Y", crime_at, recorded, finalised,
            chooser.choice((1, 1, 8, 10, 15, 16, 16, 16, 18)), "DASH",
            chooser.choice(("Standard", "Medium", "High")), *flags[:8],
            chooser.choice(("Yes", "Never", "Withdrawn")), flags[8], flags[9],
            f"PC {chooser.randrange(9999)}", f"Team {chooser.randrange(40)}",
            chooser.choice(("North", "South", "East", "West")), f"DS {chooser.randrange(500)}",
            f"Victim {number}", f"Ward {chooser.randrange(80)}", "Reviewed by supervisor",
        ])
    workbook.save(path)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def phase_bare_read(path: Path) -> dict[str, float]:
    import python_calamine

    started, cpu_started = time.perf_counter(), time.process_time()
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {"seconds": seconds, "cpu": cpu_seconds, "rows": len(rows), "peak_mb": _peak_mb()}


def phase_import(path: Path, database_path: Path) -> dict[str, float]:
    from audit_app.services.audits import create_audit
    from audit_app.services.database import open_database
    from audit_app.services.population_import import import_population

    database = open_database(database_path)
    audit = create_audit(database, name="Benchmark", framework="da-nfa-review")
    started, cpu_started = time.perf_counter(), time.process_time()
    result = import_population(database, audit_id=audit.id, path=path, sheet=SHEET)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    database.close()
    return {"seconds": seconds, "cpu": cpu_seconds, "rows": result.added,
            "warnings": len(result.warnings), "peak_mb": _peak_mb()}


def _run_phase(*arguments: str) -> dict[str, float]:
    completed = subprocess.run([sys.executable, __file__, "--phase", *arguments],
                               check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each phase; best is shown")
    parser.add_argument("--keep", type=Path,
                        help="folder to keep the extract and database in (an extract of the same "
                             "size already there is reused)")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase:
        name, *paths = options.phase
        figures = phase_bare_read(Path(paths[0])) if name == "read" else \
            phase_import(Path(paths[0]), Path(paths[1]))
        print(json.dumps(figures))
        return
    folder = options.keep or Path(tempfile.mkdtemp(prefix="import-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    extract = folder / "extract.xlsx"
    database = folder / "bench.sqlite3"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    if options.keep and extract.exists() and (folder / f"{options.rows}.rows").exists():
        print("reusing the extract already in", folder)
    else:
        write_extract(extract, options.rows)
        (folder / f"{options.rows}.rows").touch()
    print(f"extract: {options.rows:,} rows x {len(HEADERS)} columns, "
          f"{extract.stat().st_size / 1e6:.1f} MB, ready in {time.perf_counter() - started:.1f} s")
    # Interleaved runs, best of each: a busy machine slows whichever phase it catches.
    bare_runs, import_runs = [], []
    for _ in range(options.repeat):
        bare_runs.append(_run_phase("read", str(extract)))
        database.unlink(missing_ok=True)
        import_runs.append(_run_phase("import", str(extract), str(database)))
    bare = min(bare_runs, key=lambda figures: figures["seconds"])
    full = min(import_runs, key=lambda figures: figures["seconds"])
    bare_cpu = min(figures["cpu"] for figures in bare_runs)
    full_cpu = min(figures["cpu"] for figures in import_runs)
    if options.repeat > 1:
        print("runs (wall s): read " + ", ".join(f"{r['seconds']:.2f}" for r in bare_runs)
              + "; import " + ", ".join(f"{r['seconds']:.2f}" for r in import_runs))
    print(f"calamine bare read : {bare['seconds']:6.2f} s wall  {bare_cpu:6.2f} s CPU   "
          f"peak {bare['peak_mb']:5.0f} MB")
    print(f"whole import       : {full['seconds']:6.2f} s wall  {full_cpu:6.2f} s CPU   "
          f"peak {full['peak_mb']:5.0f} MB   ({int(full['rows']):,} cases, "
          f"{int(full['warnings']):,} warnings)")
    print(f"ratio import/read  : {full['seconds'] / bare['seconds']:6.2f}x wall "
          f"{full_cpu / bare_cpu:6.2f}x CPU   (target <= 2.5x; memory target < 500 MB)")


if __name__ == "__main__":
    main()
