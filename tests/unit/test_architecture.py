"""The layering rules, checked: Qt only in `audit_app/ui`, no SQL or Qt in the core.

Two independent checks: reading every module's import statements (catches an import
hidden inside a function), and importing every non-UI module in a fresh interpreter
(catches Qt arriving through a third module).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import audit_app

PACKAGE_DIR = Path(audit_app.__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
# The core is plain Python: no database, no spreadsheets, no Qt.
CORE_FORBIDDEN = (*QT_MODULES, "sqlalchemy", "alembic", "openpyxl", "python_calamine",
                  "audit_app.db", "audit_app.io", "audit_app.services", "audit_app.ui")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _python_files(under: Path) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported module, at module level) for every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    top_level = {id(node) for node in tree.body}
    found: list[tuple[int, str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, id(node) in top_level))
    return found


def _matches(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


NON_UI_FILES = [p for p in _python_files(PACKAGE_DIR) if not _module_name(p).startswith("audit_app.ui")]


def test_the_scan_sees_the_whole_package() -> None:
    names = {_module_name(p) for p in NON_UI_FILES}
    assert {"audit_app.cli", "audit_app.core.answers", "audit_app.services.database",
            "audit_app.db.models"} <= names


@pytest.mark.parametrize("path", NON_UI_FILES, ids=lambda p: _module_name(p))
def test_no_qt_import_outside_ui(path: Path) -> None:
    offending = [f"line {line}: {module}" for line, module, _ in _imports(path)
                 if _matches(module, QT_MODULES)]
    assert not offending, f"{_module_name(path)} imports Qt: {offending}"


@pytest.mark.parametrize("path", NON_UI_FILES, ids=lambda p: _module_name(p))
def test_ui_is_only_reached_lazily_from_outside(path: Path) -> None:
    """Only the `gui` command may load the UI, and only inside the function that runs it."""
    offending = [f"line {line}: {module}" for line, module, top in _imports(path)
                 if _matches(module, ("audit_app.ui",)) and top]
    assert not offending, f"{_module_name(path)} imports the UI at load time: {offending}"


@pytest.mark.parametrize("path", _python_files(PACKAGE_DIR / "core"), ids=lambda p: _module_name(p))
def test_core_is_plain_python(path: Path) -> None:
    offending = [f"line {line}: {module}" for line, module, _ in _imports(path)
                 if _matches(module, CORE_FORBIDDEN)]
    assert not offending, f"{_module_name(path)} reaches outside the core: {offending}"


def test_importing_every_non_ui_module_loads_no_qt() -> None:
    modules = sorted(_module_name(p) for p in NON_UI_FILES
                     if not _module_name(p).startswith("audit_app.db.migrations")
                     and _module_name(p) != "audit_app.__main__")
    script = (
        "import importlib, json, sys\n"
        f"modules = {modules!r}\n"
        "for name in modules:\n"
        "    importlib.import_module(name)\n"
        "from audit_app.cli import build_parser\n"
        "build_parser()\n"
        f"qt = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
        "print(json.dumps({'imported': len(modules), 'qt': qt}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["imported"] == len(modules) > 20
    assert report["qt"] == []


def test_a_headless_command_loads_no_qt(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from audit_app.cli import main\n"
        "from audit_app.services.database import open_database\n"
        f"open_database({str(tmp_path / 'a.sqlite3')!r}).close()\n"
        f"code = main(['--db', {str(tmp_path / 'a.sqlite3')!r}, 'audit', 'list', '--json'])\n"
        "assert code == 0, code\n"
        "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NO-QT')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "NO-QT"


def test_the_scanner_finds_imports_hidden_in_functions(tmp_path: Path) -> None:
    sample = tmp_path / "leaky.py"
    sample.write_text("import os\n\ndef show():\n    from PySide6.QtWidgets import QLabel\n"
                      "    import shiboken6\n", encoding="utf-8")
    found = _imports(sample)
    assert (1, "os", True) in found
    assert (4, "PySide6.QtWidgets", False) in found and (5, "shiboken6", False) in found
    assert [m for _, m, _ in found if _matches(m, QT_MODULES)] == ["PySide6.QtWidgets", "shiboken6"]


WRITING_CALLS = ("insert", "update", "pg_insert", "sqlite_insert")  # the last two: upserts


def _writes(path: Path, record: str) -> list[int]:
    """Lines of `path` that make a `record` row, or insert or update rows of it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func
            if isinstance(called, ast.Name) and called.id == record:
                lines.append(node.lineno)  # AnswerRecord(...)
            if (isinstance(called, ast.Name) and called.id in WRITING_CALLS
                    and any(isinstance(a, ast.Name) and a.id == record for a in node.args)):
                lines.append(node.lineno)  # insert(AnswerRecord) / update(AnswerRecord)
    return lines


def test_one_module_writes_answers() -> None:
    """Scoring, scoresheets, automatic N/A and merged packages all write answers through
    `db.reviews`, so one set of rules (reopen on edit, logging, version) holds everywhere."""
    writers = {str(path.relative_to(ROOT)) for path in _python_files(PACKAGE_DIR)
               if _writes(path, "AnswerRecord")}
    assert writers <= {"audit_app/db/reviews.py"}, writers
    assert "audit_app/db/reviews.py" in writers


def test_the_writer_scan_sees_each_way_of_writing(tmp_path: Path) -> None:
    source = tmp_path / "writer.py"
    source.write_text("def f(s):\n    s.add(AnswerRecord(value=1))\n"
                      "    s.execute(insert(AnswerRecord), [])\n"
                      "    s.execute(update(AnswerRecord).values(value=2))\n", encoding="utf-8")
    assert _writes(source, "AnswerRecord") == [2, 3, 4]


# --- services hold use cases; the session-level lookups they share live in db -----------

SERVICES_DIR = PACKAGE_DIR / "services"


def _functions_taking_a_session(path: Path) -> list[str]:
    """Top-level functions of `path` whose first parameter is annotated `Session`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.args.args
            and isinstance(node.args.args[0].annotation, ast.Name)
            and node.args.args[0].annotation.id == "Session"]


def test_record_lookups_that_refuse_live_in_db() -> None:
    """`require_audit`, `require_case`, `require_open_audit` and the like are repository
    functions (`db.audits`, `db.cases`, ...): no services module defines one."""
    defined = {f"{path.stem}.{name}" for path in _python_files(SERVICES_DIR)
               for name in _functions_taking_a_session(path) if name.startswith("require_")}
    assert not defined, defined


def _services_imports(path: Path) -> list[tuple[str, list[str]]]:
    """(services module, names) for each `from audit_app.services.x import ...` in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, [alias.name for alias in node.names]) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            and node.module.startswith("audit_app.services.")]


def test_no_service_reaches_into_another_services_private_helpers() -> None:
    borrowed = {f"{path.stem} <- {module}.{name}" for path in _python_files(SERVICES_DIR)
                for module, names in _services_imports(path) for name in names
                if name.startswith("_")}
    assert not borrowed, borrowed


def _import_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle in `graph` (module -> modules it imports), or [] if there is none."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_services_modules_import_one_another_without_a_cycle() -> None:
    """Counting imports inside functions too: a lazy import only hides a cycle."""
    graph = {_module_name(path): {module for _, module, _ in _imports(path)
                                  if module.startswith("audit_app.services.")}
             for path in _python_files(SERVICES_DIR)}
    assert _import_cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _import_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _import_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []
