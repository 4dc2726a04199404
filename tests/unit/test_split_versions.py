"""The compound criteria split in evidence-led review version 4 and rape review version 2:
the earlier versions ship on unchanged, every earlier criterion is compared or has a
reason, audits keep the version they started on, and the split items are complete."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from audit_app.core.framework import Framework
from audit_app.core.framework_diff import diff_frameworks
from audit_app.paths import resources_dir
from audit_app.services import audits
from audit_app.services.comparison import compare_audits
from audit_app.services.database import Database
from audit_app.services.frameworks import (
    builtin_framework_files,
    install_builtin_frameworks,
    previous_framework_files,
    read_framework_file,
    shipped_mapping,
)
from tests.helpers.audits import build_audit

# (key, earlier version, later version) -> {earlier compound code: the later codes it became}
SPLITS = {
    ("evidence-led-review", 3, 4): {"1.2": {"1.2", "1.5", "1.6", "1.7", "1.8"},
                                    "5.2": {"5.2", "5.5"}},
    ("rape-nfa-review", 1, 2): {"3.1": {"3.1", "3.6"}, "3.4": {"3.4", "3.5"}},
}


def _split_id(value: object) -> str:
    """A stable test id: the sets' order changes between processes (xdist compares ids)."""
    if isinstance(value, dict):
        return ";".join(f"{key}={'+'.join(sorted(parts))}" for key, parts in sorted(value.items()))
    return "-".join(str(part) for part in value) if isinstance(value, tuple) else str(value)


MAPPING_FILES = sorted((resources_dir() / "frameworks" / "mappings").glob("*.yaml"))


def _shipped(key: str, version: int) -> Framework:
    for path in [*previous_framework_files(), *builtin_framework_files()]:
        framework = read_framework_file(path)
        if (framework.key, framework.version) == (key, version):
            return framework
    raise AssertionError(f"{key} version {version} is not shipped")


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.mark.parametrize("path", MAPPING_FILES, ids=lambda p: Path(p).name)
def test_every_earlier_criterion_is_compared_or_has_a_reason(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    key, earlier_version = raw["from"].split("@")
    later_version = int(raw["to"].split("@")[1])
    assert path.name == f"{key}-{earlier_version}-to-{later_version}.yaml"
    mapping = shipped_mapping(key, int(earlier_version), later_version)
    assert mapping is not None
    earlier, later = _shipped(key, int(earlier_version)), _shipped(key, later_version)
    same = {(c.code, _words(c.question)) for c in later.criteria}
    later_codes = {c.code for c in later.criteria}
    for criterion in earlier.criteria:
        unchanged = (criterion.code, _words(criterion.question)) in same
        listed = criterion.code in mapping.comparable or criterion.code in mapping.not_comparable
        assert unchanged or listed, f"{key} {criterion.code} is neither compared nor explained"
        assert not (unchanged and listed), f"{key} {criterion.code} needs no mapping entry"
    assert all(target in later_codes for target, _ in mapping.comparable.values())
    assert all(why.strip() for why in mapping.not_comparable.values())


@pytest.mark.parametrize(("versions", "splits"), SPLITS.items(), ids=_split_id)
def test_only_the_compound_criteria_changed(versions: tuple[str, int, int],
                                            splits: dict[str, set[str]]) -> None:
    key, before, after = versions
    earlier, later = _shipped(key, before), _shipped(key, after)
    diff = diff_frameworks(earlier, later)
    new_codes = set().union(*splits.values())
    assert {c.code for c in diff.added} == new_codes - set(splits)
    assert not diff.removed
    assert {r.code for r in diff.reworded} == set(splits)
    old_by_code = {c.code: c for c in earlier.criteria}
    for criterion in later.criteria:
        if criterion.code not in new_codes:
            assert criterion == old_by_code[criterion.code], criterion.code
    mapping = shipped_mapping(key, before, after)
    assert mapping is not None and set(mapping.not_comparable) == set(splits)
    for old, parts in splits.items():
        reason = mapping.not_comparable[old]
        assert reason.startswith("Split into") and all(f"({code})" in reason for code in parts)


@pytest.mark.parametrize(("versions", "splits"), SPLITS.items(), ids=_split_id)
def test_each_split_item_asks_one_thing_and_is_complete(versions: tuple[str, int, int],
                                                       splits: dict[str, set[str]]) -> None:
    key, _, after = versions
    later = _shipped(key, after)
    for code in set().union(*splits.values()):
        criterion = later.criterion(code)
        assert criterion.question.count("?") == 1 and " and was " not in criterion.question
        assert criterion.answers(later.scale), code
        assert criterion.file_pack and criterion.source.structured, code
        assert criterion.answered_by.label, code


def test_the_frozen_copies_are_the_files_as_shipped() -> None:
    for key, version in (("evidence-led-review", 3), ("rape-nfa-review", 1)):
        path = resources_dir() / "frameworks" / "previous" / f"{key}.v{version}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == f"# Version {version} as shipped, kept unchanged: audits started on it stay on it."
        framework = read_framework_file(path)
        assert (framework.key, framework.version) == (key, version)
    assert "and was it reviewed on time?" in _words(_shipped("rape-nfa-review", 1).criterion(
        "3.1").question)
    assert "admissions?" in _words(_shipped("evidence-led-review", 3).criterion("1.2").question)


def test_audits_keep_their_version_and_new_ones_take_the_newest(db: Database) -> None:
    started = {key: audits.create_audit(db, name=f"Earlier {key}", framework=f"{key}@{before}")
               for (key, before, _), _ in SPLITS.items()}
    install_builtin_frameworks(db)  # a later start adds nothing and moves nothing
    for (key, before, after), _ in SPLITS.items():
        assert audits.get_audit(db, started[key].id).framework_version == before
        fresh = audits.create_audit(db, name=f"New {key}", framework=key)
        assert audits.get_audit(db, fresh.id).framework_version == after


def test_comparing_across_the_split_pairs_the_rest(db: Database) -> None:
    earlier = build_audit(db, framework_ref="evidence-led-review@3", scored_criteria=0)
    later = build_audit(db, framework_ref="evidence-led-review@4", scored_criteria=0)
    comparison = compare_audits(db, audit_id=later.audit_id, earlier_audit_id=earlier.audit_id)
    compared = {row.criterion_code for row in comparison.rows}
    assert compared == {c.code for c in earlier.framework.criteria} - {"1.2", "5.2"}
    assert not any(row.mapped_because for row in comparison.rows)
    assert [code for code, _ in comparison.not_compared] == ["1.2", "5.2"]
    questions = dict(comparison.earlier_questions)
    assert "admissions?" in questions["1.2"]
    assert comparison.notice == (
        "This audit uses version 4 of the framework, the earlier one version 3: only the "
        f"{len(compared)} criteria in both are compared.")
