"""A hand-made ten-case extract whose population picture is worked out by hand (shared by the
unit and UI tests of the population picture)."""

from __future__ import annotations

import csv
from pathlib import Path

HEADERS = ("Crime Ref", "Outcome", "DASH Risk", "MARAC", "Arrested", "Victim supports",
           "Date Finalised", "NFA notification date")
ROWS = (
    ("PX/0001/26", "16", "high", "no", "yes", "withdrawn", "2026-03-02", "2026-03-04"),
    ("PX/0002/26", "16", "high", "yes", "no", "never", "2026-03-02", "2026-03-16"),
    ("PX/0003/26", "15", "standard", "", "yes", "withdrawn", "2026-03-06", "2026-03-13"),
    ("PX/0004/26", "15", "medium", "no", "", "yes", "2026-03-06", ""),
    ("PX/0005/26", "1", "high", "", "yes", "yes", "2026-03-02", ""),
    ("PX/0006/26", "16", "high", "no", "no", "withdrawn", "2026-03-02", "2026-03-12"),
    ("PX/0007/26", "18", "", "", "no", "", "", ""),
    ("PX/0008/26", "16", "standard", "no", "yes", "never", "2026-03-09", "2026-03-09"),
    ("PX/0009/26", "", "", "", "", "", "", ""),
    ("PX/0010/26", "16", "medium", "yes", "yes", "withdrawn", "2026-03-10", "2026-03-30"),
)
# Worked by hand from ROWS.
OUTCOME_COUNTS = {1: 1, 15: 2, 16: 5, 18: 1, None: 1}
HIGH_RISK_WITHOUT_MARAC = ("PX/0001/26", "PX/0006/26")
OUTCOME_15_NOT_SUPPORTING = ("PX/0003/26",)
NFA_WITHOUT_NOTIFICATION = ("PX/0004/26", "PX/0007/26")
EXCEPTION_REFERENCES = (*HIGH_RISK_WITHOUT_MARAC, *OUTCOME_15_NOT_SUPPORTING,
                        *NFA_WITHOUT_NOTIFICATION)
DAYS_TO_TELL = (2, 14, 7, 10, 0, 20)  # median 8.5, quartiles 3.25 and 13


def write_population_extract(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path
