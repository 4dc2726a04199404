"""Opening a records-system extract (.xlsx, .xlsm, .ods, .csv) and finding its header.

Workbooks are read with python-calamine (far faster than openpyxl's reader); CSV text
may be UTF-8 (with or without BOM) or Windows-1252. Rows stream out one at a time with
the row number the user sees in the spreadsheet; fully blank rows are skipped. Every
way a file can be unreadable becomes an `InvalidFileError` with a plain message.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import cast

import python_calamine

from audit_app.core.column_mapping import (
    HEADER_SCAN_ROWS,
    column_letter,
    find_header_row,
    header_names,
)
from audit_app.core.errors import InvalidFileError
from audit_app.core.import_validation import MAX_CELL_CHARS
from audit_app.core.value_parsing import cell_text
from audit_app.io.extract_csv import read_csv_rows
from audit_app.io.extract_formats import WORKBOOK_SUFFIXES, check_file_type
from audit_app.io.extract_synonyms import header_synonyms

MAX_COLUMNS = 500

NumberedRow = tuple[int, list[object]]


@dataclass
class ExtractTable:
    """One sheet of an extract, positioned just below its header row.

    `rows` yields (row number as the user sees it, cells) for each non-blank row below
    the header, each padded or cut to the header's width. It can be consumed once.
    """

    path: Path
    sheets: list[str]
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: Iterator[NumberedRow]
    rows_below_header: int | None  # blank rows included; for progress and previews


def list_sheets(path: Path) -> list[str]:
    """The sheet names of a workbook (empty for CSV)."""
    kind = check_file_type(path)
    if kind == "csv":
        return []
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheet_names)
    finally:
        workbook.close()


def open_extract(path: Path, *, sheet: str | None = None) -> ExtractTable:
    """Open `sheet` (default: the first sheet that has data) and find its header row."""
    path = Path(path)
    kind = check_file_type(path)
    if kind == "csv":
        if sheet:
            raise InvalidFileError(f"{path.name} is a CSV file, which has no sheets "
                                   f"(asked for sheet '{sheet}').")
        text_rows = read_csv_rows(path, max_cell_chars=MAX_CELL_CHARS)
        return _table(path, [], None, iter(text_rows), 0, len(text_rows))
    workbook = _open_workbook(path)
    try:
        names = list(workbook.sheet_names)
        if sheet and sheet not in names:
            raise InvalidFileError(f"There is no sheet named '{sheet}' in {path.name}. "
                                   f"Its sheets are: {', '.join(names)}.")
        chosen, calamine_sheet = _load_sheet(workbook, path, [sheet] if sheet else names)
    finally:
        workbook.close()  # the sheet is in memory now; do not hold the file open (Windows locks it)
    first_column = calamine_sheet.start[1] if calamine_sheet.start else 0
    total_rows = calamine_sheet.end[0] + 1 if calamine_sheet.end else 0
    if calamine_sheet.width > MAX_COLUMNS:
        raise InvalidFileError(
            f"Sheet '{chosen}' of {path.name} uses {calamine_sheet.width:,} columns; an extract "
            f"can have at most {MAX_COLUMNS}. Delete the unused columns or choose another sheet.")
    # calamine yields rows from row 1 of the sheet, so position + 1 is the row the user sees.
    sheet_rows = cast(Iterator[list[object]], calamine_sheet.iter_rows())
    return _table(path, names, chosen, sheet_rows, first_column, total_rows)


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise InvalidFileError(f"{path.name} is password-protected. Remove the password in "
                               "Excel, save it and import again.") from exc
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise InvalidFileError(f"{path.name} cannot be read as a spreadsheet: the file is damaged "
                               f"or is not really a {path.suffix.lower()} workbook ({exc}).") from exc


def _load_sheet(workbook: python_calamine.CalamineWorkbook, path: Path,
                candidates: list[str]) -> tuple[str, python_calamine.CalamineSheet]:
    """The first of `candidates` that has data (or else the first), loaded once."""
    if not candidates:
        raise InvalidFileError(f"{path.name} has no sheets.")
    first: tuple[str, python_calamine.CalamineSheet] | None = None
    for name in candidates:
        try:
            loaded = workbook.get_sheet_by_name(name)
        except python_calamine.CalamineError as exc:
            raise InvalidFileError(f"Sheet '{name}' of {path.name} cannot be read: {exc}") from exc
        if loaded.start is not None:
            return name, loaded
        first = first or (name, loaded)
    assert first is not None
    return first


def _table(path: Path, sheets: list[str], sheet: str | None, raw_rows: Iterator[list[object]],
           first_column: int, total_rows: int) -> ExtractTable:
    where = f"sheet '{sheet}' of {path.name}" if sheet else path.name
    numbered = _non_blank(raw_rows)
    candidates: list[NumberedRow] = []
    for numbered_row in numbered:
        candidates.append(numbered_row)
        if len(candidates) >= HEADER_SCAN_ROWS:
            break
    if not candidates:
        raise InvalidFileError(f"{_capital(where)} is empty: there are no rows to import.")
    header_index = find_header_row([cells for _, cells in candidates], header_synonyms())
    if header_index is None:
        raise InvalidFileError(
            f"No header row found in {where}: the first rows hold data, not column names. "
            "Add a row of column headings (e.g. 'Crime Ref', 'Outcome') above the data.")
    header_row, header_cells = candidates[header_index]
    if len(header_cells) > MAX_COLUMNS:
        raise InvalidFileError(f"{_capital(where)} has {len(header_cells):,} columns; an extract can have at "
                               f"most {MAX_COLUMNS}.")
    width = _header_width(header_cells)
    headers = header_names([cell_text(cell) for cell in header_cells[:width]], first_column)
    _check_cells(header_row, header_cells, headers)
    remaining = chain(candidates[header_index + 1:], numbered)
    return ExtractTable(path=path, sheets=sheets, sheet=sheet, header_row=header_row,
                        headers=headers, rows=_fitted(remaining, headers, first_column),
                        rows_below_header=max(total_rows - header_row, 0))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _header_width(header_cells: Sequence[object]) -> int:
    width = len(header_cells)
    while width and _is_blank(header_cells[width - 1]):
        width -= 1
    return width


def _is_blank(cell: object) -> bool:
    return cell is None or cell == "" or (isinstance(cell, str) and cell.isspace())


def _non_blank(raw_rows: Iterator[list[object]]) -> Iterator[NumberedRow]:
    for position, cells in enumerate(raw_rows):
        for cell in cells:
            if not _is_blank(cell):
                yield position + 1, cells
                break


def _fitted(rows: Iterator[NumberedRow], headers: list[str],
            first_column: int) -> Iterator[NumberedRow]:
    """Rows cut or padded to the header width; data under no header is refused, not lost."""
    width = len(headers)
    for row_number, cells in rows:
        if len(cells) != width:
            if len(cells) > width:
                stray = [i for i in range(width, len(cells)) if not _is_blank(cells[i])]
                if stray:
                    raise InvalidFileError(
                        f"Row {row_number} has a value in column "
                        f"{column_letter(first_column + stray[0])}, which has no heading. Give every "
                        "column with data a heading in the header row.")
            cells = list(cells[:width]) + [""] * (width - len(cells))
        yield row_number, cells


def _check_cells(row_number: int, cells: Sequence[object], headers: list[str]) -> None:
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            column = headers[index] if index < len(headers) else column_letter(index)
            raise InvalidFileError(
                f"Row {row_number}, column '{column}' holds {len(cell):,} characters; a spreadsheet "
                f"cell holds at most {MAX_CELL_CHARS:,}. The file is damaged or not an extract.")


__all__ = ["MAX_CELL_CHARS", "MAX_COLUMNS", "WORKBOOK_SUFFIXES", "ExtractTable", "list_sheets",
           "open_extract"]
