"""Training with calibration cases: score synthetic files, then compare with the reference key.

Each public call is one unit of work. Training answers are stored apart from every audit
(`db.training`), one committed write per answer, so a new member's practice never changes
an audit's figures and nothing entered is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from audit_app.core.answers import Answer
from audit_app.core.calibration import CalibrationResult, CalibrationSet, calibration_from_dict
from audit_app.core.calibration import compare_with_key as _compare
from audit_app.core.errors import InvalidFileError, NotFoundError, ValidationError
from audit_app.core.framework import Framework
from audit_app.db import training
from audit_app.db.reviews import tidy_name
from audit_app.paths import resources_dir
from audit_app.services.database import Database
from audit_app.services.frameworks import SAFE_LOADER, get_framework


def calibration_files() -> list[Path]:
    return sorted((resources_dir() / "calibration").glob("*.yaml"))


@dataclass(frozen=True)
class CalibrationChoice:
    """A calibration set the app ships, as a pick-list shows it."""

    framework_ref: str  # "da-nfa-review@3"
    title: str
    framework_title: str
    cases: int
    keyed_answers: int


@dataclass(frozen=True)
class Training:
    """What a training screen needs: the cases and keys, the framework, the member's answers."""

    calibration: CalibrationSet
    framework: Framework
    member: str
    answers: dict[tuple[str, str], tuple[Answer, str]]


def list_calibration_sets(db: Database) -> list[CalibrationChoice]:
    choices = []
    for path in calibration_files():
        calibration, framework = _read(db, path)
        choices.append(CalibrationChoice(
            f"{calibration.framework_key}@{calibration.framework_version}", calibration.title,
            f"{framework.title}, version {framework.version}", len(calibration.cases),
            calibration.keyed_answers))
    return choices


@lru_cache(maxsize=8)
def _file_data(path: Path, modified_ns: int) -> Any:
    """A calibration file's data, read once per version of the file (each saved answer
    checks against the key, so reading it at every key press would be waste)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidFileError(f"The calibration file {path.name} cannot be read") from exc


# A stored framework version never changes (a changed one must take a new version), so a
# calibration set checked against it holds while its file is unchanged.
_checked: dict[tuple[str, Path, int], tuple[CalibrationSet, Framework]] = {}


def _read(db: Database, path: Path) -> tuple[CalibrationSet, Framework]:
    try:
        modified_ns = path.stat().st_mtime_ns
    except OSError as exc:
        raise InvalidFileError(f"The calibration file {path.name} cannot be read") from exc
    key = (str(db.url), path, modified_ns)
    if key not in _checked:
        raw = _file_data(path, modified_ns)
        if not isinstance(raw, dict):
            raise InvalidFileError(f"{path.name} is not a calibration file")
        framework = get_framework(db, f"{raw.get('framework')}@{raw.get('version')}")
        if len(_checked) > 16:
            _checked.clear()
        _checked[key] = calibration_from_dict(raw, framework), framework
    return _checked[key]


def _calibration(db: Database, framework_ref: str) -> tuple[CalibrationSet, Framework]:
    for path in calibration_files():
        calibration, framework = _read(db, path)
        if f"{calibration.framework_key}@{calibration.framework_version}" == framework_ref:
            return calibration, framework
    raise NotFoundError(f"There are no calibration cases for {framework_ref}")


def open_training(db: Database, *, member: str, framework_ref: str) -> Training:
    member = tidy_name(member)
    calibration, framework = _calibration(db, framework_ref)
    with db.reading() as session:
        stored = training.training_answers(session, member, calibration.framework_key,
                                           calibration.framework_version)
    return Training(calibration, framework, member,
                    {key: (Answer(value), note) for key, (value, note) in stored.items()})


def record_training_answer(db: Database, *, member: str, framework_ref: str, reference: str,
                           criterion_code: str, value: Answer | str | None,
                           note: str = "") -> None:
    """Save one training answer (None clears it), committed at once."""
    member = tidy_name(member)
    calibration, framework = _calibration(db, framework_ref)
    case = calibration.case(reference)
    if criterion_code not in case.key:
        raise ValidationError(f"Criterion {criterion_code} is not part of {reference}'s "
                              "training key")
    answer = None
    if value is not None:
        try:
            answer = Answer.parse(value) if isinstance(value, str) else value
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        criterion = next(c for c in framework.criteria if c.code == criterion_code)
        if answer not in criterion.answers(framework.scale):
            raise ValidationError(f"Criterion {criterion_code} cannot be answered "
                                  f"'{answer.label}'")
    with db.transaction() as session:
        training.store_training_answer(
            session, member, calibration.framework_key, calibration.framework_version,
            reference, criterion_code, answer.value if answer else None, note.strip())


def training_result(db: Database, *, member: str, framework_ref: str) -> CalibrationResult:
    opened = open_training(db, member=member, framework_ref=framework_ref)
    return _compare(opened.calibration, opened.framework,
                    {key: answer for key, (answer, _) in opened.answers.items()})


def start_training_again(db: Database, *, member: str, framework_ref: str) -> int:
    """Remove the member's training answers for this set; how many were removed."""
    member = tidy_name(member)
    calibration, _ = _calibration(db, framework_ref)
    with db.transaction() as session:
        return training.clear_training(session, member, calibration.framework_key,
                                       calibration.framework_version)
