"""Classifying an extract's columns as personal, free text or other, before anything is shared.

Default deny: a column that is not a mapped known-safe field never reaches a partner
unless the user marks it shareable. The classification helps them decide: it reads
the header (a "DOB" or "Mobile" column) and a sample of the values (phone numbers,
postcodes, emails, identity numbers, people's names, long varied prose), and gives a
reason in plain English. It only ever advises caution: a column it cannot place is
"other", which is still not shared until the user says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.value_parsing import ValueProblem, cell_text, parse_date

SAMPLE_ROWS = 200  # values read per column: enough to see a pattern, cheap at import
PERSONAL_SHARE = 0.3  # a third of values that are phone numbers makes a phone column
NAME_SHARE = 0.5
FREE_TEXT_MEAN_CHARS = 40
FREE_TEXT_MEAN_WORDS = 6
VARIED_SHARE = 0.5  # distinct values over non-blank ones: names and prose rarely repeat
ADULT_YEARS = 16  # dates this far back in a closed-case extract are birth dates


class ColumnClass(StrEnum):
    """Stored as these plain words in `PopulationImportRecord.column_classes`."""

    PERSONAL = "personal"
    FREE_TEXT = "free text"
    OTHER = "other"


@dataclass(frozen=True)
class ColumnPrivacy:
    column: str
    classification: ColumnClass
    reason: str  # plain English, never quoting a value
    field_key: str | None = None  # the case field the column is mapped to
    known_safe: bool = False  # a mapped field the app knows it may share

    @property
    def may_be_marked_shareable(self) -> bool:
        """Only unmapped columns that do not look personal can be opened up by the user."""
        return self.field_key is None and self.classification is not ColumnClass.PERSONAL


def _words(header: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", header.lower()).strip() + " "


# Header words, checked as whole words, and what they suggest.
_HEADER_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("dob", "d o b", "date of birth", "birth", "born", "birthday"), "a date of birth"),
    (("address", "street", "postcode", "post code", "postal", "house", "residence"),
     "an address"),
    (("phone", "telephone", "tel", "mobile", "landline", "contact number"), "phone numbers"),
    (("email", "e mail"), "email addresses"),
    (("ni number", "ni no", "nino", "national insurance", "pnc", "pnc id", "cro", "passport",
      "driving licence", "driving license", "licence number", "nhs number"), "identity numbers"),
    (("name", "names", "surname", "forename", "forenames", "first name", "given name", "alias",
      "nickname", "victim", "suspect", "offender", "witness", "informant", "complainant",
      "aggrieved", "next of kin", "person", "perpetrator"), "names of people"),
)
# Headers holding a hint word without being about a person.
_NOT_PERSONAL_HEADERS = frozenset({" team name ", " unit name ", " area name ", " offence name ",
                                   " station name ", " file name ", " sheet name ", " beat name ",
                                   " ward name ", " division name ", " crime name "})
_FREE_TEXT_HINTS = ("comment", "comments", "note", "notes", "mo", "modus operandi", "narrative",
                    "summary", "description", "details", "remarks", "free text", "rationale",
                    "circumstances", "synopsis", "account", "log", "update", "updates")


def header_hint(header: str) -> tuple[ColumnClass, str] | None:
    """What the header alone suggests, with the reason."""
    words = _words(header)
    if words not in _NOT_PERSONAL_HEADERS:
        for hints, what in _HEADER_HINTS:
            if any(f" {hint} " in words for hint in hints):
                return ColumnClass.PERSONAL, f"Looks personal: the heading suggests {what}"
    if any(f" {hint} " in words for hint in _FREE_TEXT_HINTS):
        return ColumnClass.FREE_TEXT, "Free text: the heading suggests notes or comments"
    return None


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_SHAPE = re.compile(r"^(?:\+\s?44\s?(?:\(0\)\s?)?|0)\d[\d\s\-()]{7,13}$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)
_ENDS_IN_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)
_STREET = re.compile(r"^\s*(?:flat\s+\w+,?\s*)?\d+[A-Za-z]?,?\s+[A-Za-z' ]+\b(?:street|st|road|rd|"
                     r"lane|ln|avenue|ave|close|drive|dr|way|court|crescent|place|gardens|"
                     r"terrace|grove|hill|square|walk|row|mews|parade)\b", re.IGNORECASE)
_NI_NUMBER = re.compile(r"^[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]$", re.IGNORECASE)
_PNC_ID = re.compile(r"^\d{2,4}/\d{1,7}[A-Z]$", re.IGNORECASE)
_DRIVING_LICENCE = re.compile(r"^[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}$", re.IGNORECASE)
_DATE_SHAPE = re.compile(r"^\d{1,4}[/\-.]\d{1,2}[/\-.]\d{1,4}")
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|DC|PC|DS|DI|DCI|Sgt|Insp)\.?\s+)?"
_NAME_WORD = r"(?:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*|Mc[A-Z][a-z]+|O'[A-Z][a-z]+|[A-Z]\.?)"
_PERSON_NAME = re.compile(rf"^{_TITLE}{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}$")
# Capitalised words that make a value a place, team or category rather than a person.
_NOT_NAME_TEXT = (
    "Team Unit Police Station Division Crime Court Area North South East West Central City "
    "County Road Street Response Safeguarding Domestic Abuse Hub Investigation Neighbourhood "
    "Public Protection Not Known Unknown Yes No None Other Common Assault Criminal Damage "
    "Harassment Stalking Theft Burglary Robbery Section Sexual Offence Offences Serious "
    "Violence Violent Standard Medium High Low Risk Child Children Adult Services Referral "
    "Local Policing Command Borough District Sector Ward Town Village Council Health Service "
    "Emergency Department Hospital Charged Caution Warning Resolution Evidential Difficulties "
    "Further Action Outcome Victim Suspect Case Review Panel Male Female Inspector Sergeant "
    "Constable Detective Officer")
_NOT_NAME_WORDS = frozenset(_NOT_NAME_TEXT.split())


def _is_phone(text: str) -> bool:
    if not _PHONE_SHAPE.match(text):
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(text, "GB"))
    except phonenumbers.NumberParseException:
        return False


def _is_address(text: str) -> bool:
    return bool(_POSTCODE.match(text) or _ENDS_IN_POSTCODE.search(text) or _STREET.match(text))


def _is_identity_number(text: str) -> bool:
    compact = text.replace(" ", "")
    return bool(_NI_NUMBER.match(text) or _PNC_ID.match(compact)
                or _DRIVING_LICENCE.match(compact))


def _is_person_name(text: str) -> bool:
    if not _PERSON_NAME.match(text):
        return False
    return not any(word.strip(".,") in _NOT_NAME_WORDS for word in text.split())


_VALUE_TESTS = (
    (lambda text: bool(_EMAIL.match(text)), "email addresses", PERSONAL_SHARE),
    (_is_phone, "phone numbers", PERSONAL_SHARE),
    (_is_identity_number, "identity numbers", PERSONAL_SHARE),
    (_is_address, "addresses or postcodes", PERSONAL_SHARE),
)


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    # Only text written as a date: a bare number would read as an Excel day count.
    if not isinstance(value, str) or not _DATE_SHAPE.match(value.strip()):
        return None
    try:
        return parse_date(value)
    except ValueProblem:
        return None


def _looks_like_birth_dates(values: Sequence[object], today: dt.date) -> bool:
    dates = [date for date in map(_as_date, values) if date is not None]
    if not dates or len(dates) * 2 < len(values):
        return False
    cutoff = today.replace(year=today.year - ADULT_YEARS, day=min(today.day, 28))
    return sum(1 for date in dates if date <= cutoff) * 2 > len(dates)


def _varied(texts: Sequence[str]) -> bool:
    return len(texts) < 4 or len(set(texts)) >= VARIED_SHARE * len(texts)


def value_hint(values: Sequence[object], *,
               today: dt.date | None = None) -> tuple[ColumnClass, str] | None:
    """What a sample of a column's values suggests, with the reason."""
    present = [value for value in values if cell_text(value)]
    texts = [cell_text(value) for value in present]
    if not texts:
        return None
    for test, what, share in _VALUE_TESTS:
        if sum(1 for text in texts if test(text)) >= share * len(texts):
            return ColumnClass.PERSONAL, f"Looks personal: values look like {what}"
    if _looks_like_birth_dates(present, today or dt.date.today()):
        return ColumnClass.PERSONAL, "Looks personal: values look like dates of birth"
    if _varied(texts) and sum(1 for text in texts if _is_person_name(text)) >= NAME_SHARE * len(texts):
        return ColumnClass.PERSONAL, "Looks personal: values look like names of people"
    mean_chars = sum(map(len, texts)) / len(texts)
    mean_words = sum(len(text.split()) for text in texts) / len(texts)
    if _varied(texts) and (mean_chars >= FREE_TEXT_MEAN_CHARS or mean_words >= FREE_TEXT_MEAN_WORDS):
        return ColumnClass.FREE_TEXT, "Free text: values are long, varied writing"
    return None


