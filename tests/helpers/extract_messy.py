"""A messy force extract, as a Niche or Athena report comes out of the records system.

Title rows above the header, headings in the force's own words, flags as Y/N, risk in
capitals, outcomes as "16 - Evidential difficulties", blank rows part-way down, and
free-text columns full of names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

MESSY_HEADERS = [
    "Occurrence No", "Crime Number", "Offence Description", "HO Offence Code", "DA Marker",
    "Date Committed", "Date Recorded", "Date Finalised", "HO Outcome", "DASH Risk Level",
    "MARAC Referred", "Suspect Arrested", "Victim Engagement", "OIC", "Owning Unit", "LPA",
    "Victim Surname", "Suspect Surname", "Supervisor Comments", "MO Text", "Beat",
]
# What a person expects each heading to be read as (the last three stay as other columns).
EXPECTED_MAPPING = {
    "reference": "Occurrence No", "offence_description": "Offence Description",
    "offence_code": "HO Offence Code", "da_flag": "DA Marker", "crime_date": "Date Committed",
    "date_recorded": "Date Recorded", "date_finalised": "Date Finalised",
    "outcome_code": "HO Outcome", "risk_level": "DASH Risk Level",
    "marac_referral": "MARAC Referred", "arrested": "Suspect Arrested",
    "victim_supports": "Victim Engagement", "officer": "OIC", "team": "Owning Unit",
    "area": "LPA", "victim_name": "Victim Surname", "suspect_name": "Suspect Surname",
}
TITLE_ROWS = 2  # a report title and a blank row, so the header is on row 3
BLANK_EVERY = 7  # a blank row after every seventh case
_RISKS = ("STANDARD", "MEDIUM", "HIGH")
_SUPPORT = ("Y", "N", "WITHDRAWN")
_OUTCOMES = ("16 - Evidential difficulties", "15", "1 - Charged", "10")
_SURNAMES = ("Okafor", "Brennan", "Whitlock", "Castellano", "Nakamura", "Ferreira", "Lindqvist")


def messy_row(number: int) -> list[object]:
    recorded = dt.date(2025, 1, 1) + dt.timedelta(days=number % 300)
    surname = _SURNAMES[number % len(_SURNAMES)]
    return [
        f"NS/{number:06d}/25", f"CR{number:07d}", "Assault occasioning ABH", "8/1",
        "Y" if number % 5 else "N", recorded - dt.timedelta(days=1), recorded,
        recorded + dt.timedelta(days=60), _OUTCOMES[number % len(_OUTCOMES)],
        _RISKS[number % len(_RISKS)], "Y" if number % 3 == 0 else "N",
        "Y" if number % 2 else "N", _SUPPORT[number % len(_SUPPORT)],
        f"PC {1000 + number % 40}", "Public Protection Unit", ("North", "South", "East")[number % 3],
        surname, _SURNAMES[(number + 3) % len(_SURNAMES)],
        f"Spoke to Ms {surname} on the phone; she did not wish to support a prosecution "
        f"and the file was reviewed (case {number}).",
        f"Suspect {_SURNAMES[(number + 3) % len(_SURNAMES)]} pushed the victim during an "
        "argument at the home address.",
        f"B{number % 12}",
    ]


def write_messy_extract(path: Path, rows: int = 60) -> Path:
    """`rows` cases under two title rows, with a blank row after every seventh case."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Niche export"
    sheet.append(["Domestic abuse crimes finalised, Q1 2025 (OFFICIAL-SENSITIVE)"])
    sheet.append([])
    sheet.append(MESSY_HEADERS)
    for number in range(1, rows + 1):
        sheet.append(messy_row(number))
        if number % BLANK_EVERY == 0:
            sheet.append([])
    workbook.save(path)
    return path


def blank_rows_in(rows: int) -> int:
    """The blank rows `write_messy_extract` leaves between `rows` cases (not after the last)."""
    return (rows - 1) // BLANK_EVERY
