"""`audit-app import FILE --audit ID`: a population extract into an audit, or nothing at all.

A file with bad rows is refused as a whole (unless --valid-rows-only); the first few
problems are printed, every problem can be written to a CSV with --report. After an
import each column's classification is printed, and whether a partner may see it.
A file with no case rows, or one that would remove cases the audit relies on, is
refused unless --allow-removals. Names from the extract are never echoed to the terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audit_app.cli.common import opened
from audit_app.cli.output import Output, format_table
from audit_app.core.errors import UserError

if TYPE_CHECKING:  # the services load SQLAlchemy: only when the command runs
    from audit_app.services.database import Database
    from audit_app.services.population_import import ExtractHasErrors

PROBLEMS_SHOWN = 10


def add_arguments(population: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    population.add_argument("file", type=Path, metavar="FILE")
    population.add_argument("--audit", type=int, required=True, metavar="ID")
    population.add_argument("--sheet", metavar="NAME")
    population.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                            help="map a case field to a column header (repeatable)")
    population.add_argument("--personal", action="append", default=[], metavar="HEADER",
                            help="an unmapped column holding personal data, kept out of "
                                 "partner exports (repeatable)")
    population.add_argument("--mapping", metavar="PROFILE", help="use a saved mapping profile")
    population.add_argument("--save-mapping", metavar="PROFILE",
                            help="save this import's mapping under a name")
    population.add_argument("--valid-rows-only", action="store_true",
                            help="import the good rows and skip the bad ones")
    population.add_argument("--report", type=Path, metavar="FILE.csv",
                            help="write every problem found to a CSV file")
    population.add_argument("--shareable", action="append", default=[], metavar="COLUMN",
                            help="an unmapped column a partner may see; every other column "
                                 "stays out of partner exports (repeatable)")
    population.add_argument("--allow-removals", action="store_true",
                            help="import even if sampled or scored cases, or more than a "
                                 "tenth of the cases, are missing from this extract")


def run_import(args: argparse.Namespace, output: Output, parser: argparse.ArgumentParser) -> int:
    with opened(args) as db:
        return import_command(db, args, output)


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """['outcome_code=HO Outcome', ...] -> {'outcome_code': 'HO Outcome'}."""
    from audit_app.core.case_fields import FIELDS_BY_KEY

    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        field, header = field.strip(), header.strip()
        if not sep or not field or not header:
            raise UserError(f"--map '{pair}': write it as FIELD=HEADER, e.g. outcome_code='HO Outcome'")
        if field not in FIELDS_BY_KEY:
            raise UserError(f"--map '{pair}': '{field}' is not a case field. "
                            f"Fields: {', '.join(sorted(FIELDS_BY_KEY))}")
        mapping[field] = header
    return mapping


def problem_dict(problem: Any) -> dict[str, Any]:
    shown = {name: getattr(problem, name, None)
             for name in ("row", "column", "value", "message", "severity")}
    if not getattr(problem, "quotable", True):
        shown["value"] = ""  # a name: only the private --report file keeps it
    return shown


def column_rows(columns: Sequence[Any], shareable: Sequence[str]) -> list[dict[str, Any]]:
    opened = set(shareable)
    return [{"column": column.column, "classification": str(column.classification),
             "shareable": bool(column.known_safe or column.column in opened),
             "reason": column.reason} for column in columns]


def _column_lines(columns: list[dict[str, Any]]) -> list[str]:
    # The reason already says what the column is ("Looks personal: ...", "Known safe: ...").
    table = format_table(["Column", "Shareable", "Why"],
                         [[c["column"], "yes" if c["shareable"] else "no", c["reason"]]
                          for c in columns])
    return ["Columns (only those marked shareable can reach a partner; add more with "
            "--shareable COLUMN):", *table.splitlines()]


def problem_line(problem: Any) -> str:
    where = [f"row {problem.row}" if getattr(problem, "row", None) else "",
             f"column '{problem.column}'" if getattr(problem, "column", None) else ""]
    place = ", ".join(part for part in where if part)
    return f"  {place}: {problem.message}" if place else f"  {problem.message}"


def _progress_to_terminal(done: int, total: int) -> None:
    if sys.stderr.isatty() and total:
        sys.stderr.write(f"\r  {done:,} of {total:,} rows")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _show_problems(refused: ExtractHasErrors, args: argparse.Namespace, output: Output) -> None:
    """A refused extract: the first problems printed, all of them in --report."""
    from audit_app.services.population_import import write_problem_report

    problems = list(refused.problems)
    if args.report:
        write_problem_report(problems, args.report)
    if output.as_json:
        output.result({"imported": False, "message": str(refused),
                       "problem_count": len(problems),
                       "problems": [problem_dict(p) for p in problems[:PROBLEMS_SHOWN]]}, "")
    else:
        shown = [problem_line(p) for p in problems[:PROBLEMS_SHOWN]]
        more = len(problems) - len(shown)
        tail = [f"  ... and {more} more" + ("" if args.report else " (--report FILE.csv lists all)")]
        output.result(None, ["Nothing was imported. Problems found:", *shown,
                             *(tail if more > 0 else [])])


def import_command(db: Database, args: argparse.Namespace, output: Output) -> int:
    from audit_app.services.population_import import (
        ExtractHasErrors,
        RemovalsNeedConsent,
        import_population,
        write_problem_report,
    )

    try:
        result = import_population(
            db, audit_id=args.audit, path=args.file, sheet=args.sheet,
            mapping=parse_mapping(args.map) or None, mapping_profile=args.mapping,
            personal_columns=tuple(args.personal),
            shareable_columns=tuple(args.shareable) if args.shareable else None,
            valid_rows_only=args.valid_rows_only, allow_removals=args.allow_removals,
            save_profile_as=args.save_mapping,
            progress=None if output.as_json else _progress_to_terminal)
    except RemovalsNeedConsent as refused:
        message = (f"This extract would remove {refused.removing:,} of {refused.population:,} "
                   f"cases, {refused.sampled:,} of them sampled and {refused.scored:,} scored, so "
                   "nothing was imported. Check it is the right file; add --allow-removals only "
                   "if those cases have really gone.")
        if output.as_json:
            output.result({"imported": False, "message": message, "would_remove": refused.removing,
                           "population": refused.population, "sampled": refused.sampled,
                           "scored": refused.scored}, "")
        raise UserError(message) from None
    except ExtractHasErrors as refused:
        _show_problems(refused, args, output)
        report_note = f"; all problems are in {args.report}" if args.report else ""
        raise UserError(f"{refused}{report_note}") from None
    warnings = list(getattr(result, "warnings", []) or [])
    errors = list(getattr(result, "errors", []) or [])
    if args.report and (warnings or errors):
        write_problem_report(errors + warnings, args.report)
    counts = {name: getattr(result, name) for name in
              ("import_id", "rows_read", "added", "changed", "unchanged", "removed", "skipped")}
    payload = {"imported": True, **counts, "error_count": len(errors),
               "warning_count": len(warnings),
               "errors": [problem_dict(p) for p in errors[:PROBLEMS_SHOWN]],
               "warnings": [problem_dict(p) for p in warnings[:PROBLEMS_SHOWN]],
               "columns": column_rows(result.columns, result.shareable_columns)}
    lines = [f"Imported {result.rows_read} rows into audit {args.audit}: {result.added} added, "
             f"{result.changed} changed, {result.unchanged} unchanged, {result.removed} removed, "
             f"{result.skipped} skipped."]
    if warnings:
        lines.append(f"{len(warnings)} warning(s):")
        lines += [problem_line(p) for p in warnings[:PROBLEMS_SHOWN]]
    if args.report and (warnings or errors):
        lines.append(f"Problems written to {args.report}")
    lines += _column_lines(payload["columns"])
    output.result(payload, lines)
    return 0
