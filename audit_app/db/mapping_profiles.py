"""The mapping-profile repository: named column mappings, found by name and stored
(created or replaced) inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.errors import NotFoundError, UserError, ValidationError
from audit_app.db.models import MappingProfileRecord


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError("A mapping profile needs a name, e.g. 'Northshire crime extract'.")
    if len(cleaned) > 200:
        raise UserError("A mapping profile name can be at most 200 characters.")
    return cleaned


def find_mapping_profile(session: Session, name: str) -> MappingProfileRecord:
    record = session.scalar(select(MappingProfileRecord).where(
        MappingProfileRecord.name == " ".join(name.split())))
    if record is None:
        raise NotFoundError(f"There is no saved column mapping called '{name}'.")
    return record


def store_mapping_profile(session: Session, *, name: str, mapping: Mapping[str, str],
                          personal_columns: Sequence[str] = (),
                          shareable_columns: Sequence[str] = ()) -> MappingProfileRecord:
    """Create or replace the profile called `name` inside the caller's transaction."""
    unknown = sorted(key for key in mapping if key not in FIELDS_BY_KEY)
    if unknown:
        raise ValidationError(f"Not case fields: {', '.join(unknown)}.", problems=list(unknown))
    cleaned = _clean_name(name)
    record = session.scalar(select(MappingProfileRecord).where(MappingProfileRecord.name == cleaned))
    if record is None:
        record = MappingProfileRecord(name=cleaned)
        session.add(record)
    record.mapping = {key: header for key, header in mapping.items() if header}
    record.personal_columns = list(dict.fromkeys(personal_columns))
    record.shareable_columns = list(dict.fromkeys(shareable_columns))
    session.flush()
    return record
