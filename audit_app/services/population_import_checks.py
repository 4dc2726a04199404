"""Checking an extract before it is imported: every row, and what the audit needs of it.

`check_extract` reads the whole file once, without touching a database, and reports the
problems, the rows read and skipped, how each mapped field's values were read ("N" as
Never), and how many rows leave each field blank. `fields_in_use` names the fields the
audit's framework rules and sample strata depend on, so the wizard can warn before an
import leaves one of them empty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import String

from audit_app.core.case_fields import FIELD_KEYS, FIELDS_BY_KEY
from audit_app.core.column_mapping import check_mapping, merge_mappings, suggest_mapping
from audit_app.core.column_privacy import SAMPLE_ROWS
from audit_app.core.expressions import condition_fields
from audit_app.core.framework import framework_from_dict
from audit_app.core.import_validation import ImportProblem, ParsedCase, PopulationValidator
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.value_parsing import describe_value
from audit_app.db.audits import require_audit
from audit_app.db.models import CaseRecord
from audit_app.io.extract_reader import ExtractTable, open_extract
from audit_app.io.extract_synonyms import header_synonyms
from audit_app.services.database import Database
from audit_app.services.population_import_writer import CaseWriter
from audit_app.services.sample_record import current_draw, draw_strata_fields

PROGRESS_EVERY = 1000
MOSTLY_BLANK = 0.9  # a field blank on nine rows in ten is as good as empty for a rule
SHOWN_SPELLINGS = 12  # interpreted values listed per field
# Column widths the database enforces (PostgreSQL refuses longer text; SQLite would not).
TEXT_LIMITS: dict[str, int] = {
    key: column.type.length for key in FIELD_KEYS
    if isinstance((column := CaseRecord.__table__.c[key]).type, String) and column.type.length
}


def resolve_mapping(headers: list[str], profile_mapping: Mapping[str, str] | None,
                    mapping: Mapping[str, str] | None) -> dict[str, str]:
    """The suggested mapping, under a saved profile's, under the user's; checked."""
    resolved = merge_mappings(headers, suggest_mapping(headers, header_synonyms()),
                              profile_mapping, mapping)
    check_mapping(resolved)
    return resolved


class BlankTally:
    """How many case rows leave each field blank (unmapped fields are blank on all)."""

    def __init__(self) -> None:
        self.rows = 0
        self.blank: dict[str, int] = dict.fromkeys(FIELD_KEYS, 0)

    def add(self, case: ParsedCase) -> None:
        self.rows += 1
        for key, value in case.fields.items():
            if value is None:
                self.blank[key] += 1


def check_rows(table: ExtractTable, validator: PopulationValidator,
               progress: ProgressCallback | None, cancelled: CancelCheck | None, *,
               on_case: BlankTally | None = None, writer: CaseWriter | None = None,
               valid_rows_only: bool = False,
               sample: list[Sequence[object]] | None = None) -> int:
    """One pass over the rows: check each, hand valid ones to `writer` (a CaseWriter) and
    `on_case`, keep the first rows in `sample` (for classifying columns). Returns rows read."""
    total = table.rows_below_header or 0
    rows_read = 0
    for row_number, cells in table.rows:
        rows_read += 1
        if sample is not None and rows_read <= SAMPLE_ROWS:
            sample.append(cells)
        case = validator.check_row(row_number, cells)
        if case is not None and on_case is not None:
            on_case.add(case)
        if writer is not None:
            if validator.error_rows and not valid_rows_only:
                writer.discard()  # all or nothing: stop writing, keep checking for the report
            elif case is not None:
                writer.add(case)
        if rows_read % PROGRESS_EVERY == 0:
            check_cancelled(cancelled)
            report(progress, min(row_number - table.header_row, total), total)
    check_cancelled(cancelled)
    report(progress, total, total)
    return rows_read


@dataclass(frozen=True)
class EmptyField:
    """A field the audit relies on that the import would leave blank on most rows."""

    key: str
    label: str
    blank_rows: int
    rows: int
    used_by: str  # "the framework's rules" / "the sample's strata"

    @property
    def in_words(self) -> str:
        where = "every row" if self.blank_rows >= self.rows else \
            f"{self.blank_rows:,} of {self.rows:,} rows"
        return f"{self.label} would be blank on {where}. {self.used_by[:1].upper()}" \
               f"{self.used_by[1:]} use it."


@dataclass(frozen=True)
class ExtractCheck:
    problems: list[ImportProblem]
    rows_read: int  # case rows: blank rows are not counted
    blank_rows: int  # fully blank rows below the header, skipped
    valid_rows: int
    blank_counts: dict[str, int]  # field key -> valid rows where it is blank
    # field key -> (text as written, as read) for flags, risk, support and outcomes
    interpretations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def empty_fields(self, in_use: Mapping[str, str]) -> list[EmptyField]:
        """The fields in `in_use` (key -> what uses it) blank on nine rows in ten or more."""
        found = []
        for key, used_by in in_use.items():
            blank = self.blank_counts.get(key, self.valid_rows)
            if self.valid_rows and blank >= MOSTLY_BLANK * self.valid_rows:
                found.append(EmptyField(key, FIELDS_BY_KEY[key].label, blank, self.valid_rows,
                                        used_by))
        return found


def check_extract(path: Path, *, sheet: str | None = None, mapping: dict[str, str] | None = None,
                  progress: ProgressCallback | None = None,
                  cancelled: CancelCheck | None = None) -> ExtractCheck:
    """Every error and warning the import would find, and how it would read the values,
    without touching any database."""
    table = open_extract(Path(path), sheet=sheet)
    resolved = resolve_mapping(table.headers, None, mapping)
    validator = PopulationValidator(table.headers, resolved, text_limits=TEXT_LIMITS)
    tally = BlankTally()
    rows_read = check_rows(table, validator, progress, cancelled, on_case=tally)
    interpreted = {
        key: [(text, describe_value(FIELDS_BY_KEY[key].kind, value))
              for text, value in sorted(spellings, key=lambda pair: pair[0].lower())
              ][:SHOWN_SPELLINGS]
        for key, spellings in validator.interpretations().items()}
    return ExtractCheck(problems=list(validator.problems), rows_read=rows_read,
                        blank_rows=max((table.rows_below_header or 0) - rows_read, 0),
                        valid_rows=tally.rows, blank_counts=dict(tally.blank),
                        interpretations=interpreted)


def validate_extract(path: Path, *, sheet: str | None = None, mapping: dict[str, str] | None = None,
                     progress: ProgressCallback | None = None,
                     cancelled: CancelCheck | None = None) -> list[ImportProblem]:
    """Every error and warning the import would find, without touching any database."""
    return check_extract(path, sheet=sheet, mapping=mapping, progress=progress,
                         cancelled=cancelled).problems


def fields_in_use(db: Database, *, audit_id: int) -> dict[str, str]:
    """Field key -> what in the audit reads it: the framework's "applies only when" rules
    and the current sample's strata."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        framework = framework_from_dict(audit.framework.definition)
        draw = current_draw(session, audit_id)
        strata = draw_strata_fields(draw) if draw is not None else ()
    used: dict[str, str] = {}
    for section in framework.sections:
        for criterion in section.criteria:
            if criterion.applies_when:
                for key in sorted(condition_fields(criterion.applies_when)):
                    used.setdefault(key, "the framework's rules")
    for key in strata:
        if key in FIELDS_BY_KEY:
            used[key] = "the sample's strata" if key not in used else \
                "the framework's rules and the sample's strata"
    return {key: why for key, why in used.items() if key in FIELDS_BY_KEY}
