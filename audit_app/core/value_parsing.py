"""Reading one cell of an extract as a typed case value.

Extracts hold dates as Excel serials, real dates, `dd/mm/yyyy` text (UK order, never
`mm/dd`), ISO text, all with or without times; flags as Yes/Y/TRUE/1; outcome codes as
`16`, `16.0` or `16 - Evidential difficulties`. Each parser returns the typed value (None
for a blank cell) or raises `ValueProblem` with a message a person can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from audit_app.core.case_fields import RISK_LEVELS, SUPPORT_VALUES, FieldKind, outcome_label

# Excel's day zero; serials from 61 on are right with this base (the 1900 leap-year bug).
EXCEL_EPOCH = dt.date(1899, 12, 30)
LARGEST_EXCEL_SERIAL = 2_958_465  # 31/12/9999
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


class ValueProblem(ValueError):
    """A cell that cannot be read as the field's kind; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cell_text(value: object) -> str:
    """A cell as the text a person would read in the spreadsheet (blank -> "")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def parse_text(value: object) -> str | None:
    return cell_text(value) or None


_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})"
    r"(?:[ T,]+(\d{1,2})[:.](\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]m)?)?$", re.IGNORECASE)
_NAMED_MONTH_DATE = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?[ \-/]([a-z]{3,9})\.?[ \-/,]+(\d{4}|\d{2})(?:[ T,]+[\d:.]+\s*([ap]m)?)?$",
    re.IGNORECASE)
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
_DATE_HELP = "expected a date such as 31/01/2025, 2025-01-31 or an Excel date"


def _full_year(year_text: str) -> int:
    year = int(year_text)
    if len(year_text) == 2:  # two-digit years in extracts are recent: 24 -> 2024, 95 -> 1995
        year += 2000 if year < 70 else 1900
    return year


def _checked(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        parsed = dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"'{shown}' is not a real date ({_DATE_HELP})") from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise ValueProblem(f"'{shown}' is outside the years {EARLIEST_YEAR}-{LATEST_YEAR}")
    return parsed


def _from_serial(serial: float, shown: str) -> dt.date:
    if not 1 <= serial <= LARGEST_EXCEL_SERIAL:
        raise ValueProblem(f"'{shown}' is not a date ({_DATE_HELP})")
    whole_days = int(serial)
    if whole_days < 61:  # Excel counts a 29/02/1900 that never was
        whole_days += 1
    parsed = EXCEL_EPOCH + dt.timedelta(days=whole_days)
    return _checked(parsed.year, parsed.month, parsed.day, shown)


def parse_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(f"'{cell_text(value)}' is not a date ({_DATE_HELP})")
    if isinstance(value, int | float):
        return _from_serial(float(value), cell_text(value))
    text = str(value).strip()
    if not text:
        return None
    match = _NUMERIC_DATE.match(text)
    if match:
        day, month, year = match.group(1, 2, 3)
        return _checked(_full_year(year), int(month), int(day), text)
    match = _NAMED_MONTH_DATE.match(text)
    if match and match.group(2).lower() in _MONTHS:
        return _checked(_full_year(match.group(3)), _MONTHS[match.group(2).lower()],
                        int(match.group(1)), text)
    if text[:4].isdigit() and len(text) >= 8:
        try:
            parsed = dt.datetime.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise ValueProblem(f"'{text}' is not a date ({_DATE_HELP})") from None
        return _checked(parsed.year, parsed.month, parsed.day, text)
    try:
        serial = float(text)
    except ValueError:
        raise ValueProblem(f"'{text}' is not a date ({_DATE_HELP})") from None
    return _from_serial(serial, text)


_OUTCOME_TEXT = re.compile(r"^(?:ho\s*)?(?:outcome|oc)?\s*(?:code)?\s*(\d{1,3})(?:\.0+)?(?:$|[\s\-–:/(])",
                           re.IGNORECASE)


def parse_integer(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"'{cell_text(value)}' is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueProblem(f"'{cell_text(value)}' is not a whole number")
    text = cell_text(value)
    if not text:
        return None
    match = _OUTCOME_TEXT.match(text)
    if match is None:
        raise ValueProblem(f"'{text}' is not a number")
    return int(match.group(1))


_TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "✔"})
_FALSE_WORDS = frozenset({"no", "n", "false", "f", "0"})


def parse_flag(value: object) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    word = cell_text(value).lower()
    if not word:
        return None
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueProblem(f"'{cell_text(value)}' is not Yes or No")


_RISK_WORDS = {"standard": "standard", "std": "standard", "s": "standard",
               "medium": "medium", "med": "medium", "m": "medium",
               "high": "high", "h": "high"}


def parse_risk(value: object) -> str | None:
    word = cell_text(value).lower()
    if not word:
        return None
    word = word.removesuffix(" risk").strip()
    if word in _RISK_WORDS:
        return _RISK_WORDS[word]
    raise ValueProblem(f"risk level '{cell_text(value)}' is outside the scale "
                       f"({', '.join(RISK_LEVELS)})")


_SUPPORT_WORDS = {"yes": "yes", "y": "yes", "supports": "yes", "supportive": "yes", "true": "yes",
                  "never": "never", "no": "never", "n": "never", "false": "never",
                  "does not support": "never", "not supportive": "never",
                  "withdrawn": "withdrawn", "withdrew": "withdrawn", "retracted": "withdrawn",
                  "withdrew support": "withdrawn"}


def parse_support(value: object) -> str | None:
    word = " ".join(cell_text(value).lower().split())
    if not word:
        return None
    if word in _SUPPORT_WORDS:
        return _SUPPORT_WORDS[word]
    raise ValueProblem(f"'{cell_text(value)}' is not one of {', '.join(SUPPORT_VALUES)}")


PARSERS: dict[FieldKind, Callable[[object], object]] = {
    FieldKind.TEXT: parse_text,
    FieldKind.INTEGER: parse_integer,
    FieldKind.DATE: parse_date,
    FieldKind.FLAG: parse_flag,
    FieldKind.RISK: parse_risk,
    FieldKind.SUPPORT: parse_support,
}


def describe_value(kind: FieldKind, value: object) -> str:
    """A parsed value as a person reads it: True -> 'Yes', 'standard' -> 'Standard',
    16 -> '16 – Evidential difficulties: …'."""
    if value is None:
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if kind is FieldKind.INTEGER and isinstance(value, int):
        return outcome_label(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).capitalize() if kind in (FieldKind.RISK, FieldKind.SUPPORT) else str(value)
