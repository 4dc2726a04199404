"""How long the findings workbook export takes on a large audit, next to a bare dump.

5,000 sampled cases x 30 criteria x 2 reviewers (300,000 answers) in a SQLite file. The
export (reading the database, computing findings, writing the formatted sheets) is
timed, then, in the same run, two plain openpyxl write-only dumps of what it wrote:

- "same workbook": the same cells (an empty cell the export writes is written too), each
  with its style set plainly (font, fill, alignment, number format), the same row
  heights, column widths, frozen panes, tables and conditional formats. The export's
  one chart and its print set-up are left out (openpyxl cannot read a chart back). This is
  the baseline of the 1.3x target: the same work done plainly.
- "values only": the cell values alone, as this benchmark measured before (kept so that
  earlier figures can be compared).

The ratio printed is the median of --pairs such pairs, in wall-clock and CPU time; one
untimed export first warms the process (imports, caches of the database driver). The
machine's load and whether openpyxl writes through lxml are printed too: both move the
figures, and the pairing is what makes them comparable. `--profile N` profiles one export
instead (the N slowest functions by own and by total time, and the SQL statements run).

`--copy partner` times a partner copy instead: the release check (scrubbing every note,
some of which name people, phones and addresses) plus the approved, scrubbed export.

    .venv/bin/python benchmarks/export_bench.py [--cases 5000] [--criteria 30]
                                                [--copy internal|partner] [--pairs 3]
                                                [--distinct-notes] [--profile 40]
"""

from __future__ import annotations

# The app's package first, as in the app itself: it sets how numpy (which openpyxl imports)
# runs its matrix products, and that is read once, at numpy's first import.
import audit_app  # noqa: F401  # isort: skip

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import event, insert, select

from audit_app.core.answers import Answer
from audit_app.db.models import (
    AnswerRecord,
    CaseRecord,
    CriterionRecord,
    ReviewerRecord,
    ReviewRecord,
)
from audit_app.services.audits import create_audit, get_audit
from audit_app.services.database import Database, open_database
from audit_app.services.export import check_partner_release, export_workbook
from audit_app.services.release import ReleaseApproval
from audit_app.services.sampling import draw_sample, get_sample

REVIEWERS = ("Reviewer One", "Reviewer Two")
# Notes as members write them: mostly short, some naming people, phones and places.
NOTES = ("", "", "Not on file", "No rationale recorded for the NFA decision.",
         "Victim 12 said on 07700 900123 that the suspect lives at 4 Larkspur Close; "
         "DC Okafor did not follow it up.",
         "Supervisor endorsed the decision without addressing the 999 call or BWV.")


def build(db: Database, cases: int, criteria: int, *, distinct_notes: bool = False) -> int:
    """Cases, a full sample and two reviewers' answers, bulk-inserted for speed.

    The notes are drawn from six stock texts; `distinct_notes` makes every non-empty note
    its own text (the stock text and the answer's number), as members' notes mostly are."""
    audit = create_audit(db, name="Benchmark audit", framework="da-nfa-review")
    chooser = random.Random(2026)
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"BM/{i:06d}", "outcome_code": (14, 15, 16)[i % 3],
             "risk_level": ("standard", "medium", "high")[i % 3], "area": f"Area {i % 6}",
             "team": f"Team {i % 9}", "officer": f"PC Officer {i % 40}",
             "victim_name": f"Victim {i}", "offence_description": "Assault ABH", "extra": {}}
            for i in range(cases)])
    draw_sample(db, audit_id=audit.id, size=cases, seed=1)
    case_ids = [row.case.id for row in get_sample(db, audit_id=audit.id)]
    framework_id = _framework_id(db, audit.id)
    with db.transaction() as session:
        criterion_ids = list(session.scalars(
            select(CriterionRecord.id).where(CriterionRecord.framework_id == framework_id)
            .order_by(CriterionRecord.id)))[:criteria]
        reviewer_ids = []
        for name in REVIEWERS:
            reviewer = ReviewerRecord(name=name)
            session.add(reviewer)
            session.flush()
            reviewer_ids.append(reviewer.id)
        session.execute(insert(ReviewRecord), [
            {"audit_id": audit.id, "case_id": case_id, "reviewer_id": reviewer_id,
             "kind": "member", "status": "complete", "version": 1}
            for case_id in case_ids for reviewer_id in reviewer_ids])
        review_ids = list(session.scalars(select(ReviewRecord.id).order_by(ReviewRecord.id)))
        scale = [a.value for a in Answer]
        session.execute(insert(AnswerRecord), [
            {"review_id": review_id, "criterion_id": criterion_id,
             "value": chooser.choice(scale),
             "note": _note(chooser.choice(NOTES), number, distinct_notes)}
            for number, (review_id, criterion_id) in enumerate(
                (review_id, criterion_id) for review_id in review_ids
                for criterion_id in criterion_ids)])
    return audit.id


