"""Importing a case population from a records-system extract into an audit.

The whole import is one transaction: a file with errors imports nothing (unless the
user chooses to import only the valid rows, which is recorded), and a crash or kill
part-way leaves the database as it was. Rows stream from the file, are checked once
and are written in bulk chunks, so 100,000 rows stay routine. Re-importing a newer
extract updates cases by reference and marks missing ones removed, never deleting them.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from audit_app.core.column_mapping import suggest_mapping, suggest_personal_columns
from audit_app.core.column_privacy import (
    SAMPLE_ROWS,
    ColumnPrivacy,
    classify_columns,
    column_classes,
)
from audit_app.core.errors import InvalidFileError, ValidationError
from audit_app.core.import_validation import ImportProblem, PopulationValidator
from audit_app.core.progress import CancelCheck, ProgressCallback
from audit_app.core.value_parsing import cell_text
from audit_app.db.models import PopulationImportRecord
from audit_app.io.extract_problem_report import write_problems_csv
from audit_app.io.extract_reader import ExtractTable, open_extract
from audit_app.io.extract_synonyms import header_synonyms
from audit_app.services.audits import require_open_audit
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_actor
from audit_app.services.mapping_profiles import find_mapping_profile, store_mapping_profile
from audit_app.services.population_import_checks import (
    TEXT_LIMITS,
    check_rows,
    resolve_mapping,
    validate_extract,
)
from audit_app.services.population_import_writer import (
    CaseWriter,
    MergeCounts,
    RemovalsNeedConsent,
)

__all__ = ["ColumnPrivacy", "ExtractHasErrors", "ExtractPreview", "ImportProblem", "ImportResult",
           "NoCaseRows", "RemovalsNeedConsent", "import_population", "preview_extract",
           "validate_extract", "write_problem_report"]

# How a closed audit's refusal ends: "This audit was closed on <date>, so ...".
POPULATION_FINAL = "its population can no longer be imported or changed"
PREVIEW_CELL_CHARS = 500


@dataclass(frozen=True)
class ExtractPreview:
    path: Path
    sheets: list[str]
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: list[list[str]]
    suggested_mapping: dict[str, str]  # field key -> header
    suggested_personal: list[str]
    total_rows: int | None  # rows below the header, blank ones included
    sample: list[list[object]]  # the first rows as read, for classifying columns
    columns: list[ColumnPrivacy]  # every header classified under the suggested mapping
    row_numbers: list[int] = field(default_factory=list)  # each shown row's number in the sheet
    case_rows: int | None = None  # non-blank rows below the header (None: a row is unreadable)
    # Every header classified as if left unmapped: the wizard re-classifies as the user
    # changes the mapping without sniffing the values again on the GUI thread.
    unmapped_columns: list[ColumnPrivacy] = field(default_factory=list)

    @property
    def blank_rows(self) -> int:
        """Fully blank rows below the header: skipped, never counted as cases."""
        if self.case_rows is None or self.total_rows is None:
            return 0
        return max(self.total_rows - self.case_rows, 0)


@dataclass(frozen=True)
class ImportResult:
    import_id: int | None
    rows_read: int
    added: int
    changed: int
    unchanged: int
    removed: int
    skipped: int
    errors: list[ImportProblem]
    warnings: list[ImportProblem]
    columns: list[ColumnPrivacy]
    shareable_columns: list[str]  # extract columns the user opened to partners


class NoCaseRows(InvalidFileError):
    """A file with a header and nothing under it: importing it would remove every case."""


class ExtractHasErrors(ValidationError):
    """Rows with errors and the user did not choose to import only valid rows: nothing imported."""

    def __init__(self, problems: list[ImportProblem], error_rows: int) -> None:
        rows = "1 row has" if error_rows == 1 else f"{error_rows:,} rows have"
        super().__init__(f"{rows} errors, so nothing was imported. Fix the extract, or choose to "
                         "import only the valid rows.", problems=list(problems))
        self.problems: list[ImportProblem] = list(problems)  # type: ignore[assignment]
        self.errors = [problem for problem in problems if problem.severity == "error"]
        self.warnings = [problem for problem in problems if problem.severity == "warning"]


def preview_extract(path: Path, *, sheet: str | None = None, rows: int = 20) -> ExtractPreview:
    """The sheets, header and first rows of an extract, with a suggested mapping."""
    table = open_extract(Path(path), sheet=sheet)
    numbered = list(itertools.islice(table.rows, max(rows, SAMPLE_ROWS)))
    sample = [list(cells) for _, cells in numbered]
    # A preview is for recognising columns: a damaged file's giant cell is cut short.
    shown = [[cell_text(cell)[:PREVIEW_CELL_CHARS] for cell in cells] for cells in sample[:rows]]
    synonyms = header_synonyms()
    suggested = suggest_mapping(table.headers, synonyms)
    return ExtractPreview(
        path=table.path, sheets=table.sheets, sheet=table.sheet, header_row=table.header_row,
        headers=table.headers, rows=shown, suggested_mapping=suggested,
        suggested_personal=suggest_personal_columns(table.headers, synonyms),
        total_rows=table.rows_below_header, sample=sample,
        columns=classify_columns(table.headers, sample, suggested),
        row_numbers=[number for number, _ in numbered[:rows]],
        case_rows=_count_rows(table, len(numbered)),
        unmapped_columns=classify_columns(table.headers, sample, {}))


def _count_rows(table: ExtractTable, already: int) -> int | None:
    """The case rows in the file (blank rows skipped); None where a row cannot be read,
    which the check of every row will report."""
    try:
        return already + sum(1 for _ in table.rows)
    except InvalidFileError:
        return None


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _in_file(headers: list[str], chosen: Sequence[str], kind: str) -> list[str]:
    unknown = [name for name in chosen if name not in headers]
    if unknown:
        raise ValidationError(f"These {kind} columns are not in the file: "
                              + ", ".join(f"'{name}'" for name in unknown) + ".", problems=list(unknown))
    return list(dict.fromkeys(chosen))


def _shareable(columns: Sequence[ColumnPrivacy], chosen: Sequence[str], *, strict: bool) -> list[str]:
    """The chosen columns a partner may see; mapped known-safe fields need no choosing.

    A column that looks personal is refused outright rather than shared on a confirmation:
    once a partner holds personal data it cannot be called back, while a column wrongly
    taken for personal costs only its absence from the partner copy. A saved profile's
    choice (`strict` False) is quietly narrowed instead, since this file may differ.
    """
    by_name = {column.column: column for column in columns}
    shareable = []
    for name in chosen:
        column = by_name[name]
        if column.known_safe:
            continue
        if not column.may_be_marked_shareable:
            if strict:
                raise ValidationError(f"'{name}' cannot be marked shareable. {column.reason}. "
                                      "Nothing was imported.", problems=[name])
            continue
        shareable.append(name)
    return shareable


def _require_case_rows(table: ExtractTable) -> ExtractTable:
    """Refuse a header with nothing under it before anything is written."""
    first = next(iter(table.rows), None)
    if first is None:
        where = f"Sheet '{table.sheet}' of {table.path.name}" if table.sheet else table.path.name
        raise NoCaseRows(f"{where} has a header but no case rows, so nothing was imported "
                         "(importing it would remove every case).")
    table.rows = itertools.chain([first], table.rows)
    return table


@dataclass(frozen=True)
class _SavedChoices:
    """A saved mapping profile's choices, read out of its session."""

    mapping: dict[str, str]
    personal: list[str]
    shareable: list[str]


