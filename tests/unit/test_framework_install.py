"""Installing the shipped frameworks at start: skipped while the files are unchanged,
done again when one changes, and never skipped for a database that lacks them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml

from audit_app.core.framework import Framework
from audit_app.paths import resources_dir, user_data_dir
from audit_app.services import frameworks
from audit_app.services.database import open_database
from audit_app.services.shipped_frameworks import INDEX_NAME, remembered_versions, shipped_digest


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped frameworks, found as a frozen bundle finds its resources."""
    bundle = tmp_path / "bundle"
    shutil.copytree(resources_dir() / "frameworks", bundle / "resources" / "frameworks")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle / "resources" / "frameworks"


@pytest.fixture
def files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The shipped files parsed, in order (the real reader, counted)."""
    read: list[str] = []
    real = frameworks.read_framework_file

    def counted(path: Path) -> Framework:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(frameworks, "read_framework_file", counted)
    return read


def _shipped_file_count() -> int:
    return len([*frameworks.previous_framework_files(), *frameworks.builtin_framework_files()])


def _versions(target: Path) -> set[tuple[str, int]]:
    database = open_database(target)
    try:
        return {(f.key, f.version) for f in frameworks.list_frameworks(database)}
    finally:
        database.close()


def test_unchanged_files_are_not_parsed_again(shipped: Path, files_read: list[str],
                                              tmp_path: Path) -> None:
    first = _versions(tmp_path / "one.sqlite3")
    assert len(files_read) == _shipped_file_count() == len(first)
    files_read.clear()
    assert _versions(tmp_path / "one.sqlite3") == first  # a second start
    assert files_read == []
    paths = [*frameworks.previous_framework_files(), *frameworks.builtin_framework_files()]
    assert remembered_versions(shipped_digest(paths)) == first


def test_a_new_database_still_gets_them(shipped: Path, files_read: list[str],
                                        tmp_path: Path) -> None:
    first = _versions(tmp_path / "one.sqlite3")
    files_read.clear()
    assert _versions(tmp_path / "two.sqlite3") == first
    assert len(files_read) == _shipped_file_count(), "the index knows the files, but this database lacks them"


def test_a_changed_file_is_read_and_installed_again(shipped: Path, files_read: list[str],
                                                   tmp_path: Path) -> None:
    first = _versions(tmp_path / "one.sqlite3")
    current = shipped / "evidence-led-review.yaml"
    raw = yaml.safe_load(current.read_text(encoding="utf-8"))
    raw["version"] += 1
    raw["title"] += " (revised)"
    current.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    files_read.clear()
    after = _versions(tmp_path / "one.sqlite3")
    assert len(files_read) == _shipped_file_count()
    assert after - first == {("evidence-led-review", raw["version"])}
    files_read.clear()
    assert _versions(tmp_path / "one.sqlite3") == after
    assert files_read == []


def test_a_damaged_index_only_means_parsing_again(shipped: Path, files_read: list[str],
                                                  tmp_path: Path) -> None:
    first = _versions(tmp_path / "one.sqlite3")
    index = user_data_dir() / INDEX_NAME
    assert index.is_file()
    index.write_text("{not json", encoding="utf-8")
    files_read.clear()
    assert _versions(tmp_path / "one.sqlite3") == first
    assert len(files_read) == _shipped_file_count()
