"""Checking an extract's rows in one pass, turning each into a typed case.

Every problem names the row as the user sees it in the spreadsheet, the column header,
the value and what is wrong. Errors (missing or duplicate reference, unreadable date,
unknown outcome code, risk level off the scale) stop a row from being imported;
warnings (outcome 14 or 18 on a DA-flagged crime, finalised before recorded) do not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from audit_app.core.case_fields import FIELD_KEYS, FIELDS_BY_KEY, KNOWN_OUTCOME_CODES, FieldKind
from audit_app.core.errors import InvalidFileError
from audit_app.core.value_parsing import PARSERS, ValueProblem, cell_text

ERROR = "error"
WARNING = "warning"
SHOWN_VALUE_CHARS = 200  # a problem report quotes values, never whole essays
MAX_CELL_CHARS = 32_767  # Excel's own limit; anything longer means a damaged file
_UNSEEN = object()

# Outcomes meaning "no suspect identified": suspicious on a domestic abuse crime.
SUSPECT_UNKNOWN_OUTCOMES = frozenset({14, 18})


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    value: str
    message: str
    severity: str  # "error" | "warning"
    # False for names (victim, suspect, officer): screens and the terminal leave the value
    # out; only the private problem report keeps it.
    quotable: bool = True


class ParsedCase(NamedTuple):  # a tuple, not a dataclass: 100,000 are made per import
    """One valid row: every canonical field (None when blank or unmapped) and the rest."""

    row: int
    fields: dict[str, object]
    extra: dict[str, str]

    @property
    def reference(self) -> str:
        return str(self.fields["reference"])


def _parse(parse: Callable[[object], object], value: object) -> object:
    """The parsed value, or the `ValueProblem` saying why it cannot be read."""
    try:
        return parse(value)
    except ValueProblem as problem:
        return problem


class _MappedColumn:
    """One mapped column: where it is, how to parse it, and a memo for repetitive kinds."""

    __slots__ = ("header", "index", "is_date", "is_text", "key", "limit", "memo", "parse")

    def __init__(self, key: str, index: int, header: str, limit: int | None) -> None:
        kind = FIELDS_BY_KEY[key].kind
        self.key, self.index, self.header, self.limit = key, index, header, limit
        self.parse: Callable[[object], object] = PARSERS[kind]
        self.is_text = kind is FieldKind.TEXT
        self.is_date = kind is FieldKind.DATE
        # Flags, risk levels and outcome codes repeat endlessly: parse each spelling once.
        self.memo: dict[object, object] | None = None if kind in _UNMEMOISED_KINDS else {}


_UNMEMOISED_KINDS = frozenset({FieldKind.TEXT, FieldKind.DATE})
_MEMO_LIMIT = 10_000


class PopulationValidator:
    """Feed rows through `check_row`; it returns the case, or None if the row has errors.

    Problems accumulate in `problems`; `error_rows` counts the rows that had errors. A
    cell longer than a spreadsheet allows means a damaged file: `InvalidFileError`.
    """

    def __init__(self, headers: Sequence[str], mapping: Mapping[str, str], *,
                 text_limits: Mapping[str, int] | None = None) -> None:
        position = {header: index for index, header in enumerate(headers)}
        self._mapped = [_MappedColumn(key, position[header], header, (text_limits or {}).get(key))
                        for key, header in mapping.items()]
        mapped_positions = {position[header] for header in mapping.values()}
        self._extra_columns = [(index, header) for index, header in enumerate(headers)
                               if index not in mapped_positions]
        self._blank_fields: dict[str, object] = dict.fromkeys(FIELD_KEYS)
        self._header_of = dict(mapping)
        self._unquotable = {header for key, header in mapping.items()
                            if FIELDS_BY_KEY[key].personal or FIELDS_BY_KEY[key].officer_name}
        self._reference_header = mapping.get("reference", "")
        self._first_row_of: dict[str, int] = {}
        self._error_total = 0
        self.problems: list[ImportProblem] = []
        self.error_rows = 0
        self.error_references: set[str] = set()  # references on rows that had errors

    @property
    def error_count(self) -> int:
        return self._error_total

    def _problem(self, row: int, column: str, value: object, message: str,
                 severity: str = ERROR) -> None:
        shown = cell_text(value)
        if len(shown) > SHOWN_VALUE_CHARS:
            shown = shown[:SHOWN_VALUE_CHARS] + "…"
        if severity == ERROR:
            self._error_total += 1
        self.problems.append(ImportProblem(row, column, shown, message, severity,
                                           column not in self._unquotable))

    def _too_long(self, row: int, header: str, text: str) -> InvalidFileError:
        return InvalidFileError(
            f"Row {row}, column '{header}' holds {len(text):,} characters; a spreadsheet cell holds "
            f"at most {MAX_CELL_CHARS:,}. The file is damaged or is not an extract.")

    def check_row(self, row: int, cells: Sequence[object]) -> ParsedCase | None:
        fields = self._blank_fields.copy()
        errors_before = self._error_total
        for column in self._mapped:
            value = cells[column.index]
            if type(value) is str:
                if len(value) > MAX_CELL_CHARS:
                    raise self._too_long(row, column.header, value)
                if column.is_text:  # the commonest cell of all: no parser call
                    text = value.strip()
                    if column.limit is not None and len(text) > column.limit:
                        self._problem(row, column.header, value,
                                      f"longer than {column.limit} characters")
                        text = ""
                    fields[column.key] = text or None
                    continue
                # Only text is memoised: 1.0 and True are equal as keys but parse differently.
                memo = column.memo
                if memo is None:
                    parsed = _parse(column.parse, value)
                else:
                    parsed = memo.get(value, _UNSEEN)
                    if parsed is _UNSEEN:
                        parsed = _parse(column.parse, value)
                        if len(memo) < _MEMO_LIMIT:
                            memo[value] = parsed
            elif type(value) is dt.datetime and column.is_date:
                fields[column.key] = value.date()
                continue
            else:
                parsed = _parse(column.parse, value)
            if type(parsed) is ValueProblem:
                self._problem(row, column.header, value, parsed.message)
                parsed = None
            elif column.limit is not None and type(parsed) is str and len(parsed) > column.limit:
                self._problem(row, column.header, value, f"longer than {column.limit} characters")
                parsed = None
            fields[column.key] = parsed
        extra = {}
        for index, header in self._extra_columns:
            value = cells[index]
            text = value.strip() if type(value) is str else cell_text(value)
            if text:
                if len(text) > MAX_CELL_CHARS:
                    raise self._too_long(row, header, text)
                extra[header] = text
        self._check_case(row, fields)
        if self._error_total != errors_before:
            self.error_rows += 1
            if fields["reference"]:
                self.error_references.add(str(fields["reference"]))
            return None
        return ParsedCase(row=row, fields=fields, extra=extra)

    def _check_case(self, row: int, fields: dict[str, object]) -> None:
        reference = fields.get("reference")
        if not reference:
            if self._reference_header:
                self._problem(row, self._reference_header, "", "missing crime reference")
        else:
            first = self._first_row_of.setdefault(str(reference), row)
            if first != row:
                self._problem(row, self._reference_header, reference,
                              f"duplicate crime reference (also on row {first})")
        outcome = fields.get("outcome_code")
        outcome_header = self._header_for("outcome_code")
        if isinstance(outcome, int):
            if outcome not in KNOWN_OUTCOME_CODES:
                self._problem(row, outcome_header, outcome,
                              f"unknown outcome code {outcome} (Home Office outcomes are 1-22)")
            elif outcome in SUSPECT_UNKNOWN_OUTCOMES and fields.get("da_flag") is True:
                self._problem(row, outcome_header, outcome,
                              f"outcome {outcome} (no suspect identified) on a domestic abuse "
                              "crime, where the suspect is nearly always known", WARNING)
        recorded, finalised = fields.get("date_recorded"), fields.get("date_finalised")
        if isinstance(recorded, dt.date) and isinstance(finalised, dt.date) and finalised < recorded:
            self._problem(row, self._header_for("date_finalised"), finalised,
                          f"finalised before it was recorded ({recorded.strftime('%d/%m/%Y')})",
                          WARNING)

    def _header_for(self, key: str) -> str:
        return self._header_of.get(key, "")

    def interpretations(self) -> dict[str, list[tuple[str, object]]]:
        """Field key -> (text as written, value read) for each spelling of a flag, risk level,
        support answer or outcome met so far: the memo the parsing keeps anyway."""
        read: dict[str, list[tuple[str, object]]] = {}
        for column in self._mapped:
            if column.memo:
                read[column.key] = [(str(text), value) for text, value in column.memo.items()
                                    if type(value) is not ValueProblem]
        return read

    def errors(self) -> list[ImportProblem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    def warnings(self) -> list[ImportProblem]:
        return [problem for problem in self.problems if problem.severity == WARNING]
