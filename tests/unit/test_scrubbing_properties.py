"""Property tests for the scrubber: random personal data in random ordinary sentences never survives,
and ordinary sentences come back untouched."""

from __future__ import annotations

import datetime
import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.scrubbing import KnownName, Scrubber
from audit_app.core.scrubbing_patterns import RANK_WORDS, TITLE_WORDS
from audit_app.io.word_lists import known_words

WORDS = known_words()
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)

# Ordinary words from case notes, including some that are also names elsewhere (rose, will, mark).
ORDINARY_TEXT = (
    "the victim was seen by officers at home and said she did not support a prosecution after the "
    "incident officer recorded injuries took photographs spoke to neighbours reviewed footage of "
    "call made referral for risk assessment supervisor agreed decision rose early will mark "
    "file shows no evidence that children were present later withdrew statement because afraid "
    "arrest made within hours interview under caution bail conditions set review needed"
)
ORDINARY_WORDS = tuple(ORDINARY_TEXT.split())
SUFFIXES = ("Road", "Street", "Avenue", "Lane", "Close", "Drive", "Way", "Court", "Crescent", "Place",
            "Gardens", "Terrace", "Grove", "Hill", "Park", "Square", "Walk", "Mews", "Row", "Rd", "St")
LOWER_CASE_SUFFIXES = ("Road", "Street", "Avenue", "Lane", "Close", "Drive", "Way", "Crescent", "Gardens",
                       "Terrace", "Grove", "Mews")
MONTHS = ("January", "Feb", "March", "Apr", "May", "June", "Jul", "August", "Sept", "October", "Nov",
          "December")


def _strange_word(min_size: int = 4) -> st.SearchStrategy[str]:
    """A capitalised word of random letters that is not English, a policing term, a title or a rank."""
    return st.text(alphabet=string.ascii_lowercase, min_size=min_size, max_size=9).filter(
        lambda w: w not in WORDS and w not in TITLE_WORDS | RANK_WORDS).map(str.capitalize)


sentences = st.lists(st.sampled_from(ORDINARY_WORDS), min_size=1, max_size=14)


@st.composite
def inserted(draw: st.DrawFn, secret: str) -> str:
    """An ordinary sentence with `secret` somewhere in it."""
    words = draw(sentences)
    at = draw(st.integers(0, len(words)))
    text = " ".join([*words[:at], secret, *words[at:]])
    return text[0].upper() + text[1:] + draw(st.sampled_from((".", "", "!", "?", ";")))


def _survives(secret_word: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(secret_word)}(?![A-Za-z])", text, re.IGNORECASE) is not None


@st.composite
def written_names(draw: st.DrawFn) -> tuple[str, str, str]:
    forename, surname = draw(_strange_word(3)), draw(_strange_word(3))
    forms = (f"{forename} {surname}", f"{surname}, {forename}", f"{surname.upper()} {forename}",
             f"{forename.lower()}  {surname.lower()}", f"{surname}'s", surname, forename, surname.upper(),
             surname.lower(), f"{forename[0]}. {surname}", f"{forename} {surname}'s")
    return forename, surname, draw(st.sampled_from(forms))


@SETTINGS
@given(written_names(), st.sampled_from(["victim", "suspect", "officer", "personal"]), st.data())
def test_names_the_audit_holds_never_survive(name: tuple[str, str, str], role: str,
                                             data: st.DataObject) -> None:
    forename, surname, written = name
    text = data.draw(inserted(written))
    scrubbed = Scrubber([KnownName(f"{forename} {surname}", role)], known_words=WORDS)(text)
    assert not _survives(surname, scrubbed) and not _survives(forename, scrubbed), scrubbed


@st.composite
def titled_names(draw: st.DrawFn) -> tuple[str, str]:
    title = draw(st.sampled_from(("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "DC", "PC", "DS", "DI", "DCI",
                                  "Sgt", "Insp", "Supt", "PS", "PCSO", "Det Con", "Mr.", "Dr.")))
    surname = draw(_strange_word())
    middle = draw(st.sampled_from(("", "J. ", "A B ", f"{draw(_strange_word())} ")))
    collar = draw(st.sampled_from(("", "1234 "))) if title in ("PC", "DC", "PS", "PCSO") else ""
    return surname, f"{title} {collar}{middle}{surname}"


