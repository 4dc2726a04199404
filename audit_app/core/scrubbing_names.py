"""Finding the names and references the audit holds in free text.

Built for a whole population: names and references go into dictionaries keyed by their
lower-case words, and the text is read word by word, so ten thousand cases cost no more
per note than ten (one big regular expression of every name would not).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from audit_app.core.scrubbing_dates import dates_in, held_date
from audit_app.core.scrubbing_patterns import RANK_WORDS, TITLE_WORDS, Span

MIN_PART_LENGTH = 3
MIN_SHORT_PART_LENGTH = 2  # "Li", "Wu", "Ng": matched only written as a name
MIN_NUMBER_LENGTH = 5  # a bare number shorter than this (an age, a count) is not matched alone
MAX_SEPARATOR = 4
_NOT_NAMES = TITLE_WORDS | RANK_WORDS
SHARED_ROLE = "shared"
PERSONAL_DATE_ROLE = "personal date"
ROLE_TOKENS = {"victim": "[victim]", "suspect": "[suspect]", "officer": "[officer]",
               PERSONAL_DATE_ROLE: "[date of birth]"}

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SEPARATOR = re.compile(r"[\s.,/\-–()]+")
_JOINER = re.compile(r"[ \t\-–]{1,3}|\s{1,3}[A-Z]\.?\s{1,3}")  # "Okonkwo-Adeyemi", "Jane M. Smith"
# What extracts write where they hold no name; matching it would blank ordinary words.
PLACEHOLDER_VALUES = frozenset({
    "n/a", "na", "nil", "none", "no", "yes", "unknown", "not known", "not recorded", "not stated",
    "not applicable", "not given", "refused", "withheld", "anonymous", "tbc", "other", "-",
})
_REFERENCE_CHUNK = re.compile(r"[^\s,;:=|!?()\[\]{}<>\"]+")
_CHUNK_EDGES = ".:!?'’"


def role_token(role: str) -> str:
    return ROLE_TOKENS.get(role, "[person]")


def role_reason(role: str) -> str:
    if role == "personal":
        return "personal detail held by the audit"
    if role == SHARED_ROLE:
        return "name held by the audit for more than one person"
    if role == PERSONAL_DATE_ROLE:
        return "date held by the audit in a personal column"
    return f"{role}'s name held by the audit"


ANY_CASE, CAPITALISED, TITLE_CASE = "any case", "capitalised", "title case"


@dataclass(frozen=True)
class _Part:
    role: str
    # How it must be written to count: an ordinary word ("Rose", "Smith") only capitalised,
    # a two-letter name ("Li", "Wu") only as "Li" (not "LI", an abbreviation, or "li").
    written: str
    initials: frozenset[str]  # "J. Smith": initials that may stand before this part


def _base(word: str) -> tuple[str, int]:
    """The word without a possessive ending, and how many characters that ending took."""
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2], 2
    return word, 0


class NameIndex:
    """Every name and personal value the audit holds, ready to find in text."""

    def __init__(self, names: Iterable[tuple[str, str]], is_ordinary: Callable[[str], bool]) -> None:
        self._sequences: dict[tuple[str, ...], str] = {}
        self._parts: dict[str, _Part] = {}
        self._dates: set[datetime.date] = set()
        self._is_ordinary = is_ordinary
        seen: set[tuple[str, str]] = set()
        for text, role in names:
            key = (" ".join(text.lower().split()), role)
            if key not in seen:  # an officer's name repeats on hundreds of cases
                seen.add(key)
                self._add(text, role)
        self._longest = max((len(key) for key in self._sequences), default=0)

    def _add(self, text: str, role: str) -> None:
        if " ".join(text.lower().split()) in PLACEHOLDER_VALUES:
            return
        if role == "personal" and (date := held_date(text)) is not None:
            self._dates.add(date)  # a date of birth held as 1990-05-01, noted as 1/5/90
            return
        if role == "personal" and "," in text:
            # "Flat 3, 14 High Street, Leeds": each line of an address is matched on its own too.
            for line in text.split(","):
                line_words = tuple(w.lower() for w in _TOKEN.findall(line))
                if len(line_words) >= 2 and not all(self._is_ordinary(w) for w in line_words):
                    self._sequences.setdefault(line_words, role)
        words = [_base(w)[0] for w in _TOKEN.findall(text)]
        if role != "personal":
            words = [w for w in words if w.lower() not in _NOT_NAMES and not w.isdigit()]
        lowered = [w.lower() for w in words]
        if not lowered:
            return
        if len(lowered) >= 2:
            for variant in _orderings(lowered, is_name=all(w.isalpha() for w in lowered)):
                self._sequences.setdefault(variant, role)
        letters = [w for w in lowered if w.isalpha()]
        initials = frozenset(w[0].upper() for w in letters)
        for word in lowered:
            self._add_part(word, role, initials, alone=len(lowered) == 1)

    def _add_part(self, word: str, role: str, initials: frozenset[str], *, alone: bool) -> None:
        if not word.replace("'", "").replace("’", "").isalpha():
            if alone and len(word) >= MIN_NUMBER_LENGTH:
                self._parts.setdefault(word, _Part(role, ANY_CASE, frozenset()))
            return
        ordinary = self._is_ordinary(word)
        if ordinary and role == "personal":
            return  # "Avenue" or "Female" alone identifies nobody; whole values are matched instead
        if len(word) < MIN_PART_LENGTH:
            if len(word) < MIN_SHORT_PART_LENGTH or ordinary or role == "personal":
                return
            written = TITLE_CASE
        else:
            written = CAPITALISED if ordinary else ANY_CASE
        known = self._parts.get(word)
        if known is None:
            self._parts[word] = _Part(role, written, initials)
        elif known.role != role or not initials <= known.initials:
            # "Smith" alone, when the victim and the suspect are both Smiths, names neither.
            shared = known.role if known.role == role else SHARED_ROLE
            self._parts[word] = _Part(shared, known.written, known.initials | initials)

    def spans(self, text: str) -> list[Span]:
        tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
        found: list[Span] = []
        index = 0
        while index < len(tokens):
            matched = self._sequence_at(text, tokens, index)
            if matched is not None:
                end_index, role = matched
                start = tokens[index][0]
                end = tokens[end_index][1] - _base(tokens[end_index][2])[1]
                found.append(Span(start, end, role_token(role), role_reason(role), "known"))
                index = end_index + 1
                continue
            span = self._part_at(text, tokens, index)
            if span is not None:
                found.append(span)
            index += 1
        if self._dates:
            token, reason = role_token(PERSONAL_DATE_ROLE), role_reason(PERSONAL_DATE_ROLE)
            found += [Span(start, end, token, reason, "known")
                      for start, end, dates in dates_in(text) if dates & self._dates]
            found.sort(key=lambda span: span.start)
        return _joined(text, found)

    def _sequence_at(self, text: str, tokens: list[tuple[int, int, str]],
                     index: int) -> tuple[int, str] | None:
        if not self._sequences:
            return None
        words = [_base(tokens[index][2])[0].lower()]
        best: tuple[int, str] | None = None
        for next_index in range(index + 1, min(len(tokens), index + self._longest)):
            separator = text[tokens[next_index - 1][1]:tokens[next_index][0]]
            if _base(tokens[next_index - 1][2])[1] or not _is_separator(separator):
                break
            words.append(_base(tokens[next_index][2])[0].lower())
            role = self._sequences.get(tuple(words))
            if role is not None:
                best = (next_index, role)
        return best

    def _part_at(self, text: str, tokens: list[tuple[int, int, str]], index: int) -> Span | None:
        start, end, word = tokens[index]
        base, suffix = _base(word)
        part = self._parts.get(base.lower())
        if part is None or not _written_as(base, part.written):
            return None
        if index > 0 and part.initials:
            before_start, before_end, before = tokens[index - 1]
            if before in part.initials and re.fullmatch(r"\.?\s+", text[before_end:start]):
                start = before_start
        return Span(start, end - suffix, role_token(part.role), role_reason(part.role), "known")


def _written_as(word: str, written: str) -> bool:
    if written == CAPITALISED:
        return word[:1].isupper()
    if written == TITLE_CASE:
        return word[:1].isupper() and word[1:].islower()
    return True


def _joined(text: str, spans: list[Span]) -> list[Span]:
    """Neighbouring parts of one person ("Okonkwo-Adeyemi", "Mary Smith") become one replacement."""
    joined: list[Span] = []
    for span in spans:
        previous = joined[-1] if joined else None
        if previous is not None and previous.token == span.token and _JOINER.fullmatch(
                text[previous.end:span.start]):
            joined[-1] = Span(previous.start, span.end, span.token, span.reason, span.kind)
        else:
            joined.append(span)
    return joined


def _is_separator(separator: str) -> bool:
    if len(separator) > MAX_SEPARATOR:
        return separator.isspace()  # "Jane" at a line's end and "Smith" on the next
    return bool(_SEPARATOR.fullmatch(separator))


def _orderings(words: list[str], *, is_name: bool) -> Iterator[tuple[str, ...]]:
    """The written forms of a name: "Jane Mary Smith", "Smith, Jane Mary", "Jane Smith", "Smith Jane"."""
    yield tuple(words)
    if not is_name:
        return
    first, last = words[0], words[-1]
    yield (last, *words[:-1])
    if len(words) > 2:
        yield (first, last)
        yield (last, first)


class ReferenceIndex:
    """Crime references, matched whole and in any case, each with what replaces it."""

    def __init__(self, references: Mapping[str, str]) -> None:
        self._plain: dict[str, str] = {}
        spaced: dict[str, str] = {}
        for reference, replacement in references.items():
            key = reference.strip().lower()
            if not key:
                continue
            if _REFERENCE_CHUNK.fullmatch(key) and key.strip(_CHUNK_EDGES) == key:
                self._plain.setdefault(key, replacement)
            else:
                spaced.setdefault(" ".join(key.split()), replacement)
        self._spaced = spaced
        self._spaced_re = None if not spaced else re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+")
                                     for k in sorted(spaced, key=len, reverse=True)) + r")(?!\w)",
            re.IGNORECASE)

    def spans(self, text: str) -> list[Span]:
        found: list[Span] = []
        if self._plain:
            for match in _REFERENCE_CHUNK.finditer(text):
                chunk = match.group(0)
                lead = len(chunk) - len(chunk.lstrip(_CHUNK_EDGES))
                core = chunk.strip(_CHUNK_EDGES)
                replacement = self._plain.get(core.lower()) or self._plain.get(_base(core)[0].lower())
                if replacement is not None:
                    start = match.start() + lead
                    length = len(core) if core.lower() in self._plain else len(_base(core)[0])
                    found.append(Span(start, start + length, replacement, "crime reference", "reference"))
        if self._spaced_re is not None:
            for match in self._spaced_re.finditer(text):
                replacement = self._spaced[" ".join(match.group(0).lower().split())]
                found.append(Span(match.start(), match.end(), replacement, "crime reference", "reference"))
        return found