def _saved_choices(session: Session, name: str) -> _SavedChoices:
    profile = find_mapping_profile(session, name)
    return _SavedChoices(dict(profile.mapping), list(profile.personal_columns),
                         list(profile.shareable_columns or []))


def _columns(headers: list[str], profile: _SavedChoices | None, mapping: Mapping[str, str] | None,
             personal_columns: Sequence[str], shareable_columns: Sequence[str] | None,
             ) -> tuple[dict[str, str], list[str], list[str]]:
    """The mapping, the personal columns and the columns chosen as shareable: the user's
    choices over the saved profile's (its entries for columns this file lacks are ignored).

    `mapping` is field key -> header ("" leaves a field unmapped; a header the file lacks
    is refused); `personal_columns` and `shareable_columns` default to the profile's.
    """
    resolved = resolve_mapping(headers, profile.mapping if profile else None, mapping)
    profile_personal = profile.personal if profile else []
    profile_shareable = profile.shareable if profile else []
    personal = _in_file(headers, personal_columns, "personal-data") if personal_columns else \
        [name for name in profile_personal if name in headers]
    chosen_shareable = _in_file(headers, shareable_columns, "shareable") \
        if shareable_columns is not None else [n for n in profile_shareable if n in headers]
    contradictory = [name for name in chosen_shareable if name in personal]
    if contradictory and shareable_columns is not None:
        raise ValidationError("These columns are marked both personal and shareable: "
                              + ", ".join(f"'{name}'" for name in contradictory) + ".")
    return resolved, personal, chosen_shareable


