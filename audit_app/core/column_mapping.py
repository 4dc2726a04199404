"""Matching an extract's column headers to the canonical case fields.

Every force names its columns differently ("Crime Ref", "URN", "Occurrence No"), so
headers are compared after normalising case, punctuation and spacing against the header
synonym table (`core.header_synonyms`, shipped as data and extendable by the user). The
user can then adjust the suggestion; a mapping is always field key -> header exactly as
it appears in the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.column_privacy import ColumnClass, header_hint
from audit_app.core.errors import ValidationError
from audit_app.core.header_synonyms import HeaderSynonyms, normalise_header
from audit_app.core.value_parsing import ValueProblem, parse_date

__all__ = ["HEADER_SCAN_ROWS", "check_mapping", "column_letter", "find_header_row",
           "header_names", "merge_mappings", "normalise_header", "suggest_mapping",
           "suggest_personal_columns"]

HEADER_SCAN_ROWS = 50  # title rows above the header are rare past this


def suggest_mapping(headers: Sequence[str], synonyms: HeaderSynonyms) -> dict[str, str]:
    """Field key -> header for every header the synonym table knows; the first header wins."""
    mapping: dict[str, str] = {}
    for header in headers:
        key = synonyms.field_for(header)
        if key is not None and key not in mapping:
            mapping[key] = header
    return mapping


def suggest_personal_columns(headers: Sequence[str], synonyms: HeaderSynonyms) -> list[str]:
    """Headers to treat as personal unless the user says otherwise: names, addresses, dates
    of birth, phone numbers, emails, identity numbers, and free-text notes, comments and MO
    (prose about a case names people). The same header rules the classification uses."""
    mapping = suggest_mapping(headers, synonyms)
    mapped = {header: key for key, header in mapping.items()}
    suggested = []
    for header in headers:
        key = mapped.get(header)
        if key is not None:
            if FIELDS_BY_KEY[key].personal:
                suggested.append(header)
            continue
        hint = header_hint(header)
        if hint is not None and hint[0] in (ColumnClass.PERSONAL, ColumnClass.FREE_TEXT):
            suggested.append(header)
    return suggested


def merge_mappings(headers: Sequence[str], *layers: Mapping[str, str] | None,
                   strict_last: bool = True) -> dict[str, str]:
    """Lay mappings over each other (later wins). An empty header unmaps a field.

    Entries naming a header the file does not have are dropped from earlier layers (a
    saved profile may cover columns this extract lacks) but refused in the last layer,
    which is what the user asked for now.
    """
    present = set(headers)
    merged: dict[str, str] = {}
    problems: list[str] = []
    for position, layer in enumerate(layers):
        is_last = position == len(layers) - 1
        layer = layer or {}
        for key, header in layer.items():
            if key not in FIELDS_BY_KEY:
                problems.append(f"'{key}' is not a case field")
                continue
            if not header:
                merged.pop(key, None)
            elif header in present:
                # A column the user moves to this field leaves the field it was guessed for.
                for other in [k for k, h in merged.items() if h == header and k not in layer]:
                    del merged[other]
                merged[key] = header
            elif is_last and strict_last:
                problems.append(f"there is no column '{header}' for {FIELDS_BY_KEY[key].label}")
    if problems:
        raise ValidationError("The column mapping does not fit this file: " + "; ".join(problems)
                              + ".", problems=list(problems))
    return merged


def check_mapping(mapping: Mapping[str, str]) -> None:
    """A usable mapping maps the crime reference and uses each header for one field only."""
    problems = []
    if "reference" not in mapping:
        problems.append("no column is mapped to Crime reference (every case needs one)")
    used: dict[str, str] = {}
    for key, header in mapping.items():
        if header in used:
            problems.append(f"column '{header}' is mapped to both {FIELDS_BY_KEY[used[header]].label}"
                            f" and {FIELDS_BY_KEY[key].label}")
        used[header] = key
    if problems:
        raise ValidationError("The column mapping needs fixing: " + "; ".join(problems) + ".",
                              problems=list(problems))


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB', as the spreadsheet labels columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def header_names(cells: Sequence[str], first_column: int = 0) -> list[str]:
    """Header texts made unique and non-blank: a blank becomes 'Column D', a repeat 'Date (2)'."""
    names: list[str] = []
    seen: set[str] = set()
    for offset, cell in enumerate(cells):
        name = " ".join(cell.split()) or f"Column {column_letter(first_column + offset)}"
        candidate, copy = name, 2
        while candidate in seen:
            candidate, copy = f"{name} ({copy})", copy + 1
        seen.add(candidate)
        names.append(candidate)
    return names


def find_header_row(candidates: Sequence[Sequence[object]], synonyms: HeaderSynonyms) -> int | None:
    """Index of the header among the first non-blank rows, or None if none looks like one.

    The header is the row naming the most known fields; with no known names at all, the
    first row that is wholly text and as wide as the widest row (title rows are narrower).
    """
    best_index, best_matches = None, 0
    for index, cells in enumerate(candidates[:HEADER_SCAN_ROWS]):
        matches = sum(1 for cell in cells if isinstance(cell, str) and synonyms.field_for(cell))
        if matches > best_matches:
            best_index, best_matches = index, matches
    if best_index is not None:
        return best_index
    widths = [sum(1 for cell in cells if cell not in ("", None)) for cells in candidates]
    widest = max(widths, default=0)
    for index, cells in enumerate(candidates[:HEADER_SCAN_ROWS]):
        filled = [cell for cell in cells if cell not in ("", None)]
        if widths[index] == widest and widest >= 2 and all(_looks_like_heading(c) for c in filled):
            return index
    return None


def _looks_like_heading(cell: object) -> bool:
    """Text that is not a number or a date (CSV data arrives as text too)."""
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    try:
        float(text)
    except ValueError:
        pass
    else:
        return False
    try:
        return parse_date(text) is None
    except ValueProblem:
        return True
