"""Benchmark: import a 100,000-row extract and compare with python-calamine's bare read.

    .venv/bin/python benchmarks/import_bench.py [--rows 100000] [--repeat 3] [--keep DIR]

Writes a realistic extract (title rows, 28 columns, dates as dates, outcome codes as
numbers) with openpyxl's write-only mode, then runs `--repeat` paired rounds. Each round
times, in separate processes so each peak-memory figure belongs to one phase: (1)
calamine reading the sheet and nothing else, timed inside its process, (2) the whole
import (parse, validate, write) into a fresh SQLite database, timed inside its process,
(3) a whole process that only does the bare read, timed from outside, and (4) the whole
`audit-app import` command, timed from outside. Medians of the per-round ratios are
printed with the machine's load. Targets: in process within 2.5x the bare read, whole
process within 3x; peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
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


def phase_prepare(database_path: Path) -> dict[str, float]:
    """A fresh database with one audit, for the command-line run (not timed)."""
    from audit_app.services.audits import create_audit
    from audit_app.services.database import open_database

    database = open_database(database_path)
    audit = create_audit(database, name="Benchmark", framework="da-nfa-review")
    database.close()
    return {"audit": audit.id}


ROOT = Path(__file__).resolve().parents[1]  # this checkout's audit_app, not an installed one
BARE_READ_PROCESS = ("import sys, python_calamine; python_calamine.CalamineWorkbook.from_path("
                     "sys.argv[1]).get_sheet_by_name(sys.argv[2]).to_python()")


# Each phase runs this checkout's audit_app, whatever is installed in the environment.
CHECKOUT_FIRST = {**os.environ, "PYTHONPATH": os.pathsep.join(
    filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}


def _run_phase(*arguments: str) -> dict[str, float]:
    completed = subprocess.run([sys.executable, __file__, "--phase", *arguments],
                               check=True, capture_output=True, text=True, cwd=ROOT,
                               env=CHECKOUT_FIRST)
    figures: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def _process_seconds(*command: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *command], check=True, capture_output=True, cwd=ROOT,
                   env=CHECKOUT_FIRST)
    return time.perf_counter() - started


def _cli_import_seconds(extract: Path, database: Path) -> float:
    database.unlink(missing_ok=True)
    audit = int(_run_phase("prepare", str(database))["audit"])
    return _process_seconds("-c", "import sys; from audit_app.cli import main; sys.exit(main())",
                            "import", str(extract), "--audit", str(audit), "--sheet", SHEET,
                            "--db", str(database))


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="paired rounds (at least 3)")
    parser.add_argument("--keep", type=Path,
                        help="folder to keep the extract and database in (an extract of the same "
                             "size already there is reused)")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase:
        name, *paths = options.phase
        phases = {"read": lambda: phase_bare_read(Path(paths[0])),
                  "prepare": lambda: phase_prepare(Path(paths[0])),
                  "import": lambda: phase_import(Path(paths[0]), Path(paths[1]))}
        print(json.dumps(phases[name]()))
        return
    extract, database = _extract(options)
    _report(extract, database, max(3, options.repeat))


def _extract(options: argparse.Namespace) -> tuple[Path, Path]:
    folder = options.keep or Path(tempfile.mkdtemp(prefix="import-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    extract = folder / "extract.xlsx"
    started = time.perf_counter()
    if options.keep and extract.exists() and (folder / f"{options.rows}.rows").exists():
        print("reusing the extract already in", folder)
    else:
        write_extract(extract, options.rows)
        (folder / f"{options.rows}.rows").touch()
    print(f"extract: {options.rows:,} rows x {len(HEADERS)} columns, "
          f"{extract.stat().st_size / 1e6:.1f} MB, ready in {time.perf_counter() - started:.1f} s")
    return extract, folder / "bench.sqlite3"


def _report(extract: Path, database: Path, rounds: int) -> None:
    print(f"before: {_load()}")
    bare_runs, import_runs, bare_process, cli_process = [], [], [], []
    for _ in range(rounds):  # paired rounds: a busy spell slows both halves of a pair
        bare_runs.append(_run_phase("read", str(extract)))
        database.unlink(missing_ok=True)
        import_runs.append(_run_phase("import", str(extract), str(database)))
        bare_process.append(_process_seconds("-c", BARE_READ_PROCESS, str(extract), SHEET))
        cli_process.append(_cli_import_seconds(extract, database))
    print("rounds (wall s): read " + ", ".join(f"{r['seconds']:.2f}" for r in bare_runs)
          + "; import " + ", ".join(f"{r['seconds']:.2f}" for r in import_runs)
          + "; read process " + ", ".join(f"{t:.2f}" for t in bare_process)
          + "; CLI import process " + ", ".join(f"{t:.2f}" for t in cli_process))
    median = statistics.median
    full = import_runs[-1]
    print(f"calamine bare read : {median(r['seconds'] for r in bare_runs):6.2f} s wall  "
          f"{median(r['cpu'] for r in bare_runs):6.2f} s CPU   "
          f"peak {max(r['peak_mb'] for r in bare_runs):5.0f} MB")
    print(f"whole import       : {median(r['seconds'] for r in import_runs):6.2f} s wall  "
          f"{median(r['cpu'] for r in import_runs):6.2f} s CPU   "
          f"peak {max(r['peak_mb'] for r in import_runs):5.0f} MB   ({int(full['rows']):,} cases, "
          f"{int(full['warnings']):,} warnings)")
    in_process = median(i["seconds"] / b["seconds"] for i, b in zip(import_runs, bare_runs,
                                                                      strict=True))
    in_cpu = median(i["cpu"] / b["cpu"] for i, b in zip(import_runs, bare_runs, strict=True))
    print(f"ratio import/read, in process: {in_process:5.2f}x wall {in_cpu:5.2f}x CPU "
          "(median of paired rounds; target <= 2.5x; memory target < 500 MB)")
    print(f"whole process: bare read {median(bare_process):.2f} s, audit-app import "
          f"{median(cli_process):.2f} s; ratio "
          f"{median(c / b for c, b in zip(cli_process, bare_process, strict=True)):.2f}x "
          "(median of paired rounds; target <= 3x)")
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
