"""Draw rule 2 (keys mixed from the seed and a digest stored at import) beside rule 1.

Rule 2 is checked against its published definition written out here in plain Python;
draws made under rule 1 before rule 2 existed must still re-check, replace and verify.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

import numpy as np
from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, text, update

from audit_app.core import draw_rule2
from audit_app.core.sampling import (
    Allocation,
    Population,
    SampleMethod,
    draw,
    population_fingerprint,
)
from audit_app.db.engine import make_engine
from audit_app.db.migrate import alembic_config, upgrade_database
from audit_app.db.models import CaseRecord, SampleDrawRecord, SampleItemRecord
from audit_app.services import audits, sampling
from audit_app.services.database import Database, open_database
from audit_app.services.population_import import import_population
from tests.helpers.extract_workbook import write_extract

MASK = 2**64 - 1
STRATA = ["14", "15", "16", "18"]
AREAS = ["North", "South", "East"]


def splitmix64_key(seed: int, reference: str) -> tuple[int, str]:
    """The published SplitMix64 output function, of seed XOR the digest's first 8 bytes."""
    z = seed ^ int.from_bytes(hashlib.sha256(reference.encode()).digest()[:8], "big")
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31), reference


@st.composite
def populations(draw_: st.DrawFn) -> Population:
    count = draw_(st.integers(min_value=1, max_value=250))
    strata = draw_(st.lists(st.sampled_from(STRATA), min_size=count, max_size=count))
    prefix = draw_(st.sampled_from(["CR/", "X-", "é/"]))
    return Population([f"{prefix}{i:05d}" for i in range(count)], strata)


def test_splitmix64_gives_the_reference_codes_first_output() -> None:
    # splitmix64.c seeded with 0 first returns 0xE220A8397B1DCDAF: seed 0 XOR digest 0.
    assert draw_rule2.mix(0, 0) == 0xE220A8397B1DCDAF
    words = np.array([[0, 0, 0, 0], [1, 2, 3, 4]], dtype=">u8")
    assert draw_rule2.mixed_keys(0, words).tolist()[0] == 0xE220A8397B1DCDAF


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=2**63 - 1),
       st.lists(st.integers(min_value=0, max_value=MASK), min_size=1, max_size=50))
def test_vectorised_keys_are_the_published_function(seed: int, prefixes: list[int]) -> None:
    words = np.array([[p, 0, 0, 0] for p in prefixes], dtype=">u8")
    assert draw_rule2.mixed_keys(seed, words).tolist() == [draw_rule2.mix(seed, p)
                                                            for p in prefixes]


@settings(max_examples=60, deadline=None)
@given(populations(), st.integers(min_value=1, max_value=2**63 - 1), st.data())
def test_rule_2_draws_are_the_smallest_published_keys_whatever_the_row_order(
        units: Population, seed: int, data: st.DataObject) -> None:
    size = data.draw(st.integers(min_value=1, max_value=len(units)))
    method = data.draw(st.sampled_from([SampleMethod.RANDOM, SampleMethod.STRATIFIED]))
    drawn = [d.reference for d in draw(units, size=size, seed=seed, method=method, rule=2)]
    pairs = list(zip(units.references, units.strata, strict=True))
    random.Random(seed).shuffle(pairs)
    again = draw(Population.of(pairs), size=size, seed=seed, method=method, rule=2)
    assert [d.reference for d in again] == drawn
    key = lambda r: splitmix64_key(seed, r)  # noqa: E731
    if method is SampleMethod.RANDOM:
        assert drawn == sorted(units.references, key=key)[:size]
    else:
        sizes = units.stratum_sizes()
        from audit_app.core.sampling import allocate

        expected: list[str] = []
        for name, count in allocate(sizes, size, Allocation.PROPORTIONAL).items():
            members = [r for r, s in pairs if s == name]
            expected += sorted(members, key=key)[:count]
        assert drawn == sorted(expected, key=key)