@SETTINGS
@given(titled_names(), st.data())
def test_people_named_by_title_or_rank_never_survive(name: tuple[str, str], data: st.DataObject) -> None:
    surname, written = name
    scrubbed = Scrubber([], known_words=WORDS)(data.draw(inserted(written)))
    assert not _survives(surname, scrubbed), scrubbed


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    digits = draw(st.text(alphabet=string.digits, min_size=9, max_size=9))
    mobile = "7" + digits
    area = draw(st.sampled_from(("113", "161", "121", "1632", "1904", "20")))
    rest = "".join(draw(st.text(alphabet=string.digits, min_size=10 - len(area), max_size=10 - len(area))))
    landline = area + rest
    return draw(st.sampled_from((
        f"0{mobile[:4]} {mobile[4:]}", f"0{mobile}", f"+44 {mobile[:4]} {mobile[4:]}", f"+44{mobile}",
        f"0{mobile[:4]}-{mobile[4:7]}-{mobile[7:]}", f"(0{mobile[:4]}) {mobile[4:]}",
        f"0{landline[:len(area)]} {landline[len(area):len(area) + 3]} {landline[len(area) + 3:]}",
        f"(0{landline[:len(area)]}) {landline[len(area):]}", f"0{landline}",
        f"+44 (0){landline[:len(area)]} {landline[len(area):]}",
    )))


@SETTINGS
@given(phone_numbers(), st.data())
def test_phone_numbers_never_survive(phone: str, data: st.DataObject) -> None:
    scrubbed = Scrubber([], known_words=WORDS)(data.draw(inserted(phone)))
    assert not re.search(r"\d", scrubbed), scrubbed


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    letters = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=1)
    area = draw(letters) + draw(st.sampled_from(("", *string.ascii_uppercase)))
    if draw(st.booleans()):
        district = str(draw(st.integers(1, 99)))
    else:
        district = f"{draw(st.integers(1, 9))}{draw(letters)}"
    inward = f"{draw(st.integers(0, 9))}{draw(letters)}{draw(letters)}"
    outward = area + district
    written = draw(st.sampled_from((f"{outward} {inward}", f"{outward}{inward}")))
    return draw(st.sampled_from((written, written.lower())))


@SETTINGS
@given(postcodes(), st.data())
def test_postcodes_never_survive(postcode: str, data: st.DataObject) -> None:
    scrubbed = Scrubber([], known_words=WORDS)(data.draw(inserted(postcode)))
    assert not re.search(r"\d", scrubbed), scrubbed


@st.composite
def addresses(draw: st.DrawFn) -> tuple[list[str], str]:
    street = draw(st.lists(_strange_word(), min_size=1, max_size=2))
    number = f"{draw(st.integers(1, 999))}{draw(st.sampled_from(('', 'a', 'B')))}"
    flat = draw(st.sampled_from(("", f"Flat {draw(st.integers(1, 40))}, ")))
    town = draw(_strange_word())
    tail = draw(st.sampled_from(("", f", {town}", f", {town} LS1 4AB", " M1 1AE")))
    suffix = draw(st.sampled_from(SUFFIXES))
    written = f"{flat}{number} {' '.join(street)} {suffix}{tail}"
    if suffix in LOWER_CASE_SUFFIXES and not tail and not flat and draw(st.booleans()):
        written = written.lower()  # typed in lower case: the common street kinds only
    return [*street, *([town] if town in tail else [])], written


@SETTINGS
@given(addresses(), st.data())
def test_street_addresses_never_survive(address: tuple[list[str], str], data: st.DataObject) -> None:
    secret_words, written = address
    scrubbed = Scrubber([], known_words=WORDS)(data.draw(inserted(written)))
    assert not re.search(r"\d", scrubbed), scrubbed
    assert not any(_survives(word, scrubbed) for word in secret_words), scrubbed


@st.composite
def dates_of_birth(draw: st.DrawFn) -> str:
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(1930, 2020))
    date = draw(st.sampled_from((
        f"{day:02d}/{month:02d}/{year}", f"{day}/{month}/{year % 100:02d}", f"{day}.{month}.{year}",
        f"{year}-{month:02d}-{day:02d}", f"{day} {MONTHS[month - 1]} {year}",
        f"{day}th of {MONTHS[month - 1]} {year}", f"{MONTHS[month - 1]} {day}, {year}")))
    cue = draw(st.sampled_from(("DOB", "DOB:", "dob", "D.O.B.", "D.O.B", "date of birth", "Date of Birth:",
                                "born", "born on", "Born")))
    return f"{cue} {date}"


@SETTINGS
@given(dates_of_birth(), st.data())
def test_dates_of_birth_never_survive(date_of_birth: str, data: st.DataObject) -> None:
    scrubbed = Scrubber([], known_words=WORDS)(data.draw(inserted(date_of_birth)))
    assert not re.search(r"\d", scrubbed), scrubbed
    assert "[date of birth]" in scrubbed


@SETTINGS
@given(st.lists(written_names(), max_size=4), inserted(""))
def test_ordinary_sentences_come_back_untouched(names: list[tuple[str, str, str]], sentence: str) -> None:
    sentence = " ".join(sentence.split())
    scrubber = Scrubber([KnownName(f"{f} {s}", "victim") for f, s, _ in names], {"DA/0001": "[reference]"},
                        known_words=WORDS)
    result = scrubber.scrub(sentence)
    assert result.text == sentence
    assert result.replacements == () and result.suspects == ()


