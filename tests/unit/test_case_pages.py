"""Keyset pages of the population: every case once, in the same order as one big query."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_app.services.audits import list_audits
from audit_app.services.case_pages import CaseFilter, case_page, count_page_cases
from audit_app.services.cases import count_cases, list_cases
from audit_app.services.database import Database, open_database
from audit_app.services.demo import create_demo
from audit_app.services.records import AuditSummary

# Sorts over a unique text, a small integer, text and dates with empty values among them.
SORTS = ("reference", "outcome_code", "area", "risk_level", "charge_date", "court_outcome")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One demo audit of 240 cases for the whole module: these tests only read it."""
    database = open_database(tmp_path_factory.mktemp("case-pages") / "demo.sqlite3")
    create_demo(database, population=240, sample_size=10)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture(scope="module")
def demo_audit(demo_db: Database) -> AuditSummary:
    return list_audits(demo_db)[0]


def every_page(db: Database, audit_id: int, case_filter: CaseFilter, limit: int,
               columns: tuple[str, ...] = ("reference",)) -> list[int]:
    ids: list[int] = []
    after = None
    while True:
        page = case_page(db, audit_id, case_filter, after, limit, columns)
        assert len(page.rows) <= limit
        if not page.rows:
            return ids
        ids.extend(page.case_id(row) for row in range(len(page.rows)))
        after = page.last_key


@pytest.mark.parametrize("order_by", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_pages_follow_on_with_nothing_missed_or_repeated(
        demo_db: Database, demo_audit: AuditSummary, order_by: str, descending: bool) -> None:
    shown = every_page(demo_db, demo_audit.id, CaseFilter("", order_by, descending), 37)
    assert len(shown) == len(set(shown)) == count_cases(demo_db, audit_id=demo_audit.id) == 240
    expected = [case.id for case in list_cases(demo_db, audit_id=demo_audit.id, order_by=order_by,
                                                descending=descending)]
    assert shown == expected


def test_empty_values_come_first_going_up_and_last_going_down(db: Database) -> None:
    """On PostgreSQL too, whose own default puts empty values last going up."""
    demo_audit = create_demo(db, population=120, sample_size=10)
    columns = ("charge_date",)
    for descending in (False, True):
        values = []
        after = None
        while (page := case_page(db, demo_audit.id, CaseFilter("", "charge_date", descending),
                                 after, 50, columns)).rows:
            values += [page.value(row, 0) for row in range(len(page.rows))]
            after = page.last_key
        dated = [value for value in values if value is not None]
        assert 0 < len(dated) < len(values), "the demo has charged and uncharged cases"
        blanks = values[:len(values) - len(dated)] if not descending else values[len(dated):]
        assert all(value is None for value in blanks)
        assert dated == sorted(dated, reverse=descending)


def test_a_page_holds_only_the_columns_asked_for(demo_db: Database,
                                                demo_audit: AuditSummary) -> None:
    sqlite_db, audit = demo_db, demo_audit
    page = case_page(sqlite_db, audit.id, CaseFilter(), None, 5, ("reference", "area"))
    assert page.columns == ("reference", "area")
    assert all(len(row) == 4 for row in page.rows)  # id, sort value, reference, area
    assert isinstance(page.rows[0], tuple)
    first = list_cases(sqlite_db, audit_id=audit.id, limit=1)[0]
    assert (page.case_id(0), page.value(0, 0), page.value(0, 1)) == (
        first.id, first.reference, first.fields["area"])


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # the database is only read
@given(search=st.sampled_from(["North", "north bcu", "DEMO/0001", "Response", "zzz", ""]),
       limit=st.integers(1, 120))
def test_search_pages_match_the_count_and_the_old_listing(
        demo_db: Database, demo_audit: AuditSummary, search: str, limit: int) -> None:
    sqlite_db, audit = demo_db, demo_audit
    shown = every_page(sqlite_db, audit.id, CaseFilter(search), limit)
    assert len(shown) == count_page_cases(sqlite_db, audit.id, CaseFilter(search))
    assert shown == [case.id for case in list_cases(sqlite_db, audit_id=audit.id, search=search)]


def test_unknown_fields_are_refused(demo_db: Database, demo_audit: AuditSummary) -> None:
    sqlite_db, audit = demo_db, demo_audit
    with pytest.raises(ValueError, match="not case fields: nonsense"):
        case_page(sqlite_db, audit.id, CaseFilter(), None, 10, ("reference", "nonsense"))
    with pytest.raises(ValueError, match="not a case field"):
        CaseFilter(order_by="extra")
