"""Criteria frameworks: the shipped ones, listing, reading, exporting and importing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_app.core.errors import InvalidFileError, NotFoundError, ValidationError
from audit_app.core.framework import Framework, framework_from_dict, framework_to_dict
from audit_app.db.models import CriterionRecord, FrameworkRecord, SectionRecord
from audit_app.paths import resources_dir
from audit_app.services.database import Database
from audit_app.services.records import FrameworkSummary


def builtin_framework_files() -> list[Path]:
    """The current version of each shipped framework."""
    return sorted((resources_dir() / "frameworks").glob("*.yaml"))


def previous_framework_files() -> list[Path]:
    """Earlier shipped versions, still installed: a new database then holds the same
    versions as an old one, and audits, packages and files naming them keep working."""
    return sorted((resources_dir() / "frameworks" / "previous").glob("*.yaml"))


def read_framework_file(path: Path) -> Framework:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidFileError(f"No such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidFileError(f"Cannot read {path.name}: {exc}") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidFileError(f"{path.name} is not a valid framework file: {exc}") from exc
    try:
        return framework_from_dict(raw)
    except ValidationError as exc:
        # Name the file: an author importing several needs to know which one to fix.
        raise ValidationError(f"{path.name}: {exc.message}", exc.problems) from exc


def _store(session: Session, framework: Framework, *, builtin: bool) -> FrameworkRecord:
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


def _existing(session: Session, key: str, version: int) -> FrameworkRecord | None:
    return session.scalar(select(FrameworkRecord).where(
        FrameworkRecord.key == key, FrameworkRecord.version == version))


def install_builtin_frameworks(db: Database) -> None:
    """Add any shipped framework version the database does not have yet."""
    with db.transaction() as session:
        for path in [*previous_framework_files(), *builtin_framework_files()]:
            framework = read_framework_file(path)
            if _existing(session, framework.key, framework.version) is None:
                _store(session, framework, builtin=True)


def _summary(record: FrameworkRecord, criterion_count: int) -> FrameworkSummary:
    return FrameworkSummary(
        id=record.id, key=record.key, version=record.version, title=record.title,
        description=record.description, section_count=len(record.definition.get("sections", [])),  # type: ignore[arg-type]
        criterion_count=criterion_count, builtin=record.builtin,
    )


def list_frameworks(db: Database) -> list[FrameworkSummary]:
    with db.reading() as session:
        counts = dict(session.execute(
            select(CriterionRecord.framework_id, func.count()).group_by(CriterionRecord.framework_id)
        ).all())
        records = session.scalars(
            select(FrameworkRecord).order_by(FrameworkRecord.key, FrameworkRecord.version)).all()
        return [_summary(r, counts.get(r.id, 0)) for r in records]


def _find(session: Session, key: str, version: int | None) -> FrameworkRecord:
    query = select(FrameworkRecord).where(FrameworkRecord.key == key)
    if version is not None:
        query = query.where(FrameworkRecord.version == version)
    record = session.scalar(query.order_by(FrameworkRecord.version.desc()).limit(1))
    if record is None:
        known = ", ".join(sorted(set(session.scalars(select(FrameworkRecord.key)).all())))
        which = f"'{key}'" + (f" version {version}" if version is not None else "")
        raise NotFoundError(f"No framework {which}. Known frameworks: {known or 'none'}")
    return record


def parse_framework_ref(ref: str) -> tuple[str, int | None]:
    """'da-nfa-review' or 'da-nfa-review@2' (or ':2')."""
    for sep in ("@", ":"):
        if sep in ref:
            key, _, version = ref.partition(sep)
            if not version.isdigit():
                raise NotFoundError(f"'{ref}': the version after '{sep}' must be a number")
            return key.strip(), int(version)
    return ref.strip(), None


def get_framework(db: Database, ref: str, *, version: int | None = None) -> Framework:
    key, ref_version = parse_framework_ref(ref)
    with db.reading() as session:
        record = _find(session, key, version if version is not None else ref_version)
        return framework_from_dict(record.definition)


def get_framework_by_id(db: Database, framework_id: int) -> Framework:
    with db.reading() as session:
        record = session.get(FrameworkRecord, framework_id)
        if record is None:
            raise NotFoundError(f"No framework with id {framework_id}")
        return framework_from_dict(record.definition)


class _FrameworkDumper(yaml.SafeDumper):
    """Writes guidance with line breaks as a `|` block, the way the shipped files read."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text and text == text.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_FrameworkDumper.add_representer(str, _represent_text)


def framework_to_yaml(framework: Framework) -> str:
    return yaml.dump(framework_to_dict(framework), Dumper=_FrameworkDumper, sort_keys=False,
                     allow_unicode=True, width=100)


def export_framework(db: Database, ref: str, path: Path) -> Path:
    framework = get_framework(db, ref)
    try:
        path.write_text(framework_to_yaml(framework), encoding="utf-8")
    except OSError as exc:
        raise InvalidFileError(f"Cannot write {path}: {exc.strerror or exc}") from exc
    return path


def save_framework(db: Database, framework: Framework) -> FrameworkSummary:
    """Store a new framework or a new version; an existing version is never altered."""
    with db.transaction() as session:
        existing = _existing(session, framework.key, framework.version)
        if existing is not None:
            if framework_from_dict(existing.definition) == framework:
                return _summary(existing, len(framework.criteria))
            latest = _find(session, framework.key, None).version
            raise ValidationError(
                f"Framework '{framework.key}' version {framework.version} already exists with "
                f"different content; give the changed framework version {latest + 1}"
            )
        record = _store(session, framework, builtin=False)
        return _summary(record, len(framework.criteria))


def import_framework(db: Database, path: Path) -> FrameworkSummary:
    return save_framework(db, read_framework_file(path))


def criterion_ids(session: Session, framework_id: int) -> dict[str, int]:
    """Criterion code -> database id for one framework version."""
    rows = session.execute(select(CriterionRecord.code, CriterionRecord.id)
                           .where(CriterionRecord.framework_id == framework_id)).all()
    return dict(rows)


def framework_dict_for_audit(session: Session, framework_id: int) -> dict[str, Any]:
    record = session.get(FrameworkRecord, framework_id)
    if record is None:
        raise NotFoundError(f"No framework with id {framework_id}")
    return record.definition
