"""Reading CSV extracts: UTF-8 (with or without BOM) or Windows-1252, comma or semicolon.

The whole file is decoded at once (a 100,000-row CSV is a few tens of MB) so the
encoding can be settled before any row is read.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from audit_app.core.errors import InvalidFileError

_DELIMITERS = ",;\t|"


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 first (it almost never decodes other text by accident), then Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InvalidFileError(f"{name} is not readable text: it is neither UTF-8 nor Windows-1252 "
                               f"(byte {exc.start:,}). Save it again as 'CSV UTF-8'.") from exc


def _delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the most columns, consistently.

    Counting the usual width per candidate copes with title lines above the header and
    with commas inside text better than `csv.Sniffer` does.
    """
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_width = ",", 1
    for candidate in _DELIMITERS:
        widths = Counter(len(record) for record in csv.reader(lines, delimiter=candidate))
        usual_width = max(widths.items(), key=lambda item: (item[1], item[0]))[0] if widths else 1
        if usual_width > best_width:
            best, best_width = candidate, usual_width
    return best


def read_csv_rows(path: Path, *, max_cell_chars: int) -> list[list[object]]:
    """Every record of the file as a list of strings (blank records included, as in Excel)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidFileError(f"{path.name} cannot be opened: {exc.strerror or exc}.") from exc
    text = decode_text(raw, path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:65536]))
    rows: list[list[object]] = []
    try:
        for record in reader:
            rows.append(list(record))
    except csv.Error as exc:
        row_number = len(rows) + 1
        if "field larger than field limit" in str(exc):
            raise InvalidFileError(
                f"Row {row_number} of {path.name} holds a cell longer than {max_cell_chars:,} "
                "characters (a spreadsheet cell's limit). The file is damaged or not an extract.") from exc
        raise InvalidFileError(f"Row {row_number} of {path.name} cannot be read as CSV: {exc}.") from exc
    return rows
