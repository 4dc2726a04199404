"""What the release depends on: dev.py, build.spec, the CI script and the shipped data files.

The PyInstaller build itself takes minutes, so `.ci/run` builds it and runs the frozen
program; these tests check the pieces that build relies on.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import audit_app
from audit_app.db import migrate
from audit_app.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def load_dev_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_version_matches_pyproject() -> None:
    assert audit_app.__version__ == PYPROJECT["project"]["version"]


def test_console_script_points_at_main() -> None:
    assert PYPROJECT["project"]["scripts"]["audit-app"] == "audit_app.cli:main"


def test_migrations_are_found_beside_the_code() -> None:
    """build.spec ships them at audit_app/db/migrations, where migrate.py looks."""
    assert Path(migrate.__file__).resolve().parent / "migrations" == migrate.MIGRATIONS_DIR
    assert (migrate.MIGRATIONS_DIR / "env.py").exists()
    assert list((migrate.MIGRATIONS_DIR / "versions").glob("0001_*.py"))


def test_package_data_covers_every_migration_file() -> None:
    """A wheel (and so a pip install without -e) must carry the migration scripts."""
    from fnmatch import fnmatch

    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["audit_app"]
    package = ROOT / "audit_app"
    for path in migrate.MIGRATIONS_DIR.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            relative = path.relative_to(package).as_posix()
            assert any(fnmatch(relative, pattern) for pattern in patterns), relative


def test_shipped_frameworks_are_in_resources() -> None:
    assert resources_dir() == ROOT / "resources"
    assert {p.stem for p in (resources_dir() / "frameworks").glob("*.yaml")} >= \
        {"da-nfa-review", "evidence-led-review"}


def test_frozen_bundle_finds_resources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"


def _spec_source() -> str:
    return (ROOT / "build.spec").read_text(encoding="utf-8")


def test_build_spec_is_valid_python_with_the_agreed_settings() -> None:
    source = _spec_source()
    ast.parse(source)
    assert '"audit_app/db/migrations"' in source and '"resources"' in source
    assert 'tomllib' in source and 'copy_metadata' in source
    calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == "EXE"]
    assert len(calls) == 2
    settings = [{k.arg: ast.literal_eval(k.value) for k in call.keywords
                 if k.arg in ("name", "console", "upx")} for call in calls]
    assert {"name": "CaseFileAudit", "console": False, "upx": False} in settings
    assert {"name": "audit-app", "console": True, "upx": False} in settings
    for module in ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore",
                   "PySide6.Qt3DCore", "PySide6.QtMultimedia", "PySide6.QtPdf", "tkinter"):
        assert f'"{module}"' in source


def test_ci_script_runs_the_readme_commands() -> None:
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text and "CI=true" in text
    assert "dev.py test" in text and "ruff check" in text and "mypy" in text
    assert "build.spec" in text and "--version" in text and "audit list --json" in text
    if shutil.which("bash"):
        assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 dev.py run" in readme and "python3 dev.py test" in readme


def test_dev_script_needs_only_the_standard_library() -> None:
    tree = ast.parse((ROOT / "dev.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


def test_dev_script_skips_an_unchanged_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dev = load_dev_script()
    calls: list[list[str]] = []
    monkeypatch.setattr(dev, "VENV", tmp_path)
    monkeypatch.setattr(dev, "run", lambda command, **_: calls.append(command) or 0)
    dev.ensure_installed("dev")
    assert len(calls) == 1 and calls[0][-1] == ".[dev]"
    dev.ensure_installed("dev")
    assert len(calls) == 1  # stamp matches pyproject.toml: nothing to do
    (tmp_path / ".installed-dev").write_text("an older pyproject\n", encoding="utf-8")
    dev.ensure_installed("dev")
    assert len(calls) == 2


def test_dev_script_usage() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "dev.py")], capture_output=True, text=True)
    assert done.returncode == 2 and "dev.py run" in done.stderr and "dev.py test" in done.stderr


def test_dev_script_names_missing_qt_libraries() -> None:
    """The ldd check maps what Qt's offscreen plugin lacks to Debian packages."""
    dev = load_dev_script()
    assert dev.QT_LIBRARY_PACKAGES["libEGL.so.1"] == "libegl1"
    assert dev.QT_LIBRARY_PACKAGES["libxkbcommon.so.0"] == "libxkbcommon0"
    if sys.platform.startswith("linux") and Path(dev.PYTHON).exists():
        assert isinstance(dev.missing_qt_packages(), list)


def test_dev_run_reuses_the_test_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dev = load_dev_script()
    calls: list[list[str]] = []
    monkeypatch.setattr(dev, "VENV", tmp_path)
    monkeypatch.setattr(dev, "run", lambda command, **_: calls.append(command) or 0)
    dev.ensure_installed("dev")
    dev.ensure_installed("")
    assert [c[-1] for c in calls] == [".[dev]"]
