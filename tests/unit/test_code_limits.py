"""The house's size limits: modules under 400 lines (migrations aside), functions under
60 lines (a widget's construction in the app aside), so each piece fits on a screen or two."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "audit_app"
MODULE_LIMIT = 400
FUNCTION_LIMIT = 60


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "migrations" not in p.parts)


def _is_widget_construction(path: Path, name: str) -> bool:
    # Laying out a window is a long list of widgets; splitting it only scatters the layout.
    return path.is_relative_to(PACKAGE_DIR / "ui") and (
        name == "__init__" or name.startswith("_build"))


def long_functions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length >= FUNCTION_LIMIT and not _is_widget_construction(path, node.name):
                found.append(f"{node.name} ({length} lines)")
    return found


def test_the_scan_sees_the_whole_package() -> None:
    names = {p.name for p in _modules()}
    assert {"__main__.py", "framework.py", "main_window.py", "reviews.py"} <= names


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_module_is_under_the_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines < MODULE_LIMIT, f"{path.name} has {lines} lines; split it by what it is about"


def test_every_function_is_under_the_limit() -> None:
    too_long = {str(p.relative_to(PACKAGE_DIR)): found for p in _modules()
                if (found := long_functions(p))}
    assert too_long == {}


def test_the_function_scan_counts_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(FUNCTION_LIMIT))
    module = tmp_path / "long.py"
    module.write_text(f"def long_one() -> None:\n{body}\n\n\ndef short_one() -> None:\n    pass\n")
    assert long_functions(module) == [f"long_one ({FUNCTION_LIMIT + 1} lines)"]