def _mapped(column: str, field_key: str) -> ColumnPrivacy:
    field = FIELDS_BY_KEY[field_key]
    if field.personal:
        return ColumnPrivacy(column, ColumnClass.PERSONAL,
                             f"Personal: matched to {field.label}, never shared", field_key)
    if field.officer_name:
        return ColumnPrivacy(column, ColumnClass.PERSONAL,
                             f"Officer names: matched to {field.label}, shared only if you keep "
                             "officer names", field_key)
    return ColumnPrivacy(column, ColumnClass.OTHER, f"Known safe: matched to {field.label}",
                         field_key, known_safe=True)


def classify_column(column: str, values: Sequence[object], *, forced_personal: bool = False,
                    today: dt.date | None = None) -> ColumnPrivacy:
    """An unmapped column: personal by header or values first, then free text, else other."""
    if forced_personal:
        return ColumnPrivacy(column, ColumnClass.PERSONAL, "Personal: you marked it as personal")
    by_header = header_hint(column)
    by_values = value_hint(values, today=today)
    for hint in (by_header, by_values):
        if hint is not None and hint[0] is ColumnClass.PERSONAL:
            return ColumnPrivacy(column, *hint)
    for hint in (by_values, by_header):
        if hint is not None:
            return ColumnPrivacy(column, *hint)
    return ColumnPrivacy(column, ColumnClass.OTHER,
                         "No sign of personal data")


def classify_columns(headers: Sequence[str], sample_rows: Sequence[Sequence[object]],
                     mapping: Mapping[str, str], *, forced_personal: Collection[str] = (),
                     today: dt.date | None = None) -> list[ColumnPrivacy]:
    """Every header, in order: mapped fields keep their own meaning, the rest are sniffed."""
    field_of = {header: key for key, header in mapping.items() if header}
    classified = []
    for index, header in enumerate(headers):
        if header in field_of:
            classified.append(_mapped(header, field_of[header]))
            continue
        values = [row[index] for row in sample_rows[:SAMPLE_ROWS] if index < len(row)]
        classified.append(classify_column(header, values, forced_personal=header in forced_personal,
                                          today=today))
    return classified


def column_classes(columns: Sequence[ColumnPrivacy]) -> dict[str, str]:
    """Header -> "personal" / "free text" / "other", as stored with an import."""
    return {column.column: column.classification.value for column in columns}


__all__ = ["SAMPLE_ROWS", "ColumnClass", "ColumnPrivacy", "classify_column", "classify_columns",
           "column_classes", "header_hint", "value_hint"]
