"""Property: any population written to .xlsx or .csv and imported comes back equal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_app.core.case_fields import CASE_FIELDS, RISK_LEVELS, SUPPORT_VALUES, FieldKind
from audit_app.services.audits import create_audit
from audit_app.services.cases import list_cases
from audit_app.services.database import Database
from audit_app.services.population_import import import_population
from tests.helpers.extract_files import write_csv, write_xlsx

EXTRA_HEADERS = ("Ward", "Notes")
# Printable text without characters a spreadsheet would treat specially (a leading '='
# is a formula in openpyxl) and without surrounding spaces (import trims cells).
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-.,'&()é£",
                min_size=1, max_size=12)
_TEXT = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


def _value_for(kind: FieldKind) -> st.SearchStrategy[Any]:
    if kind is FieldKind.TEXT:
        return st.none() | _TEXT
    if kind is FieldKind.INTEGER:
        return st.none() | st.integers(min_value=1, max_value=22)
    if kind is FieldKind.DATE:
        return st.none() | _DATES
    if kind is FieldKind.FLAG:
        return st.none() | st.booleans()
    if kind is FieldKind.RISK:
        return st.none() | st.sampled_from(RISK_LEVELS)
    return st.none() | st.sampled_from(SUPPORT_VALUES)


_CASE = st.fixed_dictionaries({
    **{f.key: _value_for(f.kind) for f in CASE_FIELDS if f.key != "reference"},
    **{header: st.just("") | _TEXT for header in EXTRA_HEADERS},
})
POPULATIONS = st.lists(st.tuples(_WORD, _CASE), min_size=1, max_size=15,
                       unique_by=lambda pair: pair[0])


def _xlsx_cell(kind: FieldKind, value: Any) -> object:
    if value is None:
        return None
    if kind is FieldKind.FLAG:
        return "Yes" if value else "No"
    if kind in (FieldKind.RISK, FieldKind.SUPPORT):
        return value.title()
    return value  # dates as real dates, codes as numbers, text as text


def _csv_cell(kind: FieldKind, value: Any) -> str:
    if value is None:
        return ""
    if kind is FieldKind.DATE:
        return value.strftime("%d/%m/%Y")
    if kind is FieldKind.FLAG:
        return "Y" if value else "N"
    return str(value)


def _check_round_trip(db: Database, path: Path, population: list[tuple[str, dict[str, Any]]]) -> None:
    audit_id = create_audit(db, name=f"Round trip {path.name}", framework="da-nfa-review").id
    result = import_population(db, audit_id=audit_id, path=path)
    assert (result.added, result.errors) == (len(population), [])
    imported = {case.reference: case for case in list_cases(db, audit_id=audit_id)}
    for reference, values in population:
        case = imported[reference]
        for field in CASE_FIELDS:
            expected = reference if field.key == "reference" else values[field.key]
            assert case.fields[field.key] == expected, field.key
        assert case.extra == {h: values[h] for h in EXTRA_HEADERS if values[h]}


_SETTINGS = settings(max_examples=15, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_SETTINGS
@given(population=POPULATIONS)
def test_xlsx_round_trip(db: Database, tmp_path: Path, population: list[tuple[str, dict[str, Any]]]) -> None:
    headers = [f.label for f in CASE_FIELDS] + list(EXTRA_HEADERS)
    rows = [[reference if f.key == "reference" else _xlsx_cell(f.kind, values[f.key])
             for f in CASE_FIELDS] + [values[h] or None for h in EXTRA_HEADERS]
            for reference, values in population]
    path = write_xlsx(tmp_path / "population.xlsx", [["Extract title"], [], headers, *rows])
    _check_round_trip(db, path, population)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
@_SETTINGS
@given(population=POPULATIONS)
def test_csv_round_trip(db: Database, tmp_path: Path, encoding: str,
                        population: list[tuple[str, dict[str, Any]]]) -> None:
    headers = [f.label for f in CASE_FIELDS] + list(EXTRA_HEADERS)
    rows = [[reference if f.key == "reference" else _csv_cell(f.kind, values[f.key])
             for f in CASE_FIELDS] + [values[h] for h in EXTRA_HEADERS]
            for reference, values in population]
    path = write_csv(tmp_path / "population.csv", [headers, *rows], encoding=encoding)
    _check_round_trip(db, path, population)
