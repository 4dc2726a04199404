"""Shapes of personal data in free text: phones, emails, postcodes, addresses, dates of birth,
identity numbers and people named by title or rank.

Each finder returns spans over the original text; `scrubbing.Scrubber` merges them with the
names and references the audit holds. The patterns lean towards catching too much: a partner
copy that loses a street name is better than one that keeps a victim's address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher


@dataclass(frozen=True)
class Span:
    """A stretch of the original text to replace, and why."""

    start: int
    end: int
    token: str
    reason: str
    kind: str  # "known" (a value the audit holds), "reference", "person" (title/rank), "pattern"


TITLE_WORDS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev",
    "revd", "reverend", "cllr", "councillor", "master",
})
RANK_WORDS = frozenset({
    "pc", "dc", "ds", "di", "dci", "dsi", "dcs", "ps", "sc", "pcso", "sgt", "insp", "supt", "det", "con",
    "detective", "constable", "sergeant", "inspector", "superintendent", "chief", "ch", "acting",
    "temporary", "police", "special", "officer",
})

# Ranks are written in capitals as abbreviations; full words are capitalised.
_RANK = (
    r"(?:(?:T|A)/|Acting\s+|Temporary\s+)?"
    r"(?:Det(?:ective)?\.?\s+(?:Con(?:stable)?|Sgt|Sergeant|Ch(?:ief)?\.?\s+Insp(?:ector)?|Insp(?:ector)?"
    r"|Ch(?:ief)?\.?\s+Supt|Supt|Superintendent|Chief\s+Superintendent)"
    r"|Police\s+(?:Constable|Sergeant|Officer)|Special\s+Constable|Chief\s+Constable"
    r"|Ch(?:ief)?\.?\s*Insp(?:ector)?|Ch(?:ief)?\.?\s*Supt|Chief\s+Superintendent"
    r"|Constable|Sergeant|Inspector|Superintendent|PCSO|DCI|DSI|DCS|DC|PC|DS|DI|PS|SC|Sgt|Insp|Supt)\.?"
)
_TITLE = (r"(?:(?i:mrs|mr|ms|mx)|Miss|Dr|Prof(?:essor)?|Sir|Dame|Lord|Lady|Rev(?:d|erend)?"
          r"|Cllr|Councillor|Master)\.?")
_INITIALS = r"(?:[A-Z]\.?\s*){1,3}"
_NAME_WORD = r"(?:(?:Mc|Mac|O['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?|[A-Z]{2,}(?:-[A-Z]{2,})?)"
_RANKED = re.compile(
    rf"(?<![\w/])(?P<title>{_RANK})(?:\s*(?P<collar>\d{{2,6}}))?"
    rf"(?:\s+(?P<first>(?:{_INITIALS})?{_NAME_WORD}|{_INITIALS}(?=\s))(?:\s+(?P<second>{_NAME_WORD}))?)?"
    r"(?![\w])"
)
_TITLED = re.compile(
    rf"(?<![\w/])(?P<title>{_TITLE})"
    rf"\s+(?P<first>(?:{_INITIALS})?{_NAME_WORD}|{_INITIALS}(?=\s))(?:\s+(?P<second>{_NAME_WORD}))?(?![\w])"
)
# "spoke to mrs smith": a lower-case name after an unmistakable title.
_TITLED_LOWER = re.compile(r"(?<![\w/])(?i:mrs|mr|ms|mx)\.?\s+(?!(?:and|or|&)\b)[a-z][a-z'’-]+(?![\w])")

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w])")
_POSTCODE_BODY = r"(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})"
_POSTCODE = re.compile(rf"(?<![A-Za-z0-9])(?i:{_POSTCODE_BODY})(?![A-Za-z0-9])")
_UK_PHONE = re.compile(
    r"(?<![\w/+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}(?![\w/])"
)
_NI_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?i:(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D])(?![A-Za-z0-9])"
)
_PNC_ID = re.compile(r"(?<![\w/])\d{2}/\d{1,7}[A-Z](?![\w/])")
_DRIVING_LICENCE = re.compile(r"(?<![A-Z0-9])[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}(?![A-Z0-9])")

_STREET_SUFFIX = (
    r"(?i:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres|Place|Pl"
    r"|Gardens|Gdns|Terrace|Terr|Grove|Hill|Park|Square|Sq|Walk|Mews|Row|Rise|View|Parade|Croft"
    r"|Boulevard|Vale|Green)\b\.?"
)
# Suffixes that name a street even without a house number; Court, Park, Hill... do not
# (Crown Court, Magistrates' Court).
_PLAIN_STREET_SUFFIX = r"(?:Road|Street|Avenue|Lane|Drive|Crescent|Gardens|Terrace|Grove|Mews|Close)\b"
_STREET_WORD = r"(?:[A-Z][A-Za-z'’]*(?:-[A-Z][A-Za-z'’]*)?\.?)"
_UNIT = r"(?:(?i:flat|apartment|apt|unit|room|maisonette)\.?\s+\d{1,4}[A-Za-z]?[,\s]\s*)"
_HOUSE_NUMBER = r"\d{1,4}[A-Za-z]?(?:\s?[-–]\s?\d{1,4}[A-Za-z]?)?"
_ADDRESS = re.compile(
    rf"(?<![\w/.]){_UNIT}?{_HOUSE_NUMBER},?\s+(?:{_STREET_WORD}\s+){{1,3}}{_STREET_SUFFIX}"
    rf"(?P<tail>(?:,?\s+[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?)?(?:,?\s+(?i:{_POSTCODE_BODY}))?)"
    r"(?![\w])"
)
_PLAIN_STREET = re.compile(rf"(?<![\w])(?:[A-Z][a-z'’]+\s+){{1,2}}{_PLAIN_STREET_SUFFIX}")
_FLAT = re.compile(r"(?<![\w])(?:Flat|Apartment|Apt|Maisonette)\.?\s+\d{1,4}[A-Za-z]?(?![\w])")

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{2,4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?:19|20)\d{{2}})"
)
_DOB_CUE = r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?date\b|\bborn\b|\bbirthday\b)"
# A date after a cue, with at most four words between ("born in Leeds on 1 May 1990").
_DOB_AFTER = re.compile(
    rf"(?i:{_DOB_CUE})[\s:=(\-–,]*(?:[A-Za-z]+[\s:,]+){{0,4}}?(?P<date>(?i:{_DATE}))(?![\w/])"
)
_DOB_BEFORE = re.compile(rf"(?<![\w/])(?P<date>(?i:{_DATE}))\s*[(\[,]?\s*(?i:{_DOB_CUE})")


def find_pattern_spans(text: str, *, is_ordinary: Callable[[str], bool]) -> list[Span]:
    """Every shape of personal data in `text`; `is_ordinary` says whether a word is plain English."""
    spans: list[Span] = []
    spans += _phone_spans(text)
    spans += _regex_spans(_EMAIL, text, "[email]", "email address")
    spans += _address_spans(text, is_ordinary)
    spans += _regex_spans(_PLAIN_STREET, text, "[address]", "street name")
    spans += _regex_spans(_FLAT, text, "[address]", "flat number")
    spans += _regex_spans(_POSTCODE, text, "[postcode]", "postcode")
    spans += _dob_spans(text)
    spans += _regex_spans(_NI_NUMBER, text, "[identity number]", "National Insurance number")
    spans += _regex_spans(_PNC_ID, text, "[identity number]", "Police National Computer id")
    spans += _regex_spans(_DRIVING_LICENCE, text, "[identity number]", "driving licence number")
    spans += _person_spans(text, is_ordinary)
    return spans


def _regex_spans(pattern: re.Pattern[str], text: str, token: str, reason: str,
                 kind: str = "pattern") -> Iterator[Span]:
    for match in pattern.finditer(text):
        yield Span(match.start(), match.end(), token, reason, kind)


def _phone_spans(text: str) -> list[Span]:
    found: list[Span] = []
    # POSSIBLE finds numbers in reserved ranges (07700 900xxx) that VALID rejects; the
    # checks below keep it off dates, collar numbers and crime references.
    for match in PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
        raw = match.raw_string
        digits = sum(ch.isdigit() for ch in raw)
        looks_dialled = raw.lstrip("(").startswith(("0", "+"))
        if "/" in raw or not (phonenumbers.is_valid_number(match.number) or (looks_dialled and digits >= 10)):
            continue
        found.append(Span(match.start, match.end, "[phone]", "phone number", "pattern"))
    found += _regex_spans(_UK_PHONE, text, "[phone]", "phone number")
    return found


def _address_spans(text: str, is_ordinary: Callable[[str], bool]) -> Iterator[Span]:
    for match in _ADDRESS.finditer(text):
        end = match.end()
        tail = match.group("tail")
        # Keep a town only when a postcode follows or the word is not plain English
        # ("12 Acacia Avenue, Leeds" but not "12 Acacia Avenue, Then ...").
        if tail and not _POSTCODE.search(tail):
            town = tail.strip(" ,")
            if all(is_ordinary(word) for word in re.split(r"[\s-]+", town)):
                end = match.start("tail")
        yield Span(match.start(), end, "[address]", "street address", "pattern")


def _dob_spans(text: str) -> Iterator[Span]:
    for pattern in (_DOB_AFTER, _DOB_BEFORE):
        for match in pattern.finditer(text):
            yield Span(match.start("date"), match.end("date"), "[date of birth]", "date of birth", "pattern")


def _person_spans(text: str, is_ordinary: Callable[[str], bool]) -> Iterator[Span]:
    for pattern, token, reason in ((_RANKED, "[officer]", "officer named by rank"),
                                   (_TITLED, "[person]", "person named by title")):
        for match in pattern.finditer(text):
            if not (match.group("first") or match.groupdict().get("collar")):
                continue  # a rank on its own names nobody
            end = match.end()
            second = match.group("second")
            if second and second.isupper() and is_ordinary(second):
                end = match.end("first")  # "PC Smith BWV": the acronym is not a name
            yield Span(match.start(), end, token, reason, "person")
    yield from _regex_spans(_TITLED_LOWER, text, "[person]", "person named by title", "person")
