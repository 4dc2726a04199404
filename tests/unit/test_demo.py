"""The synthetic population and the demo audit: realistic, deterministic, in both databases."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from audit_app.core.answers import ReviewStatus
from audit_app.core.case_fields import FIELD_KEYS, RISK_LEVELS, SUPPORT_VALUES
from audit_app.core.synthetic import FIRST_NAMES, SYNTHETIC_SURNAMES, synthetic_population
from audit_app.db.models import AnswerRecord, CriterionRecord, ReviewerRecord, ReviewRecord
from audit_app.services.audits import list_audits
from audit_app.services.database import Database
from audit_app.services.demo import DEMO_SCOPE, create_demo, create_demo_if_empty
from audit_app.services.frameworks import (
    builtin_framework_files,
    list_frameworks,
    read_framework_file,
)
from audit_app.services.sampling import get_sample, get_sample_summary
from audit_app.services.scoring import review_progress


def _is_synthetic_name(name: str) -> bool:
    first, _, surname = name.partition(" ")
    return first in FIRST_NAMES and surname in SYNTHETIC_SURNAMES


def test_population_is_deterministic_and_seed_dependent() -> None:
    assert synthetic_population(300, seed=7) == synthetic_population(300, seed=7)
    assert synthetic_population(300, seed=7) != synthetic_population(300, seed=8)
    # a longer population starts with the same cases: benchmarks can scale it up
    assert synthetic_population(500, seed=7)[:300] == synthetic_population(300, seed=7)


def test_population_looks_like_a_da_extract() -> None:
    population = synthetic_population(2000, seed=2026)
    assert len(population) == 2000
    assert all(set(case) == set(FIELD_KEYS) for case in population)
    outcomes = Counter(case["outcome_code"] for case in population)
    assert (outcomes[14] + outcomes[15] + outcomes[16]) / 2000 > 0.55
    assert outcomes[16] == max(outcomes.values())
    assert len(outcomes) >= 8  # charges, cautions and the rest are mixed in
    assert {case["risk_level"] for case in population} == set(RISK_LEVELS)
    assert {case["victim_supports"] for case in population} == set(SUPPORT_VALUES)
    assert len({case["area"] for case in population}) >= 4
    assert len({case["officer"] for case in population}) > 20
    assert all(case["victim_supports"] in ("never", "withdrawn")
               for case in population if case["outcome_code"] == 16)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), count=st.integers(min_value=0, max_value=60))
def test_every_synthetic_case_is_consistent(seed: int, count: int) -> None:
    population = synthetic_population(count, seed=seed)
    assert len(population) == count
    assert len({case["reference"] for case in population}) == count
    for case in population:
        assert case["crime_date"] <= case["date_recorded"] <= case["date_finalised"]
        assert isinstance(case["crime_date"], dt.date)
        assert _is_synthetic_name(case["victim_name"])
        assert case["suspect_name"] is None or _is_synthetic_name(case["suspect_name"])
        assert (case["charge_date"] is not None) == (case["outcome_code"] == 1)
        if case["marac_referral"]:
            assert case["risk_level"] == "high"


def _scores(db: Database, audit_id: int) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(case reference, reviewer, criterion) -> (answer, note), independent of row ids."""
    sample = {row.case.id: row.case.reference for row in get_sample(db, audit_id=audit_id)}
    with db.reading() as session:
        rows = session.execute(
            select(ReviewRecord.case_id, ReviewerRecord.name, CriterionRecord.code,
                   AnswerRecord.value, AnswerRecord.note)
            .join(ReviewerRecord, ReviewRecord.reviewer_id == ReviewerRecord.id)
            .join(AnswerRecord, AnswerRecord.review_id == ReviewRecord.id)
            .join(CriterionRecord, AnswerRecord.criterion_id == CriterionRecord.id)
            .where(ReviewRecord.audit_id == audit_id)).all()
    return {(sample[case_id], name, code): (value, note)
            for case_id, name, code, value, note in rows}


def _reviews(db: Database, audit_id: int) -> list[Any]:
    with db.reading() as session:
        return list(session.scalars(select(ReviewRecord).where(ReviewRecord.audit_id == audit_id)))


def test_demo_audit_has_population_sample_and_partial_scores(db: Database) -> None:
    audit = create_demo(db)
    assert audit.case_count == 2000
    assert audit.sample_size == 40
    assert audit.framework_key == "da-nfa-review"
    # The demo shows the newest shipped version, not one pinned when it was written.
    newest = max(f.version for f in list_frameworks(db) if f.key == audit.framework_key)
    assert audit.framework_version == newest == read_framework_file(next(
        p for p in builtin_framework_files() if p.stem == audit.framework_key)).version
    summary = get_sample_summary(db, audit_id=audit.id)
    assert summary is not None
    assert summary.method == "stratified" and summary.seed == 2026 and summary.where == DEMO_SCOPE
    assert summary.strata_fields == ("risk_level",)
    assert {name for name, _, _ in summary.strata} == set(RISK_LEVELS)
    progress = review_progress(db, audit_id=audit.id)
    assert {row.reviewer for row in progress} == {"Avery Quillon", "Rowan Pennick"}
    complete = [row for row in progress if row.status is ReviewStatus.COMPLETE]
    in_progress = [row for row in progress if row.status is ReviewStatus.IN_PROGRESS]
    assert complete and in_progress
    assert len({row.case_id for row in progress}) < 40  # partly done: some cases untouched
    assert sum(row.urgent for row in progress) == 1
    reviews = _reviews(db, audit.id)
    assert all(r.verdict for r in reviews if r.status == "complete")
    assert any(r.learning_points for r in reviews)
    # completed reviews satisfy the framework's rules (notes where required)
    assert audit.reviews_complete == len(complete)


def test_demo_is_deterministic_across_databases(tmp_path: Any, db: Database) -> None:
    from audit_app.services.database import open_database

    other = open_database(tmp_path / "other.sqlite3")
    try:
        first = create_demo(db, seed=11, population=400, sample_size=20)
        second = create_demo(other, seed=11, population=400, sample_size=20)
        assert ([r.case.reference for r in get_sample(db, audit_id=first.id)]
                == [r.case.reference for r in get_sample(other, audit_id=second.id)])
        scores = _scores(db, first.id)
        assert scores and scores == _scores(other, second.id)
    finally:
        other.close()


def test_demo_if_empty_only_on_an_empty_database(sqlite_db: Database) -> None:
    created = create_demo_if_empty(sqlite_db, seed=3)
    assert created is not None
    assert create_demo_if_empty(sqlite_db, seed=3) is None
    assert [a.id for a in list_audits(sqlite_db)] == [created.id]