def _note(stock: str, number: int, distinct: bool) -> str:
    return f"{stock} (answer {number})" if distinct and stock else stock


def _framework_id(db: Database, audit_id: int) -> int:
    from audit_app.db.models import AuditRecord

    with db.reading() as session:
        audit = session.get(AuditRecord, audit_id)
        assert audit is not None
        return audit.framework_id


def bare_dump(rows_by_sheet: dict[str, list[tuple[object, ...]]], path: Path) -> None:
    """The cell values alone (the earlier baseline)."""
    workbook = Workbook(write_only=True)
    for title, rows in rows_by_sheet.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


@dataclass(frozen=True)
class Styled:
    """A cell the export styled: its value and the parts of its style that are not the
    workbook's default (None where default)."""

    value: object
    font: Font | None
    fill: PatternFill | None
    alignment: Alignment | None
    number_format: str | None


@dataclass
class SheetCopy:
    """What the export wrote on one sheet, read back (untimed) to be written plainly."""

    title: str
    widths: dict[str, float]
    frozen: str | None
    heights: dict[int, float]
    rows: list[list[object]]
    tables: list[Table]
    formats: list[tuple[str, Rule]]


def read_back(path: Path) -> tuple[Font, list[SheetCopy]]:
    """The workbook's default font and every sheet's cells (a cell the export wrote empty
    is "", so it is written too), styles, heights, widths, panes, tables and formats."""
    source = load_workbook(path)
    copies = [_sheet_copy(sheet) for sheet in source.worksheets]
    return copy(source._fonts[0]), copies


def _sheet_copy(sheet: Worksheet) -> SheetCopy:
    cells = sheet._cells
    width = sheet.max_column
    rows = []
    for row_number in range(1, sheet.max_row + 1):
        row: list[object] = [None] * width
        for column in range(1, width + 1):
            cell = cells.get((row_number, column))
            if cell is not None:
                row[column - 1] = _styled(cell) if cell.has_style else (
                    "" if cell.value is None else cell.value)
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    return SheetCopy(
        sheet.title,
        {letter: d.width for letter, d in sheet.column_dimensions.items() if d.width},
        sheet.freeze_panes,
        {number: d.height for number, d in sheet.row_dimensions.items() if d.height},
        rows, list(sheet.tables.values()),
        [(str(area.sqref), rule) for area in sheet.conditional_formatting for rule in area.rules])


def _styled(cell: Cell) -> Styled:
    style = cell._style
    return Styled(cell.value, copy(cell.font) if style.fontId else None,
                  copy(cell.fill) if style.fillId else None,
                  copy(cell.alignment) if style.alignmentId else None,
                  cell.number_format if style.numFmtId else None)


def same_workbook_dump(default_font: Font, sheets: list[SheetCopy], path: Path) -> None:
    """The export's cells, styles, heights, widths, panes, tables and conditional
    formats, written the plain openpyxl way (write-only, styles set cell by cell)."""
    workbook = Workbook(write_only=True)
    workbook._fonts = IndexedList([default_font])  # the export's default font, as it does
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        for letter, width in spec.widths.items():
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = spec.frozen
        for number, values in enumerate(spec.rows, start=1):
            if number in spec.heights:
                sheet.row_dimensions[number].height = spec.heights[number]
            sheet.append([_cell(sheet, value) if isinstance(value, Styled) else value
                          for value in values])
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
            for table in spec.tables:
                sheet.add_table(table)
        for area, rule in spec.formats:
            sheet.conditional_formatting.add(area, rule)
    workbook.save(path)


def _cell(sheet: WriteOnlyWorksheet, styled: Styled) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=styled.value)
    if styled.font is not None:
        cell.font = styled.font
    if styled.fill is not None:
        cell.fill = styled.fill
    if styled.alignment is not None:
        cell.alignment = styled.alignment
    if styled.number_format is not None:
        cell.number_format = styled.number_format
    return cell


