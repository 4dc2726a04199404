#!/usr/bin/env python3
"""Run the app or its tests from a fresh checkout, with nothing but Python 3.11+.

    python3 dev.py run     create .venv, install, add the demo audit once, open the app
    python3 dev.py test    create .venv, install with test tools, run the whole test suite

Both are safe to repeat: the install is skipped while pyproject.toml is unchanged.
Standard library only, so it runs before anything is installed, on Linux, macOS and Windows.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
WINDOWS = platform.system() == "Windows"
BIN = VENV / ("Scripts" if WINDOWS else "bin")
PYTHON = BIN / ("python.exe" if WINDOWS else "python")
MINIMUM_PYTHON = (3, 11)

# Shared libraries Qt's offscreen platform needs, and the Debian/Ubuntu package for each.
QT_LIBRARY_PACKAGES = {
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0", "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6", "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1", "libxcb.so.1": "libxcb1",
    "libGLX.so.0": "libglx0", "libgssapi_krb5.so.2": "libgssapi-krb5-2",
}


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def run(command: list[str], *, env: dict[str, str] | None = None, quiet: bool = False) -> int:
    output = subprocess.DEVNULL if quiet else None
    return subprocess.run(command, cwd=ROOT, env=env, stdout=output).returncode


def ensure_venv() -> None:
    if PYTHON.exists():
        return
    say(f"creating {VENV.name}")
    venv.EnvBuilder(with_pip=True, clear=False).create(VENV)


def ensure_installed(extras: str) -> None:
    """`pip install -e .[extras]`, skipped while pyproject.toml matches the last install."""
    stamp = VENV / f".installed-{extras or 'app'}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    # An install with the test tools also covers the plain app.
    covering = [stamp] if extras else [stamp, VENV / ".installed-dev"]
    if any(p.exists() and p.read_text(encoding="utf-8").strip() == wanted for p in covering):
        return
    target = f".[{extras}]" if extras else "."
    say(f"installing the project ({target}); this takes a minute the first time")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    if run([*pip, "install", "-e", target]) != 0:
        sys.exit("dev.py: pip install failed (see above)")
    stamp.write_text(wanted + "\n", encoding="utf-8")


def apt_install(packages: list[str], why: str) -> None:
    """Install Debian packages when we can (root with apt-get); otherwise say what is missing."""
    if not packages:
        return
    can_install = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_install:
        say(f"{why} needs these system packages: {' '.join(packages)} (install them, then rerun)")
        return
    say(f"installing {' '.join(packages)} for {why}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if run(["apt-get", "update", "-q"], env=env, quiet=True) != 0 or \
            run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages],
                env=env, quiet=True) != 0:
        say(f"could not install {' '.join(packages)}; the tests that need them will be skipped")


def postgres_present() -> bool:
    return bool(shutil.which("initdb")) or any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def missing_qt_packages() -> list[str]:
    """Packages for the shared libraries Qt's offscreen plugin cannot find (via ldd)."""
    if not shutil.which("ldd"):
        return []
    # find_spec locates PySide6 without importing it: the import itself needs the libraries.
    found = subprocess.run([str(PYTHON), "-c", "import importlib.util, os; print(os.path.dirname("
                            "importlib.util.find_spec('PySide6').origin))"],
                           capture_output=True, text=True)
    qt_dir = Path(found.stdout.strip()) / "Qt"
    libraries = [qt_dir / "plugins" / "platforms" / "libqoffscreen.so",
                 qt_dir / "lib" / "libQt6Widgets.so.6"]
    packages: set[str] = set()
    unknown: set[str] = set()
    for library in libraries:
        if not library.exists():
            continue
        listing = subprocess.run(["ldd", str(library)], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            if "not found" in line:
                name = line.split("=>")[0].strip()
                if name in QT_LIBRARY_PACKAGES:
                    packages.add(QT_LIBRARY_PACKAGES[name])
                else:
                    unknown.add(name)
    if unknown:
        say(f"Qt also lacks {', '.join(sorted(unknown))}; the UI tests may fail")
    return sorted(packages)


def prepare_linux_test_system() -> None:
    if platform.system() != "Linux":
        return
    if not postgres_present():
        apt_install(["postgresql"], "the PostgreSQL tests")
    apt_install(missing_qt_packages(), "the Qt (offscreen) tests")


def command_run(arguments: list[str]) -> int:
    ensure_venv()
    ensure_installed("")
    app = [str(PYTHON), "-m", "audit_app"]
    # Quiet unless the demo audit was just added (first run on this database).
    demo = subprocess.run([*app, "demo", "--if-empty", "--with-history", "--json", *arguments],
                          cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if demo.returncode != 0:
        return demo.returncode
    if json.loads(demo.stdout).get("created"):
        say("added two demo audits of invented cases (last quarter and this) to try the app with")
    return run([*app, "gui", *arguments])


def memory_folder_has_room() -> bool:
    try:
        return os.access("/dev/shm", os.W_OK) and shutil.disk_usage("/dev/shm").free > 4 << 30
    except OSError:
        return False


def command_test(arguments: list[str]) -> int:
    ensure_venv()
    ensure_installed("dev")
    prepare_linux_test_system()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # Bytecode and pytest's rewritten test modules are cached (in __pycache__, ignored by
    # git): without them every worker, and every app the tests start, compiles afresh.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # The tests' files (their SQLite databases, workbooks) in memory where there is room:
    # every commit to a database file on disk waits for it to be synced.
    if "TMPDIR" not in os.environ and memory_folder_has_room():
        env["TMPDIR"] = "/dev/shm"
    # A worker per core and one more (pytest-xdist), unless the caller chose: `-n 0` runs in
    # one process. A busy machine shares its cores out by process, so the extra worker wins
    # the suite a fairer share beside other work: with one CPU-bound process running, the
    # suite took 9 min 8 s on two cores against 10 min 5 s with a worker per core. On a quiet
    # machine it costs about 2% (6 min 27 s against 6 min 17-21 s).
    workers = str((os.cpu_count() or 1) + 1)
    parallel = [] if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in arguments) \
        else ["-n", workers]
    return run([str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", *parallel,
                *arguments], env=env)


COMMANDS = {"run": command_run, "test": command_test}


def main(argv: list[str]) -> int:
    if sys.version_info < MINIMUM_PYTHON:
        print("dev.py needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        return COMMANDS[argv[0]](argv[1:])
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
