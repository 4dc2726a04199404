"""How the tests are laid out: shared builders live in `tests/helpers/`, and no module under
`tests/` imports from a test module (`test_*`), so moving or deleting a test never breaks another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parents[1]
ROOT = TESTS_DIR.parent


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, full module name) for every import in the file, relative ones resolved, and each
    `from package import name` counted as the module `package.name` too (it may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _test_module_imports(path: Path, root: Path = ROOT) -> list[str]:
    """The imports in `path` that reach into a test module (any dotted part named test_*)."""
    return [f"line {line}: {module}" for line, module in _imported_modules(path, root)
            if any(part.startswith("test_") for part in module.split("."))]


def _python_files(under: Path) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_under_tests_imports_a_test_module() -> None:
    offending = {_module_name(path): found for path in _python_files(TESTS_DIR)
                 if (found := _test_module_imports(path))}
    assert not offending, f"move shared builders to tests/helpers/: {offending}"


def test_the_layout_scan_sees_the_helpers_and_the_tests() -> None:
    names = {_module_name(path) for path in _python_files(TESTS_DIR)}
    assert {"tests.conftest", "tests.helpers.audits", "tests.unit.test_test_layout"} <= names
    assert not any(name.split(".")[-1].startswith("test_")
                   for name in names if name.startswith("tests.helpers"))


def test_the_scan_catches_every_way_of_importing_a_test_module(tmp_path: Path) -> None:
    package = tmp_path / "tests" / "unit"
    package.mkdir(parents=True)
    sample = package / "test_sample.py"
    sample.write_text(
        "import os\n"
        "from tests.helpers.audits import build_audit\n"
        "from tests.unit.test_cli import run_cli\n"
        "from tests.unit import test_verdicts\n"
        "import tests.ui.test_findings_page\n"
        "def later():\n"
        "    from .test_export import partner\n"
        "    from ..ui import test_review_page\n", encoding="utf-8")
    assert _test_module_imports(sample, tmp_path) == [
        "line 3: tests.unit.test_cli", "line 3: tests.unit.test_cli.run_cli",
        "line 4: tests.unit.test_verdicts", "line 5: tests.ui.test_findings_page",
        "line 7: tests.unit.test_export", "line 7: tests.unit.test_export.partner",
        "line 8: tests.ui.test_review_page"]