def _timed_export(db: Database, audit_id: int, folder: Path, copy: str
                  ) -> tuple[float, float, Path]:
    started, cpu_started = time.perf_counter(), time.process_time()
    if copy == "partner":
        check = check_partner_release(db, audit_id=audit_id)
        result = export_workbook(db, audit_id=audit_id, path=folder / "partner.xlsx",
                                 for_partner=True, pseudonymise=True,
                                 approval=ReleaseApproval.of(check, "Benchmark Chair"))
    else:
        result = export_workbook(db, audit_id=audit_id, path=folder / "findings.xlsx")
    return time.perf_counter() - started, time.process_time() - cpu_started, result.path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--criteria", type=int, default=30)
    parser.add_argument("--copy", choices=("internal", "partner"), default="internal")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--distinct-notes", action="store_true",
                        help="make every non-empty note its own text")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile one export and print its N slowest functions")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="export-bench-") as scratch:
        return _run(args, Path(scratch))


def machine_line() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} "
            f"{load[2]:.2f} (1, 5, 15 min); openpyxl {openpyxl.__version__}, "
            f"lxml writer {'on' if openpyxl.LXML else 'off'}")


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    started, cpu_started = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - started, time.process_time() - cpu_started


def _run(args: argparse.Namespace, folder: Path) -> int:
    print(machine_line())
    db = open_database(folder / "bench.sqlite3")
    started = time.perf_counter()
    audit_id = build(db, args.cases, args.criteria, distinct_notes=args.distinct_notes)
    print(f"built {args.cases} cases x {args.criteria} criteria x {len(REVIEWERS)} reviewers "
          f"in {time.perf_counter() - started:.1f} s ({get_audit(db, audit_id).sample_size} "
          f"sampled; {'every note its own text' if args.distinct_notes else 'six stock notes'})")
    # One untimed export warms the process; every export of this audit writes the same
    # workbook, so it is read back (untimed) once for the two dumps.
    *_, path = _timed_export(db, audit_id, folder, args.copy)
    if args.profile:
        _profile(db, audit_id, folder, args.copy, args.profile)
        db.close()
        return 0
    source = load_workbook(path, read_only=True)
    values = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in source}
    source.close()
    default_font, copies = read_back(path)
    cells = sum(len(row) for sheet in copies for row in sheet.rows)
    print(f"the export writes {len(copies)} sheets, {cells:,} cells (row by row, to each "
          "row's last cell)")
    same: list[tuple[float, float]] = []  # (wall, CPU) ratios against the same workbook
    bare: list[tuple[float, float]] = []  # and against the values alone
    for pair in range(1, args.pairs + 1):
        export_wall, export_cpu, _ = _timed_export(db, audit_id, folder, args.copy)
        same_wall, same_cpu = _timed(lambda: same_workbook_dump(
            default_font, copies, folder / "same.xlsx"))
        bare_wall, bare_cpu = _timed(lambda: bare_dump(values, folder / "bare.xlsx"))
        same.append((export_wall / same_wall, export_cpu / same_cpu))
        bare.append((export_wall / bare_wall, export_cpu / bare_cpu))
        print(f"pair {pair}: {args.copy} export {export_wall:.2f} s (CPU {export_cpu:.2f} s); "
              f"same workbook dumped {same_wall:.2f} s (CPU {same_cpu:.2f} s), ratio "
              f"{same[-1][0]:.2f} (CPU {same[-1][1]:.2f}); values only {bare_wall:.2f} s "
              f"(CPU {bare_cpu:.2f} s), ratio {bare[-1][0]:.2f} (CPU {bare[-1][1]:.2f})")
    for name, ratios in (("same workbook", same), ("values only", bare)):
        print(f"median ratio over {len(ratios)} pairs against the {name} dump"
              f"{' (target <= 1.3)' if name == 'same workbook' else ''}: "
              f"{statistics.median(r[0] for r in ratios):.2f} "
              f"(CPU time: {statistics.median(r[1] for r in ratios):.2f})")
    print(machine_line())
    db.close()
    return 0


def _profile(db: Database, audit_id: int, folder: Path, copy_kind: str, top: int) -> None:
    """One export under cProfile: the slowest functions, and how many SQL statements."""
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(db.engine, "before_cursor_execute", count)
    profiler = cProfile.Profile()
    profiler.enable()
    _timed_export(db, audit_id, folder, copy_kind)
    profiler.disable()
    event.remove(db.engine, "before_cursor_execute", count)
    print(f"{copy_kind} export: {statements} SQL statements")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumtime").print_stats(top)


if __name__ == "__main__":
    sys.exit(main())
