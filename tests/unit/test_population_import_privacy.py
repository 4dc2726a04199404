"""The import service's privacy and safety rules, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from audit_app.core.errors import ValidationError
from audit_app.db.models import CaseRecord, ChangeLogRecord, PopulationImportRecord
from audit_app.services import sampling
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.frameworks import get_framework
from audit_app.services.mapping_profiles import get_mapping_profile
from audit_app.services.population_import import (
    NoCaseRows,
    RemovalsNeedConsent,
    import_population,
)
from audit_app.services.scoring import record_answer
from tests.helpers.extract_files import write_xlsx

HEADER = ["Crime Ref", "HO Outcome", "Date Recorded", "Contact No", "Circumstances", "Beat"]


def _row(number: int) -> list[object]:
    return [f"R/{number:03d}", 16, dt.date(2025, 1, 1) + dt.timedelta(days=number),
            f"0161 496 0{number:03d}",
            f"Caller reported a disturbance next door at about {number} minutes past ten",
            f"B{number % 3}"]


def _extract(path: Path, numbers: Iterable[int]) -> Path:
    return write_xlsx(path, [HEADER, *(_row(n) for n in numbers)])


def _state(db: Database, audit_id: int) -> tuple[int, int, int, int]:
    """(live cases, removed cases, imports, change-log lines): what a refusal must not touch."""
    with db.reading() as session:
        def count(model: type, *where: object) -> int:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
        return (count(CaseRecord, CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(False)),
                count(CaseRecord, CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(True)),
                count(PopulationImportRecord), count(ChangeLogRecord))


def test_columns_are_classified_and_shareable_ones_stored(db: Database, tmp_path: Path) -> None:
    audit_id = create_audit(db, name="Privacy", framework="da-nfa-review").id
    result = import_population(db, audit_id=audit_id, path=_extract(tmp_path / "e.xlsx", range(1, 21)),
                               shareable_columns=["Beat", "Crime Ref"], save_profile_as="Force")
    assert [(c.column, str(c.classification)) for c in result.columns] == [
        ("Crime Ref", "other"), ("HO Outcome", "other"), ("Date Recorded", "other"),
        ("Contact No", "personal"), ("Circumstances", "free text"), ("Beat", "other")]
    assert result.shareable_columns == ["Beat"]  # a known-safe field needs no marking
    with db.reading() as session:
        record = session.scalars(select(PopulationImportRecord)).one()
        assert record.shareable_columns == ["Beat"]
        assert record.column_classes is not None and record.column_classes["Contact No"] == "personal"
        logged = session.scalars(select(ChangeLogRecord.detail).where(
            ChangeLogRecord.entity == "population_import")).one()
        assert "shareable with partners besides the known safe fields: Beat" in logged
    assert get_mapping_profile(db, "Force").shareable_columns == ["Beat"]

    # The profile brings its choice to the next import; a forced personal column stays closed.
    second = create_audit(db, name="Next", framework="da-nfa-review").id
    reused = import_population(db, audit_id=second, path=_extract(tmp_path / "f.xlsx", range(1, 5)),
                               mapping_profile="Force")
    assert reused.shareable_columns == ["Beat"]
    closed = import_population(db, audit_id=create_audit(db, name="Third", framework="da-nfa-review").id,
                               path=_extract(tmp_path / "g.xlsx", range(1, 5)),
                               mapping_profile="Force", personal_columns=["Beat"])
    assert closed.shareable_columns == []
    assert {c.column: str(c.classification) for c in closed.columns}["Beat"] == "personal"


@pytest.mark.parametrize(("shareable", "personal", "expected"), [
    (["Contact No"], [], "'Contact No' cannot be marked shareable. Looks personal"),
    (["Nowhere"], [], "not in the file: 'Nowhere'"),
    (["Beat"], ["Beat"], "both personal and shareable"),
])
def test_refused_shareable_choices_change_nothing(db: Database, tmp_path: Path, shareable: list[str],
                                                  personal: list[str], expected: str) -> None:
    audit_id = create_audit(db, name="Refusals", framework="da-nfa-review").id
    before = _state(db, audit_id)
    with pytest.raises(ValidationError, match=expected) as refused:
        import_population(db, audit_id=audit_id, path=_extract(tmp_path / "e.xlsx", range(1, 6)),
                          shareable_columns=shareable, personal_columns=personal)
    assert "0161" not in str(refused.value)
    assert _state(db, audit_id) == before


def test_header_only_and_removals_are_refused_with_counts(db: Database, tmp_path: Path) -> None:
    audit_id = create_audit(db, name="Guard", framework="da-nfa-review").id
    import_population(db, audit_id=audit_id, path=_extract(tmp_path / "all.xlsx", range(1, 41)))
    sampling.draw_sample(db, audit_id=audit_id, size=8, seed=2)
    sample = sampling.get_sample(db, audit_id=audit_id)
    code = get_framework(db, "da-nfa-review").criteria[0].code
    for row in sample[:3]:
        record_answer(db, audit_id=audit_id, case_id=row.case.id, reviewer="Member",
                      criterion_code=code, value="met", note="")
    before = _state(db, audit_id)

    with pytest.raises(NoCaseRows, match="header but no case rows"):
        import_population(db, audit_id=audit_id, path=write_xlsx(tmp_path / "h.xlsx", [HEADER]),
                          allow_removals=True)
    assert _state(db, audit_id) == before

    sampled = {int(row.case.reference[2:]) for row in sample}
    scored = {int(row.case.reference[2:]) for row in sample[:3]}
    keep = range(1, 21)
    with pytest.raises(RemovalsNeedConsent) as refused:
        import_population(db, audit_id=audit_id, path=_extract(tmp_path / "half.xlsx", keep))
    gone_sampled = len(sampled - set(keep))
    gone_scored = len(scored - set(keep))
    assert (refused.value.removing, refused.value.population) == (20, 40)
    assert (refused.value.sampled, refused.value.scored) == (gone_sampled, gone_scored)
    assert (f"would remove 20 of 40 cases, {gone_sampled} of them sampled and {gone_scored} "
            "scored") in str(refused.value)
    assert _state(db, audit_id) == before

    # One unsampled case of 40 is routine; one sampled case is not.
    unsampled = next(n for n in range(21, 41) if n not in sampled)
    routine = import_population(db, audit_id=audit_id, path=_extract(
        tmp_path / "less-one.xlsx", [n for n in range(1, 41) if n != unsampled]))
    assert routine.removed == 1
    one_sampled = next(iter(sampled))
    with pytest.raises(RemovalsNeedConsent) as refused:
        import_population(db, audit_id=audit_id, path=_extract(
            tmp_path / "less-two.xlsx",
            [n for n in range(1, 41) if n not in (unsampled, one_sampled)]))
    assert (refused.value.removing, refused.value.sampled) == (1, 1)

    allowed = import_population(db, audit_id=audit_id, allow_removals=True,
                                path=_extract(tmp_path / "half-again.xlsx", keep))
    assert allowed.removed == 19
    assert _state(db, audit_id)[:2] == (20, 20)