@SETTINGS
@given(_strange_word(3), st.booleans(), st.data())
def test_a_name_nobody_told_us_about_is_reported(word: str, in_capitals: bool, data: st.DataObject) -> None:
    written = word.upper() if in_capitals else word
    result = Scrubber([], known_words=WORDS).scrub(data.draw(inserted(written)))
    assert written in result.suspects


@st.composite
def mixed_notes(draw: st.DrawFn) -> tuple[list[str], list[str], str]:
    """A note mixing a held name, a phone, an address, a postcode and a date of birth."""
    forename, surname, written = draw(written_names())
    secret_words, address = draw(addresses())
    pieces = [written, draw(phone_numbers()), address, draw(postcodes()), draw(dates_of_birth())]
    order = draw(st.permutations(pieces))
    joiners = draw(st.lists(st.sampled_from((" and ", ", ", "; ", " then ", " (", ") ", ". ")),
                            min_size=len(order), max_size=len(order)))
    text = "".join(f"{piece}{joiner}" for piece, joiner in zip(order, joiners, strict=True))
    return [f"{forename} {surname}"], [forename, surname, *secret_words], draw(inserted(text))


@SETTINGS
@given(mixed_notes())
def test_a_note_full_of_personal_data_keeps_none_and_scrubs_to_itself(
        note: tuple[list[str], list[str], str]) -> None:
    held, secret_words, text = note
    scrubber = Scrubber([KnownName(name, "victim") for name in held], known_words=WORDS)
    result = scrubber.scrub(text)
    assert not re.search(r"\d", result.text), result.text
    assert not any(_survives(word, result.text) for word in secret_words), result.text
    assert scrubber(result.text) == result.text
    assert all(replacement.found in text for replacement in result.replacements)


@st.composite
def crime_references(draw: st.DrawFn) -> str:
    letters = draw(st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=3))
    number = draw(st.integers(1, 9_999_999))
    year = draw(st.integers(0, 99))
    return draw(st.sampled_from((f"{letters}/{number:05d}/{year:02d}", f"{year:02d}/{number}/{year:02d}",
                                 f"{letters}-{number:07d}", f"{letters}{number}", f"{number:08d}")))


@SETTINGS
@given(st.lists(crime_references(), min_size=1, max_size=5, unique_by=str.lower), st.data())
def test_crime_references_never_survive(references: list[str], data: st.DataObject) -> None:
    mentioned = data.draw(st.sampled_from(references))
    written = data.draw(st.sampled_from((mentioned, mentioned.lower(), f"({mentioned})", f"ref:{mentioned}",
                                         f"{mentioned}.", f"{mentioned}'s")))
    scrubber = Scrubber([], {reference: f"[reference {n}]" for n, reference in enumerate(references)},
                        known_words=WORDS)
    scrubbed = scrubber(data.draw(inserted(written)))
    assert mentioned.lower() not in scrubbed.lower(), scrubbed
    assert f"[reference {references.index(mentioned)}]" in scrubbed


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=200), st.lists(st.text(max_size=20), max_size=3))
def test_any_text_scrubs_without_error_and_the_replacements_account_for_every_change(
        text: str, held: list[str]) -> None:
    scrubber = Scrubber([KnownName(name, "victim") for name in held], {"DA/1": "[reference]"},
                        known_words=WORDS)
    result = scrubber.scrub(text)
    position = 0
    for replacement in result.replacements:  # in the order they stand in the text
        position = text.find(replacement.found, position)
        assert position >= 0, replacement
        position += len(replacement.found)
    assert len(result.text) == len(text) + sum(len(r.token) - len(r.found) for r in result.replacements)
    if not result.replacements:
        assert result.text == text
    assert all(suspect in text for suspect in result.suspects)


@SETTINGS
@given(st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2020, 12, 31)),
       st.sampled_from(("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d 00:00:00")), st.data())
def test_a_date_held_in_a_personal_column_never_survives_in_any_spelling(
        held: datetime.date, stored_as: str, data: st.DataObject) -> None:
    month = held.strftime("%B")
    written = data.draw(st.sampled_from((
        f"{held.day}/{held.month}/{held.year}", f"{held:%d/%m/%y}", f"{held:%d.%m.%Y}", f"{held:%Y-%m-%d}",
        f"{held.day} {month} {held.year}", f"{held.day} {month[:3]} {held.year}",
        f"{month} {held.day}, {held.year}", f"{held.day}th of {month} {held.year}")))
    other = held + datetime.timedelta(days=data.draw(st.integers(1, 400)))
    scrubber = Scrubber([KnownName(held.strftime(stored_as), "personal")], known_words=WORDS)
    scrubbed = scrubber(data.draw(inserted(f"{written} not {other:%d/%m/%Y}")))
    assert "[date of birth]" in scrubbed
    assert not re.search(r"\d", scrubbed.replace(f"{other:%d/%m/%Y}", "")), scrubbed
    assert f"{other:%d/%m/%Y}" in scrubbed
