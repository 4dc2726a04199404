"""The framework repository: stored framework versions, found by key and version, and
stored once (an existing version is never altered)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_app.core.errors import NotFoundError
from audit_app.core.framework import Framework, framework_to_dict
from audit_app.db.models import CriterionRecord, FrameworkRecord, SectionRecord


def store_framework(session: Session, framework: Framework, *, builtin: bool) -> FrameworkRecord:
    record = FrameworkRecord(
        key=framework.key, version=framework.version, title=framework.title,
        description=framework.description, scale=[a.value for a in framework.scale],
        definition=framework_to_dict(framework), builtin=builtin,
    )
    for s_pos, section in enumerate(framework.sections):
        s_rec = SectionRecord(code=section.code, title=section.title, position=s_pos)
        record.sections.append(s_rec)
        for c_pos, crit in enumerate(section.criteria):
            s_rec.criteria.append(CriterionRecord(
                framework=record, code=crit.code, position=c_pos, question=crit.question,
                guidance=crit.guidance, source=str(crit.source),
                note_required_for=[a.value for a in crit.note_required_for],
                applies_when=crit.applies_when,
            ))
    session.add(record)
    session.flush()
    return record


def stored_versions(session: Session) -> set[tuple[str, int]]:
    """Every (key, version) the database holds."""
    return {(key, version) for key, version in
            session.execute(select(FrameworkRecord.key, FrameworkRecord.version))}


def find_version(session: Session, key: str, version: int) -> FrameworkRecord | None:
    return session.scalar(select(FrameworkRecord).where(
        FrameworkRecord.key == key, FrameworkRecord.version == version))


def find_framework(session: Session, key: str, version: int | None) -> FrameworkRecord:
    """Version `version` of framework `key`, or its newest version when None."""
    query = select(FrameworkRecord).where(FrameworkRecord.key == key)
    if version is not None:
        query = query.where(FrameworkRecord.version == version)
    record = session.scalar(query.order_by(FrameworkRecord.version.desc()).limit(1))
    if record is None:
        known = ", ".join(sorted(set(session.scalars(select(FrameworkRecord.key)).all())))
        which = f"'{key}'" + (f" version {version}" if version is not None else "")
        raise NotFoundError(f"No framework {which}. Known frameworks: {known or 'none'}")
    return record


def require_framework(session: Session, framework_id: int) -> FrameworkRecord:
    record = session.get(FrameworkRecord, framework_id)
    if record is None:
        raise NotFoundError(f"No framework with id {framework_id}")
    return record


def all_frameworks(session: Session) -> list[tuple[FrameworkRecord, int]]:
    """Every stored version, by key then version, each with its number of criteria."""
    counts = dict(session.execute(
        select(CriterionRecord.framework_id, func.count()).group_by(CriterionRecord.framework_id)
    ).all())
    records = session.scalars(
        select(FrameworkRecord).order_by(FrameworkRecord.key, FrameworkRecord.version)).all()
    return [(record, counts.get(record.id, 0)) for record in records]


def criterion_ids(session: Session, framework_id: int) -> dict[str, int]:
    """Criterion code -> database id for one framework version."""
    rows = session.execute(select(CriterionRecord.code, CriterionRecord.id)
                           .where(CriterionRecord.framework_id == framework_id)).all()
    return dict(rows)


def criterion_codes(session: Session, framework_id: int) -> dict[int, str]:
    """Criterion database id -> code for one framework version."""
    return {criterion_id: code for code, criterion_id in criterion_ids(session, framework_id).items()}


def criterion_with_code(session: Session, framework_id: int, code: str) -> int | None:
    return session.scalar(select(CriterionRecord.id).where(
        CriterionRecord.framework_id == framework_id, CriterionRecord.code == code))
