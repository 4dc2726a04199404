"""Stand-in for `core.scrubbing` and `core.release_check` until they land: known names and
references only, through the older `Redactor`. Same names and shapes, so switching is
one import in `services.release`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from audit_app.core.redaction import KnownName, Redactor


@dataclass(frozen=True)
class Replacement:
    found: str
    token: str
    reason: str


@dataclass(frozen=True)
class ScrubResult:
    text: str
    replacements: tuple[Replacement, ...]
    suspects: tuple[str, ...]


class Scrubber:
    def __init__(self, names: Iterable[KnownName], references: Mapping[str, str] | None = None,
                 *, known_words: frozenset[str] | None = None) -> None:
        self._names = list(names)
        self._references = dict(references or {})

    def scrub(self, text: str) -> ScrubResult:
        redactor = Redactor(self._names)
        redactor.replace_references(self._references)
        scrubbed = redactor(text)
        found = tuple(Replacement(word, "[name]", "name held by the audit")
                      for word in sorted(redactor.found))
        return ScrubResult(scrubbed, found, ())

    def __call__(self, text: str) -> str:
        return self.scrub(text).text


@dataclass(frozen=True)
class CheckedText:
    place: str
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
        return sum(1 for item in self.items if item.suspects)

    @property
    def counts_by_token(self) -> dict[str, int]:
        return dict(Counter(r.token for item in self.items for r in item.replacements))


@dataclass
class ReleaseCheckBuilder:
    scrubber: Scrubber
    items: list[CheckedText] = field(default_factory=list)

    def scrub(self, place: str, text: str) -> str:
        if not text or not text.strip():
            return text
        result = self.scrubber.scrub(text)
        self.items.append(CheckedText(place, text, result.text, result.replacements,
                                      result.suspects))
        return result.text

    def build(self) -> ReleaseCheck:
        return ReleaseCheck(tuple(self.items))


def release_report_rows(check: ReleaseCheck) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("Where", "Original text", "Text as released",
                                    "What was replaced", "Still looks personal")]
    for item in check.items:
        rows.append((item.place, item.original, item.scrubbed,
                     "; ".join(f"{r.found} → {r.token}" for r in item.replacements),
                     ", ".join(item.suspects)))
    return rows
