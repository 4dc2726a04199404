"""Benchmark: how long the command line takes to start, against bare Python.

    .venv/bin/python benchmarks/cli_bench.py [--repeat 5]

Each figure is a whole process, started the way the `audit-app` entry point starts
(`from audit_app.cli import main`), from this checkout. Two pairs, each pair timed in
the same round and alternated, medians over `--repeat` rounds:
  - `audit-app --version` against `python -c pass` (target: within 1.5x);
  - `audit-app audit list` on a demo database (made once, not timed) against
    `python -c "import sqlalchemy"`, the least any database command must load.
Bytecode is cached in a scratch folder (PYTHONPYCACHEPREFIX) and every program runs once
untimed first, as an installed app finds its .pyc files ready: with PYTHONDONTWRITEBYTECODE
set, each run would compile the project's sources again and time that instead.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
ENTRY_POINT = "import sys; from audit_app.cli import main; sys.exit(main())"


class Timing(NamedTuple):
    wall: float  # seconds on the clock
    cpu: float  # user + system seconds of the process: less swayed by a busy machine


def _seconds(argv: list[str], env: dict[str, str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timing(wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def _median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings),
                  statistics.median(t.cpu for t in timings))


def _pair(project: list[str], baseline: list[str], repeat: int,
          env: dict[str, str]) -> tuple[Timing, Timing]:
    """Medians of each, alternating which goes first so neither always runs warm."""
    project_times, baseline_times = [], []
    for round_number in range(repeat):
        if round_number % 2:
            project_times.append(_seconds(project, env))
            baseline_times.append(_seconds(baseline, env))
        else:
            baseline_times.append(_seconds(baseline, env))
            project_times.append(_seconds(project, env))
    return _median(project_times), _median(baseline_times)


def _line(project_name: str, project: Timing, baseline_name: str, baseline: Timing,
          target: str) -> str:
    return (f"{project_name:<21}: {project.wall:6.3f} s wall {project.cpu:6.3f} s CPU   "
            f"{baseline_name:<28}: {baseline.wall:6.3f} s wall {baseline.cpu:6.3f} s CPU   "
            f"ratio {project.wall / baseline.wall:5.2f}x wall "
            f"{project.cpu / baseline.cpu:5.2f}x CPU{target}")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="rounds of each pair (at least 3)")
    options = parser.parse_args()
    repeat = max(3, options.repeat)
    folder = Path(tempfile.mkdtemp(prefix="cli-bench-"))
    env = {**os.environ, "AUDIT_APP_DATA_DIR": str(folder),  # leaves the user's folder alone
           "PYTHONPYCACHEPREFIX": str(folder / "bytecode")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    database = str(folder / "demo.sqlite3")
    python = sys.executable
    subprocess.run([python, "-c", ENTRY_POINT, "--db", database, "demo"], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    version = [python, "-c", ENTRY_POINT, "--version"]
    bare = [python, "-c", "pass"]
    listing = [python, "-c", ENTRY_POINT, "--db", database, "audit", "list"]
    sqlalchemy = [python, "-c", "import sqlalchemy"]
    print(f"before: {_load()}")
    for program in (version, bare, listing, sqlalchemy):
        _seconds(program, env)  # bytecode written, files in the page cache
    version_time, bare_time = _pair(version, bare, repeat, env)
    listing_time, sqlalchemy_time = _pair(listing, sqlalchemy, repeat, env)
    print(f"medians of {repeat} paired rounds (whole process)")
    print(_line("audit-app --version", version_time, "python -c pass", bare_time,
                "   (target <= 1.5x)"))
    print(_line("audit-app audit list", listing_time, 'python -c "import sqlalchemy"',
                sqlalchemy_time, "   (target <= 2x)"))
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