def test_rule_2_digests_kept_with_a_population_survive_leaving_cases_out() -> None:
    references = [f"CR/{i}" for i in range(40)]
    units = Population(references, [""] * 40, digests=draw_rule2.digests_of(references))
    kept = units.without({"CR/3", "CR/7"})
    assert kept.digests is not None
    assert np.array_equal(kept.digests, draw_rule2.digests_of(kept.references))
    assert [d.reference for d in draw(kept, size=5, seed=3, method=SampleMethod.RANDOM, rule=2)] \
        == sorted(kept.references, key=lambda r: splitmix64_key(3, r))[:5]


def _population(db: Database, audit_id: int, count: int = 240) -> list[tuple[str, str]]:
    rows = [{"audit_id": audit_id, "reference": f"CR/{i:05d}", "outcome_code": 14 + i % 3,
             "area": AREAS[i % 3], "extra": {}} for i in range(count)]
    with db.transaction() as session:
        session.execute(insert(CaseRecord), rows)
    return [(str(r["reference"]), f"{r['outcome_code']}") for r in rows]


def _store_rule_1_draw(db: Database, audit_id: int, cases: list[tuple[str, str]], seed: int,
                       size: int) -> list[str]:
    """A stratified draw as the app made it before rule 2: rule 1 keys and fingerprint."""
    population = Population.of(cases)
    drawn = draw(population, size=size, seed=seed, method=SampleMethod.STRATIFIED, rule=1)
    with db.transaction() as session:
        ids = dict(session.execute(select(CaseRecord.reference, CaseRecord.id)
                                   .where(CaseRecord.audit_id == audit_id)).all())
        record = SampleDrawRecord(
            audit_id=audit_id, method="stratified", seed=seed, rule_version=1,
            parameters={"strata_fields": ["outcome_code"], "allocation": "proportional",
                        "where": "", "include_always": "", "exclude_reviewed": False,
                        "quotas": None, "strata_population": population.stratum_sizes()},
            population_fingerprint=population_fingerprint(population),
            population_size=len(population), sample_size=len(drawn), drawn_by="panel")
        session.add(record)
        session.flush()
        session.add_all(SampleItemRecord(draw_id=record.id, case_id=ids[d.reference],
                                         position=d.position, stratum=d.stratum) for d in drawn)
        # Cases imported before rule 2 had no digest until the migration: rule 1 needs none.
        session.execute(update(CaseRecord).values(reference_digest=None))
    return [d.reference for d in drawn]


def test_a_rule_1_draw_made_before_still_verifies_and_replaces_in_rule_1_order(db: Database) -> None:
    audit = audits.create_audit(db, name="Before rule 2", framework="da-nfa-review")
    cases = _population(db, audit.id)
    stored = _store_rule_1_draw(db, audit.id, cases, seed=4242, size=24)
    summary = sampling.get_sample_summary(db, audit_id=audit.id)
    assert summary is not None and summary.rule_version == 1
    assert summary.selection_rule.startswith("Cases ordered by the SHA-256 of 'seed:reference'")
    check = sampling.verify_sample(db, audit_id=audit.id)
    assert check.ok, check.messages
    page = (Path(__file__).parents[2] / "docs" / "checking-a-draw.md").read_text(encoding="utf-8")
    namespace: dict[str, Any] = {}
    exec(page.split("```python\n")[2].split("```", 1)[0], namespace)
    quotas = {name: in_sample for name, _, in_sample in summary.strata}
    assert namespace["check_draw_rule_1"](cases, 4242, quotas) == (summary.fingerprint, stored)
    # A replacement is the next case of the stratum in rule 1's key order.
    first = stored[0]
    stratum = dict(cases)[first]
    order = sorted((r for r, s in cases if s == stratum),
                   key=lambda r: hashlib.sha256(f"4242:{r}".encode()).hexdigest())
    expected = next(r for r in order if r not in stored)
    replacement = sampling.replace_case(db, audit_id=audit.id, reference=first, reason="sealed")
    assert replacement is not None and replacement.case.reference == expected
    assert sampling.verify_sample(db, audit_id=audit.id).ok


