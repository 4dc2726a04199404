"""The condition builder's pick-lists: a field's values with counts, and cases matched."""

from __future__ import annotations

from sqlalchemy import select

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.expressions import compile_condition
from audit_app.db.cases import case_fields
from audit_app.db.models import CaseRecord
from audit_app.services.database import Database
from audit_app.services.field_values import (
    count_condition,
    population_values,
    rule_values,
    vocabulary_values,
)
from tests.helpers.audits import build_audit


def test_values_come_with_their_counts_most_common_first(db: Database) -> None:
    built = build_audit(db, cases=12)
    with db.transaction() as session:  # one case spelt differently, one blank
        first, second = session.scalars(select(CaseRecord).where(
            CaseRecord.audit_id == built.audit_id).order_by(CaseRecord.id).limit(2)).all()
        first.area = " north "
        second.area = None
    areas = population_values(db, audit_id=built.audit_id, field="area")
    assert [(v.value, v.cases) for v in areas] == [("North", 6), ("South", 5)]
    assert areas[0].text == "North (6)"
    outcomes = population_values(db, audit_id=built.audit_id, field="outcome_code")
    assert {v.value: v.cases for v in outcomes} == {16: 4, 15: 4, 14: 4}
    sixteen = next(v for v in outcomes if v.value == 16)
    assert sixteen.text == "16 — Evidential difficulties: victim does not support or withdrew (4)"


def test_known_values_stand_in_when_there_is_no_population() -> None:
    assert [v.text for v in vocabulary_values("risk_level")] == ["Standard", "Medium", "High"]
    assert [v.value for v in vocabulary_values("arrested")] == [True, False]
    assert vocabulary_values("area") == []
    assert len(vocabulary_values("outcome_code")) == 22


def test_the_count_is_the_cases_the_condition_selects(db: Database) -> None:
    built = build_audit(db, cases=12)
    condition = "outcome_code in (16, 15) and area in ('North')"
    with db.reading() as session:
        cases = [case_fields(r) for r in session.scalars(select(CaseRecord).where(
            CaseRecord.audit_id == built.audit_id))]
    predicate = compile_condition(condition, fields=set(FIELDS_BY_KEY))
    counted = count_condition(db, audit_id=built.audit_id, condition=condition)
    assert counted.population == 12
    assert counted.matching == sum(1 for case in cases if predicate(case)) == 4
    assert count_condition(db, audit_id=built.audit_id, condition="").matching == 12


def test_a_rules_values_are_the_audits_then_the_other_known_ones(db: Database) -> None:
    built = build_audit(db, cases=12)  # risk levels standard, medium and high; no blanks
    with db.transaction() as session:
        for record in session.scalars(select(CaseRecord).where(
                CaseRecord.audit_id == built.audit_id, CaseRecord.risk_level == "high")):
            record.risk_level = "medium"
    values = rule_values(db, audit_id=built.audit_id, field="risk_level")
    assert [v.text for v in values] == ["Medium (8)", "Standard (4)", "High"]
