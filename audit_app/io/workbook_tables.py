"""Streaming a workbook of Excel tables: one table per sheet, filters, frozen header, widths.

The writer knows nothing of audits: it takes sheet specifications (columns and rows) from
the export service and streams them with openpyxl's write-only mode, so a sheet of
300,000 answers never sits in memory as cell objects. The file is written to a private
temporary name beside the target and renamed into place, and the streamed sheets go to a
private scratch folder, so a failed, cancelled or killed export leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from audit_app.core.errors import UserError
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.io.private_files import private_output
from audit_app.io.safe_cells import TOP, WRAP, clean_text, header_cell, safe_cell, safe_row
from audit_app.io.workbook_layout import (
    BODY_FONT,
    header_height,
    header_width,
    row_height,
    set_up_printing,
    wrapped_lines,
)
from audit_app.io.workbook_scratch import save_workbook, workbook_scratch

ROWS_PER_CHECK = 2000
WRAPPED_ROWS = 5000  # long text is wrapped on sheets up to this many rows
TABLE_STYLE = "TableStyleMedium2"


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 14  # at least this; widened where a word of the title needs more
    number_format: str | None = None
    wrap: bool = False  # long text: wrapped, the row made tall enough to show it


@dataclass(frozen=True)
class Formatted:
    """A value with its own number format (e.g. a percentage in a mixed column)."""

    value: Any
    number_format: str


PERCENT = "0%"


@dataclass
class TableSheet:
    """One sheet holding one Excel table; `rows` may be a generator (streamed once)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    row_count: int
    # Called with the sheet and its last row once rows are written (charts, formatting).
    finish: Callable[[WriteOnlyWorksheet, int], None] | None = None
    landscape: bool = True
    mixed_formats: bool = False  # rows may hold `Formatted` values (checked cell by cell)
    empty_text: str = "(none)"  # the one data row an empty table gets
    frozen_columns: int = 0  # columns kept in view when scrolling right (a reference)
    one_page: bool = False  # printed on one page (the Summary)
    # Columns repeated on every printed page when the table is too wide to print legibly
    # on one page width (first, last; 1-based): it then prints in column groups.
    key_columns: tuple[int, int] | None = None


@dataclass
class WorkbookProperties:
    title: str
    subject: str = ""
    creator: str = ""
    keywords: str = ""
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def table_name(title: str) -> str:
    """Excel table names: letters, digits and underscores, starting with a letter."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", title)
    return cleaned if cleaned[:1].isalpha() else f"T_{cleaned}"


def write_tables(path: Path, sheets: Sequence[TableSheet], properties: WorkbookProperties, *,
                 progress: ProgressCallback | None = None,
                 cancelled: CancelCheck | None = None) -> list[str]:
    """Write the sheets to `path` atomically and privately; returns the sheet titles."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise UserError(f"{path} is a folder: choose a file name ending .xlsx")
    if not path.parent.exists():
        raise UserError(f"The folder {path.parent} does not exist")
    total = sum(sheet.row_count for sheet in sheets) or 1
    # Both the streamed sheets and the workbook being saved hold case data: the first go
    # in a private scratch folder, the second in a private file beside `path`, and both
    # are removed on any failure (and at the next start after a kill).
    with workbook_scratch(), private_output(path) as partial:
        workbook = Workbook(write_only=True)
        # One font for the whole workbook: the default style's font is the body's.
        workbook._fonts = IndexedList([BODY_FONT])
        _set_properties(workbook, properties)
        done = 0
        try:
            for sheet in sheets:
                done = _write_sheet(workbook, sheet, done, total, progress, cancelled)
            check_cancelled(cancelled)
            save_workbook(workbook, partial)
        except BaseException:
            _discard(workbook)
            raise
    report(progress, total, total)
    return [sheet.title for sheet in sheets]


def _discard(workbook: Workbook) -> None:
    """Close and delete the streamed sheets' scratch files: they hold case data too."""
    for sheet in workbook.worksheets:
        with suppress(Exception):
            sheet.close()
        scratch = getattr(getattr(sheet, "_writer", None), "out", None)
        if isinstance(scratch, str):
            with suppress(FileNotFoundError):
                os.unlink(scratch)


