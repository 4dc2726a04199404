"""Property: however the table pages and sorts, it shows every case exactly once, in order."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, Qt

from audit_app.core.case_fields import CASE_FIELDS, FIELD_KEYS
from audit_app.services.cases import list_cases
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.models.case_table import CaseTableModel
from audit_app.ui.models.formatting import display_value

SORT_COLUMNS = [i for i, f in enumerate(CASE_FIELDS) if f.key in
                ("reference", "outcome_code", "risk_level", "area", "date_finalised")]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # the database is only read
@given(page_size=st.integers(min_value=1, max_value=400), column=st.sampled_from(SORT_COLUMNS),
       descending=st.booleans())
def test_paging_shows_every_case_once_in_the_database_order(
        scored_db: Database, scored_audit: AuditSummary, page_size: int, column: int,
        descending: bool) -> None:
    model = CaseTableModel(scored_db, page_size=page_size)
    model.set_audit(scored_audit.id)
    model.sort(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
    while model.canFetchMore(QModelIndex()):
        before = model.rowCount()
        model.fetchMore(QModelIndex())
        assert model.rowCount() > before
    shown = [model.case_at(row).id for row in range(model.rowCount())]
    expected = [case.id for case in list_cases(scored_db, audit_id=scored_audit.id,
                                               order_by=FIELD_KEYS[column], descending=descending)]
    assert shown == expected
    assert len(set(shown)) == model.total == 300


@given(key=st.sampled_from(FIELD_KEYS),
       value=st.one_of(st.none(), st.booleans(), st.integers(-5, 40), st.text(max_size=30),
                       st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))))
def test_every_value_displays_as_text(key: str, value: object) -> None:
    text = display_value(key, value)
    assert isinstance(text, str)
    assert (text == "") == (value is None or value == "")
