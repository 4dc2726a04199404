"""Criteria frameworks: the shipped ones, listing, reading, exporting and importing."""

from __future__ import annotations

from pathlib import Path

import yaml

from audit_app.core.errors import InvalidFileError, NotFoundError, ValidationError
from audit_app.core.framework import Framework, framework_from_dict, framework_to_dict
from audit_app.core.version_mapping import VersionMapping, mapping_from_dict
from audit_app.db.frameworks import all_frameworks, find_framework, require_framework, stored_versions
from audit_app.db.frameworks import criterion_ids as criterion_ids  # re-exported for services.scoring
from audit_app.db.frameworks import find_version as _existing  # the names the install below uses
from audit_app.db.frameworks import store_framework as _store
from audit_app.db.models import FrameworkRecord
from audit_app.db.session import Database  # not services.database: that module installs frameworks
from audit_app.paths import resources_dir
from audit_app.services.records import FrameworkSummary
from audit_app.services.shipped_frameworks import (
    remember_versions,
    remembered_versions,
    shipped_digest,
)

# libyaml's loader when PyYAML was built with it: about ten times quicker than the pure-Python one.
SAFE_LOADER: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def builtin_framework_files() -> list[Path]:
    """The current version of each shipped framework."""
    return sorted((resources_dir() / "frameworks").glob("*.yaml"))


def previous_framework_files() -> list[Path]:
    """Earlier shipped versions, still installed: a new database then holds the same
    versions as an old one, and audits, packages and files naming them keep working."""
    return sorted((resources_dir() / "frameworks" / "previous").glob("*.yaml"))


def shipped_mapping(key: str, earlier_version: int, later_version: int
                    ) -> VersionMapping | None:
    """The shipped mapping from one version of a framework to a later one, if there is one."""
    path = (resources_dir() / "frameworks" / "mappings"
            / f"{key}-{earlier_version}-to-{later_version}.yaml")
    if earlier_version >= later_version or not path.is_file():
        return None
    try:
        return mapping_from_dict(yaml.load(path.read_text(encoding="utf-8"),
                                           Loader=SAFE_LOADER))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidFileError(f"The version mapping {path.name} cannot be read") from exc


def read_framework_file(path: Path) -> Framework:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidFileError(f"No such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidFileError(f"Cannot read {path.name}: {exc}") from exc
    try:
        raw = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise InvalidFileError(f"{path.name} is not a valid framework file: {exc}") from exc
    try:
        return framework_from_dict(raw)
    except ValidationError as exc:
        # Name the file: an author importing several needs to know which one to fix.
        raise ValidationError(f"{path.name}: {exc.message}", exc.problems) from exc


def install_builtin_frameworks(db: Database) -> None:
    """Add any shipped framework version the database does not have yet.

    While the shipped files are unchanged (the same digest as last time) their versions
    are known without parsing them, and one query shows whether any is missing."""
    paths = [*previous_framework_files(), *builtin_framework_files()]
    digest = shipped_digest(paths)
    known = remembered_versions(digest)
    if known is not None:
        with db.reading() as session:
            stored = stored_versions(session)
        if known <= stored:
            return
    shipped: set[tuple[str, int]] = set()
    with db.transaction() as session:
        for path in paths:
            framework = read_framework_file(path)
            shipped.add((framework.key, framework.version))
            if _existing(session, framework.key, framework.version) is None:
                _store(session, framework, builtin=True)
    remember_versions(digest, shipped)


def _summary(record: FrameworkRecord, criterion_count: int) -> FrameworkSummary:
    return FrameworkSummary(
        id=record.id, key=record.key, version=record.version, title=record.title,
        description=record.description, section_count=len(record.definition.get("sections", [])),  # type: ignore[arg-type]
        criterion_count=criterion_count, builtin=record.builtin,
    )


def list_frameworks(db: Database) -> list[FrameworkSummary]:
    with db.reading() as session:
        return [_summary(record, count) for record, count in all_frameworks(session)]


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
        record = find_framework(session, key, version if version is not None else ref_version)
        return framework_from_dict(record.definition)


def get_framework_by_id(db: Database, framework_id: int) -> Framework:
    with db.reading() as session:
        return framework_from_dict(require_framework(session, framework_id).definition)


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
            latest = find_framework(session, framework.key, None).version
            raise ValidationError(
                f"Framework '{framework.key}' version {framework.version} already exists with "
                f"different content; give the changed framework version {latest + 1}"
            )
        record = _store(session, framework, builtin=False)
        return _summary(record, len(framework.criteria))


def import_framework(db: Database, path: Path) -> FrameworkSummary:
    return save_framework(db, read_framework_file(path))
