"""Saved column mappings (mapping profiles), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from audit_app.core.errors import NotFoundError, UserError, ValidationError
from audit_app.services.database import Database
from audit_app.services.mapping_profiles import (
    delete_mapping_profile,
    get_mapping_profile,
    list_mapping_profiles,
    save_mapping_profile,
)


def test_save_list_get_replace_delete(db: Database) -> None:
    saved = save_mapping_profile(db, name="  Northshire   Niche ", mapping={"reference": "URN",
                                                                           "officer": ""},
                                 personal_columns=["Victim", "Victim", "DOB"])
    assert saved.name == "Northshire Niche"
    assert saved.mapping == {"reference": "URN"}  # an empty header means "not mapped"
    assert saved.personal_columns == ["Victim", "DOB"]
    save_mapping_profile(db, name="Athens extract", mapping={"reference": "Crime No"})
    assert [p.name for p in list_mapping_profiles(db)] == ["Athens extract", "Northshire Niche"]
    replaced = save_mapping_profile(db, name="Northshire Niche",
                                    mapping={"reference": "Crime Ref", "risk_level": "DASH"})
    assert replaced.id == saved.id
    fetched = get_mapping_profile(db, "Northshire Niche")
    assert fetched.mapping == {"reference": "Crime Ref", "risk_level": "DASH"}
    assert fetched.personal_columns == []
    delete_mapping_profile(db, name="Northshire Niche")
    with pytest.raises(NotFoundError):
        get_mapping_profile(db, "Northshire Niche")
    assert len(list_mapping_profiles(db)) == 1


def test_bad_profiles_are_refused(db: Database) -> None:
    with pytest.raises(UserError, match="needs a name"):
        save_mapping_profile(db, name="   ", mapping={"reference": "URN"})
    with pytest.raises(ValidationError, match="shoe_size"):
        save_mapping_profile(db, name="Odd", mapping={"shoe_size": "Shoes"})
    assert list_mapping_profiles(db) == []
