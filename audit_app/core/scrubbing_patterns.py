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
_RANKED = re.compile(rf"(?<![\w/])(?:{_RANK})(?:\s*(?P<collar>\d{{2,6}}))?(?![\w])")
_TITLED = re.compile(rf"(?<![\w/])(?:{_TITLE})(?![\w])")
# One word after a title or rank: "J.", "J.P.", "O'Neill-Brown", "Zoë", "SMITH".
_FOLLOWING_WORD = re.compile(r"\s{1,3}([^\W\d_]+(?:['’.\-][^\W\d_]+)*\.?)")
MAX_INITIALS = 3
MAX_NAME_WORDS = 2
# Words that follow a name in notes typed in capitals ("MRS DOE WAS SEEN"); never surnames.
_FUNCTION_WORDS_TEXT = (
    "a an the and or but if of to in on at by for from with into onto about after before as is was "
    "were be been being are am has had have having did does do not no nor so then than that this "
    "these those who whom whose which what when where why how he she they it we you i his her their "
    "its our your him them us me my said says told asked stated attended arrived left called rang "
    "went came gave made took saw seen heard reported confirmed declined agreed refused"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
# "spoke to mrs smith": a lower-case name after an unmistakable title.
_TITLED_LOWER = re.compile(r"(?<![\w/])(?i:mrs|mr|ms|mx)\.?\s+(?!(?:and|or|&)\b)[a-z][a-z'’-]+(?![\w])")

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w])")
_POSTCODE_BODY = r"(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})"
_POSTCODE = re.compile(rf"(?<![A-Za-z0-9])(?i:{_POSTCODE_BODY})(?![A-Za-z0-9])")
_UK_PHONE = re.compile(
    r"(?<![\w/+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}(?![\w/])"
    r"|(?<![\w/+])7\d{3}[\s-]?\d{3}[\s-]?\d{3}(?![\w/])"  # a mobile typed without its 0
)
MIN_PHONE_DIGITS = 10
_DIGIT_RUN = re.compile(r"(?:\+\s?)?\(?\d(?:[\s().\-]{0,3}\d){6,}\)?")
# Any two letters, not only issued prefixes: "QQ 12 34 56 C" is the placeholder in guidance
# and a mistyped number is as personal as a valid one.
_NI_NUMBER = re.compile(r"(?<![A-Za-z0-9])(?i:[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D])(?![A-Za-z0-9])")
_PNC_ID = re.compile(r"(?<![\w/])\d{2}/\d{1,7}[A-Z](?![\w/])")
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{3,30}[A-Za-z0-9_](?![\w@])")
_VEHICLE = re.compile(r"(?<![\w/])[A-Z]{2}\d{2}\s?(?P<letters>[A-Z]{3})(?![\w/])")
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
    rf"(?<![\w/.]){_UNIT}?{_HOUSE_NUMBER},?\s+(?P<street>(?:{_STREET_WORD}\s+){{1,3}})"
    rf"(?P<suffix>{_STREET_SUFFIX})"
    rf"(?P<tail>(?:,?\s+[A-Z][A-Za-z]+(?:[\s-][A-Z][A-Za-z]+)?)?(?:,?\s+(?i:{_POSTCODE_BODY}))?)"
    r"(?![\w])"
)
_COURT_WORDS = frozenset({"crown", "magistrates", "magistrates'", "county", "family", "youth", "high",
                          "supreme", "appeal", "civil", "criminal", "coroner's", "coroners", "the"})
_PLAIN_STREET = re.compile(rf"(?<![\w])(?:[A-Z][a-z'’]+\s+){{1,2}}{_PLAIN_STREET_SUFFIX}")
# "lives at 12 acacia avenue": typed in lower case, kept apart from "a 2 minute drive".
_LOWER_ADDRESS = re.compile(
    r"(?<![\w/.])\d{1,4}[a-z]?,?\s+(?P<street>(?:[a-z][a-z'’]+\s+){1,2})"
    r"(?:road|street|avenue|lane|close|drive|crescent|gardens|terrace|grove|mews|way)(?![\w])"
)
_NOT_STREET_WORDS = frozenset({
    "minute", "minutes", "min", "mins", "hour", "hours", "second", "seconds", "day", "days", "week",
    "weeks", "month", "months", "year", "years", "mile", "miles", "metre", "metres", "yard", "yards",
    "mph", "km", "foot", "feet", "times", "way", "ways", "one", "two", "three", "police", "officers",
    "cars", "car", "vehicles", "people", "men", "women", "houses", "doors", "more", "other", "different",
})
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
    spans += _lower_address_spans(text)
    spans += _regex_spans(_FLAT, text, "[address]", "flat number")
    spans += _regex_spans(_POSTCODE, text, "[postcode]", "postcode")
    spans += _dob_spans(text)
    spans += _regex_spans(_NI_NUMBER, text, "[identity number]", "National Insurance number")
    spans += _regex_spans(_PNC_ID, text, "[identity number]", "Police National Computer id")
    spans += _regex_spans(_DRIVING_LICENCE, text, "[identity number]", "driving licence number")
    spans += _regex_spans(_HANDLE, text, "[person]", "social media handle")
    spans += _vehicle_spans(text, is_ordinary)
    spans += _person_spans(text, is_ordinary)
    return spans