def import_population(db: Database, *, audit_id: int, path: Path, sheet: str | None = None,
                      mapping: dict[str, str] | None = None, mapping_profile: str | None = None,
                      personal_columns: Sequence[str] = (),
                      shareable_columns: Sequence[str] | None = None,
                      valid_rows_only: bool = False, allow_removals: bool = False,
                      save_profile_as: str | None = None, actor: str | None = None,
                      progress: ProgressCallback | None = None,
                      cancelled: CancelCheck | None = None) -> ImportResult:
    """Import (or re-import) the extract at `path` into the audit, all or nothing.

    The mapping is the auto-detected one, overlaid by the saved `mapping_profile`, overlaid
    by `mapping` (see `_columns`). Columns not mapped are kept in each case's `extra`;
    every column is classified and only mapped known-safe fields and the shareable columns
    may reach a partner. Raises `NoCaseRows` for a file with a header only;
    `ExtractHasErrors` (nothing imported) when rows have errors and `valid_rows_only` is
    False; `RemovalsNeedConsent` when cases the audit relies on would be removed and
    `allow_removals` is False; `Cancelled` when `cancelled()` turns true.
    """
    path, actor = Path(path), actor or current_actor()
    with db.reading() as session:
        require_open_audit(session, audit_id, doing=POPULATION_FINAL)  # before reading the file
        profile = _saved_choices(session, mapping_profile) if mapping_profile else None
    table = _require_case_rows(open_extract(path, sheet=sheet))
    resolved, personal, chosen_shareable = _columns(table.headers, profile, mapping,
                                                    personal_columns, shareable_columns)
    file_sha256 = _file_sha256(path)
    validator = PopulationValidator(table.headers, resolved, text_limits=TEXT_LIMITS)
    sample: list[Sequence[object]] = []
    with db.transaction() as session:
        require_open_audit(session, audit_id, doing=POPULATION_FINAL)
        record = PopulationImportRecord(
            audit_id=audit_id, file_name=path.name, file_sha256=file_sha256, sheet=table.sheet or "",
            header_row=table.header_row, mapping=resolved, personal_columns=personal,
            valid_rows_only=valid_rows_only, imported_by=actor)
        session.add(record)
        session.flush()
        writer = CaseWriter(session, audit_id=audit_id, import_id=record.id)
        rows_read = check_rows(table, validator, progress, cancelled, writer=writer,
                               valid_rows_only=valid_rows_only, sample=sample)
        if validator.error_rows and not valid_rows_only:
            raise ExtractHasErrors(validator.problems, validator.error_rows)
        columns = classify_columns(table.headers, sample, resolved, forced_personal=personal)
        shareable = _shareable(columns, chosen_shareable, strict=shareable_columns is not None)
        if not allow_removals:
            writer.check_removals(keep_references=validator.error_references)
        counts = writer.finish(keep_references=validator.error_references, actor=actor)
        _fill_record(record, rows_read, validator.error_rows, counts, shareable, columns)
        if save_profile_as:
            store_mapping_profile(session, name=save_profile_as, mapping=resolved,
                                  personal_columns=personal, shareable_columns=shareable)
        log_change(session, actor=actor, audit_id=audit_id, entity="population_import",
                   entity_id=record.id, field="imported", new=path.name,
                   detail=_log_detail(record, shareable, valid_rows_only))
        import_id = record.id
    return ImportResult(import_id=import_id, rows_read=rows_read, added=counts.added,
                        changed=counts.changed, unchanged=counts.unchanged, removed=counts.removed,
                        skipped=validator.error_rows, errors=validator.errors(),
                        warnings=validator.warnings(), columns=columns,
                        shareable_columns=shareable)


def _fill_record(record: PopulationImportRecord, rows_read: int, skipped: int,
                 counts: MergeCounts, shareable: list[str], columns: list[ColumnPrivacy]) -> None:
    record.rows_read, record.rows_skipped = rows_read, skipped
    record.rows_added, record.rows_changed = counts.added, counts.changed
    record.rows_unchanged, record.rows_removed = counts.unchanged, counts.removed
    record.shareable_columns, record.column_classes = shareable, column_classes(columns)


def _log_detail(record: PopulationImportRecord, shareable: Sequence[str],
                valid_rows_only: bool) -> str:
    skipped = f", {record.rows_skipped:,} rows with errors skipped at the user's choice" \
        if valid_rows_only and record.rows_skipped else ""
    return (f"{record.rows_read:,} rows read: {record.rows_added:,} added, "
            f"{record.rows_changed:,} changed, {record.rows_unchanged:,} unchanged, "
            f"{record.rows_removed:,} removed{skipped}; shareable with partners besides the "
            f"known safe fields: {', '.join(shareable) or 'no other column'}")


def write_problem_report(problems: Sequence[ImportProblem], path: Path) -> None:
    """CSV with columns row, column, value, severity, message."""
    write_problems_csv(problems, Path(path))
