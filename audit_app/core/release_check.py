"""The release check: every free text bound for a partner, what was taken out, what is doubtful.

The export scrubs through a `ReleaseCheckBuilder`, which remembers each text with where it
sits in the workbook. The resulting `ReleaseCheck` is what the chair reviews before a partner
copy is written, and `release_report_rows` lays it out as a table for a person to read.
The report stays on the laptop: it shows the original text, the partner copy never does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from audit_app.core.scrubbing import Replacement, Scrubber

REFERENCE_TOKEN = "[reference]"
REPORT_HEADINGS = ("Where", "Original text", "Text for partners", "What was replaced", "Still doubtful")


@dataclass(frozen=True)
class CheckedText:
    place: str  # plain English: "Answers sheet, note on criterion A3 for CASE-ABC123"
    original: str
    scrubbed: str
    replacements: tuple[Replacement, ...]
    suspects: tuple[str, ...]


@dataclass(frozen=True)
class ReleaseCheck:
    items: tuple[CheckedText, ...]

    @property
    def text_count(self) -> int:
        return len(self.items)

    @property
    def replacement_count(self) -> int:
        return sum(len(item.replacements) for item in self.items)

    @property
    def suspect_count(self) -> int:
        """How many texts still hold a word that may be a name."""
        return sum(1 for item in self.items if item.suspects)

    @property
    def suspect_words(self) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for item in self.items:
            found.update(dict.fromkeys(item.suspects))
        return tuple(found)

    @property
    def counts_by_token(self) -> dict[str, int]:
        """Replacements per token, most first; every pseudonym counts as "[reference]"."""
        counts = Counter(_kind_token(r.token) for item in self.items for r in item.replacements)
        return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


@dataclass
class ReleaseCheckBuilder:
    """Scrubs texts for the export and keeps a record of each for the release check."""

    scrubber: Scrubber
    _items: list[CheckedText] = field(default_factory=list, init=False, repr=False)

    def scrub(self, place: str, text: str) -> str:
        if not text or text.isspace():
            return text
        result = self.scrubber.scrub(text)
        self._items.append(CheckedText(place, text, result.text, result.replacements, result.suspects))
        return result.text

    def build(self) -> ReleaseCheck:
        return ReleaseCheck(tuple(self._items))


def release_report_rows(check: ReleaseCheck) -> list[tuple[str, ...]]:
    """The release report as a table: a heading row, then one row per text checked."""
    rows: list[tuple[str, ...]] = [REPORT_HEADINGS]
    for item in check.items:
        replaced = "; ".join(f"“{r.found}” became {r.token} ({r.reason})" for r in item.replacements)
        doubtful = ", ".join(item.suspects)
        rows.append((item.place, item.original, item.scrubbed, replaced or "Nothing", doubtful or "Nothing"))
    return rows


def release_summary(check: ReleaseCheck) -> str:
    """One plain sentence for a screen, the CLI or the Method sheet."""
    texts = _count(check.text_count, "text", "texts")
    replaced = _count(check.replacement_count, "replacement", "replacements")
    kinds = ", ".join(f"{count} {token}" for token, count in check.counts_by_token.items())
    summary = f"{texts} checked; {replaced}" + (f" ({kinds})" if kinds else "")
    if check.suspect_count:
        doubtful = _count(check.suspect_count, "text still holds", "texts still hold")
        return summary + f"; {doubtful} words that may be names."
    return summary + "; nothing left that looks like a name."


def _kind_token(token: str) -> str:
    return token if token.startswith("[") else REFERENCE_TOKEN


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
