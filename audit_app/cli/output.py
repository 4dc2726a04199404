"""How the command line prints: plain tables for people, JSON for scripts.

Every command hands its result to one `Output`; with `--json` the result goes to stdout
as one JSON document, otherwise a short readable text does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates and paths as plain JSON values."""
    # Imported here, not above: `audit-app --version` loads this module and needs none.
    import dataclasses
    import datetime as dt
    import enum
    from pathlib import Path

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Left-aligned columns, numbers right-aligned, one header rule."""
    text_rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    numeric = [all(_is_number(row[i]) for row in text_rows if row[i]) and bool(text_rows)
               for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i])
                 for i, cell in enumerate(cells)]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in text_rows)
    return "\n".join(out)


def _is_number(text: str) -> bool:
    return text.lstrip("-").isdigit()


class Output:
    """Where a command's result goes: readable text, or JSON when `--json` was given."""

    def __init__(self, *, as_json: bool, stdout: TextIO | None = None) -> None:
        self.as_json = as_json
        self.stdout = stdout or sys.stdout

    def result(self, payload: Any, text: str | Iterable[str]) -> None:
        """Print `payload` as JSON or `text` for people (one string or lines)."""
        if self.as_json:
            import json

            json.dump(to_jsonable(payload), self.stdout, indent=2, ensure_ascii=False)
            self.stdout.write("\n")
            return
        lines = [text] if isinstance(text, str) else list(text)
        for line in lines:
            self.stdout.write(line + "\n")
