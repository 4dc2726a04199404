"""Scrubbing free text before it reaches a partner: people, contacts, places and references.

`Scrubber` replaces, with a role token such as "[victim]" or "[phone]":
- every name and personal value the audit holds (whole, reordered "Smith, Jane", or one part
  alone when it is not an ordinary English word, or is written with a capital);
- people named by title or rank ("Mrs Bloggs", "DC 1234 Jones");
- phone numbers, email addresses, postcodes, street addresses, dates of birth next to a cue,
  National Insurance numbers, PNC ids and driving licence numbers;
- the population's crime references, with their pseudonym or "[reference]".
What it cannot be sure of it reports: capitalised words left that are neither ordinary English
nor policing terms ("suspects"), so a person can look before anything is released.

Pseudonyms live here too: an HMAC of the crime reference under a per-audit secret, so the same
case gets the same pseudonym in every export of that audit but nobody without the secret can
work back to the reference.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from audit_app.core.scrubbing_names import NameIndex, ReferenceIndex
from audit_app.core.scrubbing_patterns import Span, find_pattern_spans

_SUSPECT_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_PSEUDONYM = re.compile(r"CASE-[A-Z2-7]{8}")
_CODE_NEIGHBOURS = "0123456789/\\_@#"
_SENTENCE_OPENERS = " \t\"'“‘([{-–*•"
_SENTENCE_ENDS = ".!?:;\n\r"
_LOOK_BACK = 40  # characters: enough for one word and its spaces
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]{1,2}$")
# Winner of overlapping finds of equal width: the most specific reason ("[phone]" says
# more than "[person]" for a phone number held in a personal column).
_KIND_RANK = {"reference": 0, "known": 1, "pattern": 2, "person": 3, "known personal": 4}


def pseudonym(reference: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), reference.strip().encode(), hashlib.sha256).digest()
    return "CASE-" + base64.b32encode(digest).decode()[:8]


@dataclass(frozen=True)
class KnownName:
    """A value the audit holds in a personal column."""

    text: str
    role: str  # "victim", "suspect", "officer", "personal", ...


@dataclass(frozen=True)
class Replacement:
    found: str  # the exact text replaced (kept in memory for the release check only)
    token: str  # "[victim]", "[phone]", or the case's pseudonym
    reason: str  # plain English: "victim's name held by the audit", "phone number"


@dataclass(frozen=True)
class ScrubResult:
    text: str
    replacements: tuple[Replacement, ...]
    suspects: tuple[str, ...]  # words left that may be names nobody recognised


class Scrubber:
    """Replaces personal data in free text; build one per export and call it on every text.

    `known_words` is the vocabulary from `audit_app.io.word_lists.known_words()`: ordinary
    English and policing terms in lower case, plus capitalised entries for ordinary words that
    are also names ("Rose", "Mark"), reported when written capitalised mid-sentence. Without it,
    single name parts match only where capitalised and no word is reported as suspect.
    """

    def __init__(self, names: Iterable[KnownName], references: Mapping[str, str] | None = None, *,
                 known_words: frozenset[str] | None = None) -> None:
        self._known_words = known_words
        self._name_words = _capitalised(known_words or frozenset())
        self._names = NameIndex(((name.text, name.role) for name in names),
                                _ordinary_or(known_words, default=True))
        self._references = ReferenceIndex(references or {})
        self._is_ordinary = _ordinary_or(known_words, default=False)

    def __call__(self, text: str) -> str:
        return self.scrub(text).text

    def scrub(self, text: str) -> ScrubResult:
        if not text or text.isspace():
            return ScrubResult(text, (), ())
        spans = self._references.spans(text) + self._names.spans(text)
        spans += find_pattern_spans(text, is_ordinary=self._is_ordinary)
        pieces: list[str] = []
        replacements: list[Replacement] = []
        replaced: list[tuple[int, int]] = []
        position = 0
        for start, end, winner in _merge(spans):
            pieces += [text[position:start], winner.token]
            replacements.append(Replacement(text[start:end], winner.token, winner.reason))
            replaced.append((start, end))
            position = end
        pieces.append(text[position:])
        return ScrubResult("".join(pieces), tuple(replacements), self._suspects(text, replaced))

    def _suspects(self, text: str, replaced: list[tuple[int, int]]) -> tuple[str, ...]:
        if self._known_words is None:
            return ()
        found: dict[str, None] = {}
        cursor = 0
        for match in _SUSPECT_WORD.finditer(text):
            while cursor < len(replaced) and replaced[cursor][1] <= match.start():
                cursor += 1
            if cursor < len(replaced) and replaced[cursor][0] < match.end():
                continue  # inside something already replaced
            word = match.group(0)
            if self._is_suspect(text, match, word):
                found.setdefault(word, None)
        return tuple(found)

    def _is_suspect(self, text: str, match: re.Match[str], word: str) -> bool:
        if not word[0].isupper() or len(word) < 2 or (word.isupper() and len(word) < 3):
            return False
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before in _CODE_NEIGHBOURS or after in _CODE_NEIGHBOURS or (before == "[" and after == "]"):
            return False  # part of a code or reference, or a token from an earlier scrub
        if _PSEUDONYM.fullmatch(text, match.start(), min(len(text), match.start() + 13)):
            return False
        base = word[:-2] if word[-2:].lower() in ("'s", "’s") else word
        if self._is_ordinary(base):
            # "spoke to Rose": an ordinary word that is also a name, capitalised mid-sentence
            # and not the second word of a capitalised phrase ("the Town Hall").
            return base in self._name_words and not _opens_sentence(text, match.start()) and not (
                _in_capitalised_phrase(text, match.start()))
        if len(pieces := re.split(r"[-'’]", base)) == 1:
            return True
        return not all(self._is_ordinary(piece) or len(piece) < 2 for piece in pieces)


def _opens_sentence(text: str, position: int) -> bool:
    """Whether the word at `position` starts a sentence, a line, a quotation or a list item."""
    index = position - 1
    while index >= 0 and text[index] in _SENTENCE_OPENERS:
        index -= 1
    return index < 0 or text[index] in _SENTENCE_ENDS


def _in_capitalised_phrase(text: str, position: int) -> bool:
    """Whether the word at `position` follows a capitalised word that does not open a sentence."""
    before = _WORD_BEFORE.search(text, max(0, position - _LOOK_BACK), position)
    return before is not None and before.group(1)[0].isupper() and not _opens_sentence(text, before.start(1))


@lru_cache(maxsize=4)
def _capitalised(known_words: frozenset[str]) -> frozenset[str]:
    """The vocabulary's capitalised entries (ordinary words that are also names). Worked out
    once per vocabulary: going through its 65,000 words took 25 ms per scrubber."""
    return frozenset(word for word in known_words if word[:1].isupper())


def _ordinary_or(known_words: frozenset[str] | None, *, default: bool) -> Callable[[str], bool]:
    if known_words is None:
        return lambda word: default
    return lambda word: word.lower().replace("’", "'") in known_words


def _merge(spans: list[Span]) -> list[tuple[int, int, Span]]:
    """Overlapping finds become one replacement over their union, named by the best of them."""
    merged: list[tuple[int, int, Span]] = []
    cluster: list[Span] = []
    cluster_end = -1
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.end <= span.start:
            continue
        if cluster and span.start >= cluster_end:
            merged.append((cluster[0].start, cluster_end, _winner(cluster)))
            cluster = []
        cluster.append(span)
        cluster_end = max(cluster_end, span.end) if len(cluster) > 1 else span.end
    if cluster:
        merged.append((cluster[0].start, cluster_end, _winner(cluster)))
    return merged


def _rank(span: Span) -> int:
    if span.kind == "known" and span.token == "[person]":
        return _KIND_RANK["known personal"]
    return _KIND_RANK[span.kind]


def _winner(cluster: list[Span]) -> Span:
    references = [s for s in cluster if s.kind == "reference"]
    if references:
        return max(references, key=lambda s: s.end - s.start)
    winner = min(cluster, key=lambda s: (-(s.end - s.start), _rank(s)))
    if winner.kind == "person" and winner.token == "[person]":
        # "Mrs Jane Smith" where Jane Smith is the victim: say so, not just "a person".
        named = [s for s in cluster if s.kind == "known" and s.token != "[person]"]
        if named:
            return named[0]
    return winner