def _vehicle_spans(text: str, is_ordinary: Callable[[str], bool]) -> Iterator[Span]:
    for match in _VEHICLE.finditer(text):
        if not is_ordinary(match.group("letters")):  # "MG11 CPS" is a form and an agency
            yield Span(match.start(), match.end(), "[vehicle]", "vehicle registration", "pattern")


def _regex_spans(pattern: re.Pattern[str], text: str, token: str, reason: str,
                 kind: str = "pattern") -> Iterator[Span]:
    for match in pattern.finditer(text):
        yield Span(match.start(), match.end(), token, reason, kind)


def _phone_spans(text: str) -> list[Span]:
    import phonenumbers  # a seventh of a second to load: only when text is scrubbed

    found: list[Span] = []
    # POSSIBLE finds numbers in reserved ranges (07700 900xxx) that VALID rejects; the
    # checks below keep it off dates, collar numbers and crime references.
    # The library parses every group of digits it meets (about a millisecond each), so it
    # reads only the stretches that hold enough digits to be a phone number.
    for region in _DIGIT_RUN.finditer(text):
        for match in phonenumbers.PhoneNumberMatcher(region.group(0), "GB",
                                                     leniency=phonenumbers.Leniency.POSSIBLE):
            raw = match.raw_string
            digits = sum(ch.isdigit() for ch in raw)
            looks_dialled = raw.lstrip("(").startswith(("0", "+"))
            if "/" in raw or not (phonenumbers.is_valid_number(match.number)
                                  or (looks_dialled and digits >= MIN_PHONE_DIGITS)):
                continue
            start = region.start() + match.start
            found.append(Span(start, start + len(raw), "[phone]", "phone number", "pattern"))
    found += _regex_spans(_UK_PHONE, text, "[phone]", "phone number")
    return found


def _address_spans(text: str, is_ordinary: Callable[[str], bool]) -> Iterator[Span]:
    for match in _ADDRESS.finditer(text):
        street = match.group("street").split()
        if match.group("suffix").lower().startswith(("court", "ct")) and all(
                word.lower().strip(".") in _COURT_WORDS for word in street):
            continue  # "3 Crown Court hearings" are not an address
        end = match.end()
        tail = match.group("tail")
        # A capitalised word after the street is a town ("12 Acacia Avenue, Leeds"), unless
        # it opens the next sentence ("12 Acacia Avenue, Then ...").
        if tail and not _POSTCODE.search(tail):
            town = tail.strip(" ,")
            if town.split()[0].lower() in _FUNCTION_WORDS:
                end = match.start("tail")
        yield Span(match.start(), end, "[address]", "street address", "pattern")


def _lower_address_spans(text: str) -> Iterator[Span]:
    for match in _LOWER_ADDRESS.finditer(text):
        words = match.group("street").split()
        if not any(word in _FUNCTION_WORDS or word in _NOT_STREET_WORDS for word in words):
            yield Span(match.start(), match.end(), "[address]", "street address", "pattern")


def _dob_spans(text: str) -> Iterator[Span]:
    for pattern in (_DOB_AFTER, _DOB_BEFORE):
        for match in pattern.finditer(text):
            yield Span(match.start("date"), match.end("date"), "[date of birth]", "date of birth", "pattern")


def _person_spans(text: str, is_ordinary: Callable[[str], bool]) -> Iterator[Span]:
    for pattern, token, reason in ((_RANKED, "[officer]", "officer named by rank"),
                                   (_TITLED, "[person]", "person named by title")):
        for match in pattern.finditer(text):
            end = _name_end(text, match.end(), is_ordinary)
            if end is None and not match.groupdict().get("collar"):
                continue  # a rank or title on its own names nobody
            yield Span(match.start(), end or match.end(), token, reason, "person")
    yield from _regex_spans(_TITLED_LOWER, text, "[person]", "person named by title", "person")


def _name_end(text: str, position: int, is_ordinary: Callable[[str], bool]) -> int | None:
    """Where the name after a title or rank ends: initials, then one or two capitalised words."""
    end: int | None = None
    initials = words = 0
    first_in_capitals = False
    while words < MAX_NAME_WORDS and (match := _FOLLOWING_WORD.match(text, position)):
        word = match.group(1).rstrip(".")
        position = match.end()
        if not word[:1].isupper():
            break
        if words == 0 and initials < MAX_INITIALS and all(len(p) == 1 for p in word.split(".")):
            initials += 1
            end = match.end()
            continue
        in_capitals = word.isupper() and len(word) > 1
        if words == 1 and in_capitals and (word.lower() in _FUNCTION_WORDS or (
                not first_in_capitals and is_ordinary(word))):
            break  # "PC Smith BWV", "MRS DOE WAS SEEN": an acronym or a plain word is not the name
        first_in_capitals = first_in_capitals or (words == 0 and in_capitals)
        words += 1
        possessive = 2 if word[-2:].lower() in ("'s", "’s") else 0
        end = match.start(1) + len(word) - possessive
    return end
