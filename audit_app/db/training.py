"""The one writer and reader of training answers (calibration cases, apart from audits)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from audit_app.db.models_training import TrainingAnswerRecord

TrainingKey = tuple[str, str]  # (case reference, criterion code)


def training_answers(session: Session, member: str, framework_key: str,
                     framework_version: int) -> dict[TrainingKey, tuple[str, str]]:
    """The member's answers as (value, note) by (case reference, criterion code)."""
    return {(row.case_reference, row.criterion_code): (row.value, row.note)
            for row in session.scalars(select(TrainingAnswerRecord).where(
                TrainingAnswerRecord.member == member,
                TrainingAnswerRecord.framework_key == framework_key,
                TrainingAnswerRecord.framework_version == framework_version))}


def store_training_answer(session: Session, member: str, framework_key: str,
                          framework_version: int, reference: str, code: str,
                          value: str | None, note: str = "") -> None:
    """Set (or clear, with None) one training answer."""
    found = session.scalar(select(TrainingAnswerRecord).where(
        TrainingAnswerRecord.member == member,
        TrainingAnswerRecord.framework_key == framework_key,
        TrainingAnswerRecord.framework_version == framework_version,
        TrainingAnswerRecord.case_reference == reference,
        TrainingAnswerRecord.criterion_code == code))
    if value is None:
        if found is not None:
            session.delete(found)
        return
    if found is None:
        session.add(TrainingAnswerRecord(
            member=member, framework_key=framework_key, framework_version=framework_version,
            case_reference=reference, criterion_code=code, value=value, note=note))
    else:
        found.value, found.note = value, note


def clear_training(session: Session, member: str, framework_key: str,
                   framework_version: int) -> int:
    """Start again: remove the member's answers for this set; how many there were."""
    result = session.execute(delete(TrainingAnswerRecord).where(
        TrainingAnswerRecord.member == member,
        TrainingAnswerRecord.framework_key == framework_key,
        TrainingAnswerRecord.framework_version == framework_version))
    return int(getattr(result, "rowcount", 0) or 0)
