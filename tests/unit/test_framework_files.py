"""The shipped frameworks: they load, and every criterion is fit for a panel to use."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from audit_app.core.answers import Answer
from audit_app.core.case_fields import FIELD_KEYS, FIELDS_BY_KEY
from audit_app.core.expressions import compile_condition
from audit_app.core.framework import Framework, framework_from_dict, framework_to_dict
from audit_app.core.scoring import automatic_not_applicable
from audit_app.services.frameworks import (
    builtin_framework_files,
    previous_framework_files,
    read_framework_file,
)

EXPECTED = {
    "da-nfa-review": ("Domestic abuse NFA decision review", [
        "Initial response and positive action", "Evidence gathering", "Risk and safeguarding",
        "Victim engagement and withdrawal", "Supervision and decision", "Victim communication"]),
    "evidence-led-review": ("Evidence-led prosecution review", [
        "Case building", "Charge and case strategy", "Withdrawal and non-attendance",
        "Safety and support", "Outcome and learning"]),
    "rape-nfa-review": ("Rape NFA and withdrawal review", [
        "The victim and their support", "Withdrawal", "Case strategy and joint working",
        "The decision", "Telling the victim"]),
}
CURRENT_VERSIONS = {"da-nfa-review": 3, "evidence-led-review": 4, "rape-nfa-review": 2}
# Version 3 of the first two added a section and criteria; version 2 is kept in previous/.
EXPECTED_SECTIONS = {**EXPECTED, "da-nfa-review": (EXPECTED["da-nfa-review"][0], [
    *EXPECTED["da-nfa-review"][1], "CPS decisions not to charge"])}


def _shipped() -> dict[str, Framework]:
    return {f.key: f for f in map(read_framework_file, builtin_framework_files())}


def _previous(version: int) -> dict[str, Framework]:
    return {f.key: f for f in map(read_framework_file, previous_framework_files())
            if f.version == version}


@pytest.fixture(scope="module")
def shipped() -> dict[str, Framework]:
    return _shipped()


def test_the_frameworks_ship_with_their_sections(shipped: dict[str, Framework]) -> None:
    assert set(shipped) == set(EXPECTED)
    for key, (title, sections) in EXPECTED_SECTIONS.items():
        framework = shipped[key]
        assert framework.title == title
        assert framework.version == CURRENT_VERSIONS[key]
        assert framework.description and framework.applies_to
        assert [s.title for s in framework.sections] == sections
        assert framework.scale == tuple(Answer)


def test_version_two_keeps_its_sections_and_sizes() -> None:
    earlier = _previous(2)
    assert set(earlier) == {"da-nfa-review", "evidence-led-review"}
    for key, framework in earlier.items():
        assert [s.title for s in framework.sections] == EXPECTED[key][1]
    assert 28 <= len(earlier["da-nfa-review"].criteria) <= 38
    assert 17 <= len(earlier["evidence-led-review"].criteria) <= 24


def test_framework_sizes(shipped: dict[str, Framework]) -> None:
    assert 45 <= len(shipped["da-nfa-review"].criteria) <= 60
    assert 20 <= len(shipped["evidence-led-review"].criteria) <= 30
    assert 12 <= len(shipped["rape-nfa-review"].criteria) <= 24


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_criterion_has_question_guidance_and_source(key: str) -> None:
    for criterion in _shipped()[key].criteria:
        assert criterion.question.endswith("?"), criterion.code
        assert len(criterion.guidance) > 80, criterion.code
        assert "Met:" in criterion.guidance and "Not met:" in criterion.guidance, criterion.code
        assert "at the time" in criterion.guidance, criterion.code
        assert len(str(criterion.source)) > 10, criterion.code
        assert {Answer.NOT_MET, Answer.NOT_EVIDENCED} <= set(criterion.note_required_for)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_codes_are_unique_and_numbered_by_section(key: str) -> None:
    framework = _shipped()[key]
    codes = [c.code for c in framework.criteria]
    assert len(codes) == len(set(codes))
    for section in framework.sections:
        for criterion in section.criteria:
            assert re.fullmatch(rf"{re.escape(section.code)}\.\d+", criterion.code)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_rules_parse_and_name_only_case_fields(key: str) -> None:
    for criterion in _shipped()[key].criteria:
        if criterion.applies_when:
            compile_condition(criterion.applies_when, fields=set(FIELD_KEYS))
            named = set(re.findall(r"\b([a-z_]+)\s*(?:==|!=|<=|>=|<|>|\bin\b|\bnot\b)",
                                   criterion.applies_when))
            assert named <= set(FIELDS_BY_KEY), (criterion.code, named)


def test_rules_follow_the_domain() -> None:
    """Version 2's rules, as shipped (version 3 no longer skips MARAC on the grading)."""
    nfa = _previous(2)["da-nfa-review"]
    supportive_standard = {"victim_supports": "yes", "risk_level": "standard", "interviewed": True,
                           "elp_flag": False}
    withdrawn_high = {"victim_supports": "withdrawn", "risk_level": "high", "interviewed": True,
                      "elp_flag": True}
    rules = {c.code: c for c in nfa.criteria}
    marac = next(c for c in nfa.criteria if "MARAC" in c.question)
    vrr = next(c for c in nfa.criteria if "reviewed" in c.question and c.code.startswith("6"))
    withdrawal_statement = next(c for c in nfa.criteria if "withdrawal statement" in c.question)
    assert not marac.applies_to(supportive_standard) and marac.applies_to(withdrawn_high)
    assert vrr.applies_to(supportive_standard) and not vrr.applies_to(withdrawn_high)
    assert not vrr.applies_to({**supportive_standard, "interviewed": False})
    assert not withdrawal_statement.applies_to(supportive_standard)
    assert withdrawal_statement.applies_to(withdrawn_high)
    skipped = set(automatic_not_applicable(nfa, supportive_standard))
    assert {marac.code, withdrawal_statement.code} <= skipped
    assert all(rules[code].applies_when for code in skipped)


def test_an_extract_without_a_column_never_skips_a_criterion(shipped: dict[str, Framework]) -> None:
    # Missing data is for the panel to judge, not a reason to mark a criterion N/A.
    for framework in shipped.values():
        assert automatic_not_applicable(framework, {}) == [
            c.code for c in framework.criteria if c.applies_when == "elp_flag == true"]


@pytest.mark.parametrize("path", [*builtin_framework_files(), *previous_framework_files()],
                         ids=lambda p: Path(p).name)
def test_shipped_files_round_trip(path: Path) -> None:
    framework = read_framework_file(path)
    assert framework_from_dict(framework_to_dict(framework)) == framework


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_rules_read_in_plain_words(key: str) -> None:
    for criterion in _shipped()[key].criteria:
        words = criterion.rule_in_words()
        assert bool(words) == bool(criterion.applies_when)
        assert "_" not in words and "==" not in words, (criterion.code, words)


@pytest.mark.parametrize("key", ["da-nfa-review", "evidence-led-review"])
def test_key_criteria_marked_and_version_one_kept(key: str) -> None:
    """Version 2 only marks key criteria; version 1 ships on unchanged beside it."""
    current = _previous(2)[key]
    earlier = _previous(1)[key]
    assert earlier.version == 1 and not any(c.key for c in earlier.criteria)
    assert 3 <= sum(c.key for c in current.criteria) <= 6
    unmarked = [dataclasses.replace(c, key=False) for c in current.criteria]
    assert unmarked == list(earlier.criteria)
    assert framework_from_dict(framework_to_dict(current)) == current
