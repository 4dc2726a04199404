"""Real extract workbooks for the UI tests, written with openpyxl."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HEADERS = ["Crime Ref", "Offence", "Outcome", "DASH Risk", "Area", "Victim Name", "Informant", "Notes"]


def write_extract(path: Path, rows: int, *, bad_outcome_rows: tuple[int, ...] = ()) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Closed cases"
    sheet.append(HEADERS)
    for number in range(1, rows + 1):
        outcome: object = "sixteen" if number in bad_outcome_rows else 16
        sheet.append([f"CR/{number:05d}/26", "Common assault", outcome, "medium", "North",
                      f"Victim {number}", f"Informant {number}", "note"])
    notes = workbook.create_sheet("Notes")
    notes.append(["Read me"])
    workbook.save(path)
    return path
