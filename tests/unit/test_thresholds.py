"""The panel's RAG thresholds: the rule, the migration, the service and the change log."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from audit_app.core.errors import UserError
from audit_app.core.findings import Findings
from audit_app.core.thresholds import AMBER, GREEN, RED, Thresholds
from audit_app.db.engine import make_engine
from audit_app.db.migrate import alembic_config
from audit_app.services.audits import create_audit
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.retention import close_audit
from audit_app.services.thresholds import get_thresholds, set_thresholds
from tests.helpers.audits import build_audit
from tests.helpers.postgres import PostgresCluster


def test_status_at_the_boundaries() -> None:
    thresholds = Thresholds()  # 90 and 75
    assert thresholds.status(0.9) == GREEN
    assert thresholds.status(27 / 30) == GREEN  # 0.9 from a division must not fall short
    assert thresholds.status(0.8966) == GREEN  # shown as 90%: never called Amber
    assert thresholds.status(0.895) == GREEN  # halves up, as Excel's ROUND
    assert thresholds.status(0.8949) == AMBER
    assert thresholds.status(0.75) == AMBER
    assert thresholds.status(0.7449) == RED
    assert thresholds.status(0.285) == RED and Thresholds(29, 10).status(0.285) == GREEN
    assert thresholds.status(0.0) == RED
    assert thresholds.status(None) == ""
    assert Thresholds(100, 0).status(0.0) == AMBER
    assert thresholds.describe() == "Green from 90%, Amber from 75% to under 90%, Red below 75%"


@pytest.mark.parametrize(("green", "amber"), [(75, 75), (70, 80), (101, 75), (90, -1)])
def test_thresholds_that_cannot_order_red_amber_green_are_refused(green: int, amber: int) -> None:
    with pytest.raises(UserError) as refused:
        Thresholds(green, amber)
    assert "\n" not in str(refused.value) and "Amber must start below Green" in str(refused.value)


@given(st.integers(0, 99).flatmap(lambda amber: st.tuples(st.just(amber),
                                                           st.integers(amber + 1, 100))),
       st.floats(0, 1), st.floats(0, 1))
def test_status_never_falls_as_the_rate_rises(pair: tuple[int, int], first: float,
                                               second: float) -> None:
    amber, green = pair
    thresholds = Thresholds(green, amber)
    order = {RED: 0, AMBER: 1, GREEN: 2}
    low, high = sorted((first, second))
    assert order[thresholds.status(low)] <= order[thresholds.status(high)]
    shown = int(f"{high:.0%}".rstrip("%"))  # as the fronts print it
    if abs(high * 100 - round(high * 100) - 0.5) > 1e-6:  # away from an exact half
        assert thresholds.status(high) == (GREEN if shown >= green else
                                           AMBER if shown >= amber else RED)


def test_round_trip_and_old_snapshots_get_the_defaults() -> None:
    assert Thresholds.from_dict(Thresholds(80, 60).to_dict()) == Thresholds(80, 60)
    assert Thresholds.from_dict(None) == Thresholds(90, 75)
    assert Thresholds.from_dict({}) == Thresholds(90, 75)


def _migrate_up_and_down(url: str) -> None:
    engine = make_engine(url)
    config = alembic_config(engine)
    command.upgrade(config, "0003_privacy")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO framework (key, version, title, description, scale, definition, "
            "builtin, created_at) VALUES ('x', 1, 'X', '', '[]', '{}', false, '2026-01-01')"))
        connection.execute(text(
            "INSERT INTO audit (name, description, framework_id, status, pseudonym_salt, "
            "origin, created_at, updated_at) VALUES ('Old audit', '', 1, 'open', '', '{}', "
            "'2026-01-01', '2026-01-01')"))
    command.upgrade(config, "0004_thresholds")
    with engine.connect() as connection:
        row = connection.execute(text("SELECT name, green_from, amber_from FROM audit")).one()
    assert tuple(row) == ("Old audit", 90, 75)  # the old audit gets the defaults
    command.downgrade(config, "0003_privacy")
    columns = {column["name"] for column in inspect(engine).get_columns("audit")}
    assert "green_from" not in columns and "amber_from" not in columns
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM audit")).scalar() == "Old audit"
    command.upgrade(config, "head")
    engine.dispose()


def test_migration_up_and_down_on_sqlite(tmp_path: Path) -> None:
    _migrate_up_and_down(f"sqlite:///{tmp_path / 'old.sqlite3'}")


@pytest.mark.postgres
def test_migration_up_and_down_on_postgres(postgres_cluster: PostgresCluster) -> None:
    _migrate_up_and_down(postgres_cluster.new_database())


def test_a_new_audit_has_the_default_thresholds(db: Database) -> None:
    audit = create_audit(db, name="Q4 review", framework="da-nfa-review")
    assert get_thresholds(db, audit_id=audit.id) == Thresholds(90, 75)


def test_setting_thresholds_is_logged_and_allowed_on_a_closed_audit(db: Database) -> None:
    audit = create_audit(db, name="Q4 review", framework="da-nfa-review")
    close_audit(db, audit_id=audit.id, actor="Chair")
    assert set_thresholds(db, audit_id=audit.id, green_from=85, actor="Chair") == \
        Thresholds(85, 75)
    assert set_thresholds(db, audit_id=audit.id, amber_from=60, actor="Chair") == \
        Thresholds(85, 60)
    assert get_thresholds(db, audit_id=audit.id) == Thresholds(85, 60)
    logged = [c for c in list_changes(db, audit_id=audit.id) if c.field == "thresholds"]
    assert [c.new_value for c in logged] == [
        "Green from 85%, Amber from 60% to under 85%, Red below 60%",
        "Green from 85%, Amber from 75% to under 85%, Red below 75%"]
    assert logged[1].old_value == Thresholds().describe() and logged[0].actor == "Chair"
    set_thresholds(db, audit_id=audit.id, green_from=85, amber_from=60)  # no change, no entry
    assert len([c for c in list_changes(db, audit_id=audit.id) if c.field == "thresholds"]) == 2


def test_bad_thresholds_change_nothing(db: Database) -> None:
    audit = create_audit(db, name="Q4 review", framework="da-nfa-review")
    before = len(list_changes(db, audit_id=audit.id))
    with pytest.raises(UserError):
        set_thresholds(db, audit_id=audit.id, amber_from=95)  # above Green (90)
    assert get_thresholds(db, audit_id=audit.id) == Thresholds()
    assert len(list_changes(db, audit_id=audit.id)) == before


def test_findings_carry_the_thresholds_and_old_snapshots_read_back(sqlite_db: Database) -> None:
    built = build_audit(sqlite_db)
    set_thresholds(sqlite_db, audit_id=built.audit_id, green_from=60, amber_from=30)
    findings = compute_findings(sqlite_db, audit_id=built.audit_id)
    assert findings.thresholds == Thresholds(60, 30)
    values = findings.to_dict()
    assert values["thresholds"] == {"green_from": 60, "amber_from": 30}
    for criterion, row in zip(findings.criteria, values["criteria"], strict=True):
        assert row["status"] == Thresholds(60, 30).status(criterion.compliance.rate)
    assert values["headline"]["status"] == Thresholds(60, 30).status(
        findings.headline.overall.rate)
    assert Findings.from_dict(values).thresholds == Thresholds(60, 30)
    old = {key: value for key, value in values.items() if key != "thresholds"}
    assert Findings.from_dict(old).thresholds == Thresholds()
