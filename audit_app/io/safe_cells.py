"""Cells that can never turn into formulas, whatever the imported data or free text holds.

A value such as `=HYPERLINK(...)` or `@SUM(...)` in a crime extract or a reviewer's note
must reach the partner's Excel as the text it is. Every string is written with the
string data type (so no `<f>` element is ever produced) and, where it starts with a
character a spreadsheet treats as a formula, with the "quote prefix" style, so that
editing the cell in Excel later keeps it text as well. Characters XML cannot carry
are dropped rather than failing the whole export.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from audit_app.io.workbook_layout import BOLD_FONT
from audit_app.io.workbook_layout import HEADER_FONT as HEADER_FONT  # the scoresheet's too

# A line break first is no formula, but XML turns "\r" into "\n", so both stay guarded.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
EXCEL_CELL_LIMIT = 32767

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
WRAP = Alignment(horizontal="left", wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")  # beside wrapped text, so a tall row reads from its top

CellValue = str | int | float | bool | dt.date | dt.datetime | None


def clean_text(value: str) -> str:
    """Text Excel can hold: no XML-illegal control characters, within the cell limit."""
    # XML reads every "\r" back as "\n": write what will be read.
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    return cleaned if len(cleaned) <= EXCEL_CELL_LIMIT else cleaned[:EXCEL_CELL_LIMIT - 1] + "…"


def needs_quote_prefix(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


def plain_value(value: Any) -> CellValue:
    """A value openpyxl can store; anything unexpected becomes its text."""
    if value is None or isinstance(value, bool | int | float | dt.date | dt.datetime):
        return value
    return clean_text(str(value))


def safe_cell(sheet: WriteOnlyWorksheet | Worksheet, value: Any, *, bold: bool = False,
              wrap: bool = False, number_format: str | None = None) -> WriteOnlyCell:
    """A write-only cell for a streamed sheet, strings forced to text."""
    cell = WriteOnlyCell(sheet, value=None)
    _assign(cell, value)
    if bold:
        cell.font = BOLD_FONT
    if wrap:
        cell.alignment = WRAP
    if number_format:
        cell.number_format = number_format
    return cell


_PLAIN_TYPES = (bool, int, float, dt.date, dt.datetime)  # written as they are
# One scan per string: a formula trigger first, or a character that needs cleaning anywhere.
_NEEDS_CARE = re.compile(r"^[=+\-@\t\r\n]|[\x00-\x08\x0b\x0c\x0e-\x1f\r]")


def safe_row(sheet: WriteOnlyWorksheet | Worksheet, values: Any,
             known_safe: set[str] | None = None) -> list[Any]:
    """A row for `sheet.append`: plain values where openpyxl cannot misread them (fast),
    forced-text cells only for strings that could pass for a formula, and no cell at all
    for an empty string before the row's last value (it reads back blank either way).
    `values` is a sequence. `known_safe` lets a
    caller streaming one sheet skip re-checking short strings that repeat on every row."""
    row: list[Any] = []
    append = row.append  # the loop runs once per cell of every sheet: kept lean
    checked = known_safe if known_safe is not None else set()
    for value in values:
        if type(value) is str:
            if value in checked:
                append(value)
            elif not value:
                # An empty string is written as an empty cell element and read back as
                # nothing at all: leave the cell out instead (but the last, see below).
                append(None)
            elif _NEEDS_CARE.search(value) is None and len(value) <= EXCEL_CELL_LIMIT:
                if len(value) <= 40 and len(checked) < 50_000:
                    checked.add(value)
                append(value)
            else:
                value = clean_text(value)
                append(safe_cell(sheet, value) if value.startswith(FORMULA_TRIGGERS) else value)
        elif value is None or isinstance(value, _PLAIN_TYPES):
            append(value)
        elif hasattr(value, "number_format"):
            append(value)  # already a cell, or a value the caller formats itself
        else:
            append(safe_cell(sheet, value))
    if row and row[-1] is None and values[-1] == "":
        # A reader that does not know the sheet's width (openpyxl's read-only mode) reads
        # a row only as far as its last cell: a trailing empty string keeps its cell.
        row[-1] = ""
    return row


def header_cell(sheet: WriteOnlyWorksheet | Worksheet, title: str) -> WriteOnlyCell:
    cell = safe_cell(sheet, title)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = WRAP
    return cell


def set_safe_value(cell: Cell, value: Any) -> None:
    """The same guarantee for a cell of an ordinary (not write-only) sheet."""
    _assign(cell, value)


def _assign(cell: Cell | WriteOnlyCell, value: Any) -> None:
    plain = plain_value(value)
    if isinstance(plain, str):
        # Bypass openpyxl's guess (a leading '=' would make it a formula): always a string.
        cell._value = plain
        cell.data_type = "s"
        if needs_quote_prefix(plain):
            cell.quotePrefix = True
    else:
        cell.value = plain
