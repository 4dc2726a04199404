"""Named column mappings, saved from one import and offered the next time.

A force's extract keeps the same columns from quarter to quarter, so the user maps it
once, saves the mapping as e.g. "Northshire Niche extract" and picks it next time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

# find_mapping_profile and store_mapping_profile are also read from here by services.population_import.
from audit_app.db.mapping_profiles import find_mapping_profile, store_mapping_profile
from audit_app.db.models import MappingProfileRecord
from audit_app.services.database import Database


@dataclass(frozen=True)
class MappingProfile:
    id: int
    name: str
    mapping: dict[str, str]  # field key -> header
    personal_columns: list[str]
    updated_at: dt.datetime
    shareable_columns: list[str] = field(default_factory=list)  # opened to partners by the user


def _to_profile(record: MappingProfileRecord) -> MappingProfile:
    return MappingProfile(id=record.id, name=record.name, mapping=dict(record.mapping or {}),
                          personal_columns=list(record.personal_columns or []),
                          updated_at=record.updated_at,
                          shareable_columns=list(record.shareable_columns or []))


def list_mapping_profiles(db: Database) -> list[MappingProfile]:
    with db.reading() as session:
        records = session.scalars(select(MappingProfileRecord).order_by(MappingProfileRecord.name))
        return [_to_profile(record) for record in records]


def get_mapping_profile(db: Database, name: str) -> MappingProfile:
    with db.reading() as session:
        return _to_profile(find_mapping_profile(session, name))


def save_mapping_profile(db: Database, *, name: str, mapping: Mapping[str, str],
                         personal_columns: Sequence[str] = (),
                         shareable_columns: Sequence[str] = ()) -> MappingProfile:
    with db.transaction() as session:
        record = store_mapping_profile(session, name=name, mapping=mapping,
                                       personal_columns=personal_columns,
                                       shareable_columns=shareable_columns)
        return _to_profile(record)


def delete_mapping_profile(db: Database, *, name: str) -> None:
    with db.transaction() as session:
        session.delete(find_mapping_profile(session, name))
