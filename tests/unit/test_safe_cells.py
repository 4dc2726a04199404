"""Hostile text stays text: no formula, ever, from imported data or free text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from audit_app.io.safe_cells import safe_row, set_safe_value
from audit_app.io.workbook_tables import Column, TableSheet, WorkbookProperties, write_tables

HOSTILE = [
    "=1+1", "=HYPERLINK(\"http://evil.example\",\"Click\")", "+44 7700 900123", "-2+3",
    "@SUM(A1:A9)", "\t=cmd|' /C calc'!A0", "\r=1", "=", "-", "DDE(\"cmd\";\"/c calc\")",
    "ordinary text", "bell\x07inside", "x" * 40000,
]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(name).decode() for name in archive.namelist()
                       if name.startswith("xl/worksheets/sheet"))


def test_hostile_values_stay_text_in_a_streamed_sheet(tmp_path: Path) -> None:
    path = tmp_path / "hostile.xlsx"
    rows = [(value, 5) for value in HOSTILE]
    write_tables(path, [TableSheet("Data", (Column("Text"), Column("Number")), rows, len(rows))],
                 WorkbookProperties(title="t"))
    sheet = load_workbook(path)["Data"]
    read_back = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in read_back[:11]] == [v.replace("\r", "\n") for v in HOSTILE[:11]]
    assert read_back[11][0] == "bellinside"  # the XML-illegal control character is dropped
    assert len(read_back[12][0]) == 32767 and read_back[12][0].endswith("…")
    for row in sheet.iter_rows(min_row=2, max_row=11):
        assert row[0].data_type == "s"
        assert row[0].quotePrefix == (row[0].value[0] in "=+-@\t\n")
    assert "<f>" not in _sheet_xml(path) and "<f " not in _sheet_xml(path)


def test_ordinary_sheet_cells_are_protected_too(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for index, value in enumerate(HOSTILE[:6], start=1):
        set_safe_value(sheet.cell(row=index, column=1), value)
    path = tmp_path / "plain.xlsx"
    workbook.save(path)
    assert "<f>" not in _sheet_xml(path)
    assert [c.value for c in load_workbook(path).active["A"]] == HOSTILE[:6]  # type: ignore[index]


def test_numbers_and_dates_pass_through_unchanged() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    assert safe_row(sheet, [1, 2.5, None, True]) == [1, 2.5, None, True]


def test_an_empty_string_leaves_its_cell_out(tmp_path: Path) -> None:
    """An empty string reads back blank whether written or not: no cell is written, but
    for the last in a row (a read-only reader reads a row as far as its last cell)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    assert safe_row(sheet, ["", "a", ""]) == [None, "a", ""]
    path = tmp_path / "blank.xlsx"
    rows = [("", "kept"), ("x", "")]
    write_tables(path, [TableSheet("Blank", (Column("One"), Column("Two")), rows, 2)],
                 WorkbookProperties(title="t"))
    written = re.findall(r'<c r="([A-Z]+[0-9]+)"', _sheet_xml(path))
    assert written == ["A1", "B1", "B2", "A3", "B3"]  # no A2; B3 kept as the row's last
    assert list(load_workbook(path)["Blank"].iter_rows(min_row=2, values_only=True)) == [
        (None, "kept"), ("x", None)]
    streamed = load_workbook(path, read_only=True)
    assert list(streamed["Blank"].iter_rows(min_row=2, values_only=True)) == [
        (None, "kept"), ("x", None)]
    streamed.close()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=15))
def test_any_text_is_read_back_as_written(tmp_path_factory: pytest.TempPathFactory,
                                          texts: list[str]) -> None:
    path = tmp_path_factory.mktemp("any") / "any.xlsx"
    rows = [(text,) for text in texts]
    write_tables(path, [TableSheet("Any", (Column("Text"),), rows, len(rows))],
                 WorkbookProperties(title="t"))
    back = [r[0] for r in load_workbook(path)["Any"].iter_rows(min_row=2, values_only=True)]
    illegal = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
    expected = [illegal.sub("", text).replace("\r\n", "\n").replace("\r", "\n") or None
                for text in texts]
    assert back == expected
    assert "<f>" not in _sheet_xml(path)