def _write_sheet(workbook: Workbook, spec: TableSheet, done: int, total: int,
                 progress: ProgressCallback | None, cancelled: CancelCheck | None) -> int:
    sheet: WriteOnlyWorksheet = workbook.create_sheet(spec.title)
    widths = _lay_out(sheet, spec)
    sheet.append([header_cell(sheet, column.title) for column in spec.columns])
    formats = {i: c.number_format for i, c in enumerate(spec.columns) if c.number_format}
    # A very long sheet (a large audit's answers) streams as plain values: a styled cell
    # apiece would slow the export by a fifth, and no one prints 20,000 rows.
    wrapped = ({i: widths[i] for i, c in enumerate(spec.columns) if c.wrap}
               if spec.row_count <= WRAPPED_ROWS else {})
    styles = _alignments(sheet)
    styled = bool(formats) or spec.mixed_formats
    known_safe: set[str] = set()  # labels and codes repeat on every row: check each once
    last_row = 1
    for values in spec.rows:
        row = safe_row(sheet, values, known_safe)
        if styled:
            for index, value in enumerate(row):
                if isinstance(value, Formatted):
                    row[index] = safe_cell(sheet, value.value, number_format=value.number_format)
                elif index in formats and isinstance(value, int | float | dt.date):
                    row[index] = safe_cell(sheet, value, number_format=formats[index])
        last_row += 1
        lines = _wrap(sheet, row, wrapped, styles) if wrapped else 1
        if lines > 1:  # set just for this row, and dropped once it is written
            sheet.row_dimensions[last_row].height = row_height(lines)
        sheet.append(row)
        sheet.row_dimensions.pop(last_row, None)
        done += 1
        if done % ROWS_PER_CHECK == 0:
            check_cancelled(cancelled)
            report(progress, done, total)
    if last_row == 1:
        # An Excel table needs a data row; say plainly that there is nothing yet.
        sheet.append([spec.empty_text] + [None] * (len(spec.columns) - 1))
        last_row = 2
    _add_table(sheet, spec, last_row)
    if spec.finish is not None:
        spec.finish(sheet, last_row)
    return done


def _lay_out(sheet: WriteOnlyWorksheet, spec: TableSheet) -> list[float]:
    """Widths that fit every header word, a header row tall enough for its wrapped
    titles, frozen panes below it, and the print set-up; returns the widths."""
    widths = [header_width(column.title, column.width) for column in spec.columns]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = header_height([c.title for c in spec.columns], widths)
    sheet.freeze_panes = f"{get_column_letter(spec.frozen_columns + 1)}2"
    set_up_printing(sheet, widths, one_page=spec.one_page, key_columns=spec.key_columns,
                    landscape=spec.landscape)
    return widths


def _alignments(sheet: WriteOnlyWorksheet) -> tuple[StyleArray, StyleArray]:
    """The top-aligned and the wrapped cell style, made once per sheet: copying a style
    is far quicker than setting an alignment cell by cell (the Answers sheet's notes)."""
    top, wrap = WriteOnlyCell(sheet), WriteOnlyCell(sheet)
    top.alignment, wrap.alignment = TOP, WRAP
    return top._style, wrap._style


def _wrap(sheet: WriteOnlyWorksheet, row: list[Any], wrapped: dict[int, float],
          styles: tuple[StyleArray, StyleArray]) -> int:
    """Wrap the row's long-text cells in place; returns the lines the tallest one needs.
    A row taller than one line reads from the top: every cell in it is aligned there."""
    lines = 1
    for index, width in wrapped.items():
        value = row[index] if index < len(row) else None
        text = value if isinstance(value, str) else getattr(value, "value", None)
        if isinstance(text, str) and text:
            lines = max(lines, wrapped_lines(text, width))
    if lines == 1:
        return 1
    top, wrap = styles
    for index, value in enumerate(row):
        if value is None or value == "":
            continue
        if isinstance(value, Cell):  # formatted already (a percentage, forced text)
            # A number keeps to the right, as in every other row: only text wraps.
            value.alignment = WRAP if index in wrapped and isinstance(value.value, str) else TOP
            continue
        if type(value) is str:
            # `safe_row` has checked or cleaned every plain string left in the row (one that
            # could pass for a formula is a forced-text cell already): stored as text.
            cell = WriteOnlyCell(sheet)
            cell._value, cell.data_type = value, "s"
            cell._style = copy(wrap if index in wrapped else top)
        else:  # a number keeps to the right
            number = isinstance(value, int | float) and not isinstance(value, bool)
            cell = safe_cell(sheet, value)
            cell._style = copy(wrap if index in wrapped and not number else top)
        row[index] = cell
    return min(lines, 30)  # Excel's tallest row is 409 points


def _add_table(sheet: WriteOnlyWorksheet, spec: TableSheet, last_row: int) -> None:
    reference = f"A1:{get_column_letter(len(spec.columns))}{last_row}"
    table = Table(displayName=table_name(spec.title), ref=reference,
                  autoFilter=AutoFilter(ref=reference))
    # Write-only sheets cannot read their header back, so the columns are named here.
    table.tableColumns = [TableColumn(id=index, name=clean_text(column.title))
                          for index, column in enumerate(spec.columns, start=1)]
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    with warnings.catch_warnings():
        # openpyxl warns on every write-only table; the columns are named just above.
        warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
        sheet.add_table(table)


def _set_properties(workbook: Workbook, properties: WorkbookProperties) -> None:
    workbook.properties.title = properties.title
    workbook.properties.subject = properties.subject
    workbook.properties.creator = properties.creator
    workbook.properties.lastModifiedBy = properties.creator
    workbook.properties.keywords = properties.keywords
    workbook.properties.description = properties.description
    workbook.properties.category = "Case file audit"