def test_a_new_draw_records_rule_2_and_its_documented_answer(db: Database) -> None:
    audit = audits.create_audit(db, name="Rule 2", framework="da-nfa-review")
    cases = _population(db, audit.id)
    summary = sampling.draw_sample(db, audit_id=audit.id, size=21, method="stratified",
                                   strata_fields=["outcome_code"], seed=9)
    assert summary.rule_version == 2 and "(draw rule 2)" in summary.selection_rule
    assert any("SplitMix64" in line for line in summary.certificate_lines())
    sample = [r.case.reference for r in sampling.get_sample(db, audit_id=audit.id)]
    quotas = {name: in_sample for name, _, in_sample in summary.strata}
    expected: list[str] = []
    for name, count in quotas.items():
        expected += sorted((r for r, s in cases if s == name),
                           key=lambda r: splitmix64_key(9, r))[:count]
    assert sample == sorted(expected, key=lambda r: splitmix64_key(9, r))
    assert sampling.verify_sample(db, audit_id=audit.id).ok
    # A case changed behind the draw's back is caught by the fingerprint.
    with db.transaction() as session:
        session.execute(update(CaseRecord).where(CaseRecord.reference == cases[-1][0])
                        .values(outcome_code=99))
    assert not sampling.verify_sample(db, audit_id=audit.id).ok


def test_cases_written_without_a_digest_draw_the_same(db: Database) -> None:
    audit = audits.create_audit(db, name="Missing digests", framework="da-nfa-review")
    cases = _population(db, audit.id)
    first = sampling.draw_sample(db, audit_id=audit.id, size=15, method="random", seed=5)
    drawn = [r.case.reference for r in sampling.get_sample(db, audit_id=audit.id)]
    with db.transaction() as session:  # as a tool writing straight into the table might
        session.execute(update(CaseRecord).where(CaseRecord.reference.in_(
            [r for r, _ in cases[::7]])).values(reference_digest=None))
    again = sampling.draw_sample(db, audit_id=audit.id, size=15, method="random", seed=5)
    assert [r.case.reference for r in sampling.get_sample(db, audit_id=audit.id)] == drawn
    assert again.fingerprint == first.fingerprint
    assert sampling.verify_sample(db, audit_id=audit.id).ok


def test_import_stores_each_references_digest(db: Database, tmp_path: Path) -> None:
    audit = audits.create_audit(db, name="Imported", framework="da-nfa-review")
    import_population(db, audit_id=audit.id, path=write_extract(tmp_path / "x.xlsx", 30))
    import_population(db, audit_id=audit.id, path=write_extract(tmp_path / "y.xlsx", 35))
    with db.reading() as session:
        stored = session.execute(select(CaseRecord.reference, CaseRecord.reference_digest)
                                 .where(CaseRecord.audit_id == audit.id)).all()
    assert len(stored) == 35
    assert all(digest == hashlib.sha256(reference.encode()).hexdigest()
               for reference, digest in stored)


def test_the_migration_gives_existing_cases_their_digest_and_keeps_draws_on_rule_1(
        tmp_path: Path) -> None:
    path = tmp_path / "before.sqlite3"
    database = open_database(path)
    audit = audits.create_audit(database, name="Old", framework="da-nfa-review")
    database.close()
    engine = make_engine(f"sqlite:///{path}")
    command.downgrade(alembic_config(engine), "0004_thresholds")  # as before rule 2
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO case_file (audit_id, source_row, removed, reference, extra)"
            " VALUES (:audit, :row, 0, :reference, '{}')"),
            [{"audit": audit.id, "row": i, "reference": f"OLD/{i}"} for i in range(25_123)])
        connection.execute(text(
            "INSERT INTO sample_draw (audit_id, method, parameters, seed, population_fingerprint,"
            " population_size, sample_size, is_current, drawn_by, drawn_at)"
            " VALUES (:audit, 'random', '{}', 7, 'f', 25123, 1, 1, 'panel', '2026-01-01')"),
            {"audit": audit.id})
    upgrade_database(engine)
    with engine.connect() as connection:
        digests = connection.execute(text("SELECT reference, reference_digest FROM case_file")).all()
        rule = connection.execute(text("SELECT rule_version FROM sample_draw")).scalar_one()
    engine.dispose()
    assert len(digests) == 25_123 and rule == 1
    assert all(d == hashlib.sha256(r.encode()).hexdigest() for r, d in digests)
    database = open_database(path)
    try:
        assert sampling.get_sample_summary(database, audit_id=audit.id) is not None
    finally:
        database.close()
