"""The first name redactor, kept until the export uses `audit_app.core.scrubbing.Scrubber`.

`pseudonym` and `KnownName` now live in `audit_app.core.scrubbing`; they are re-exported here.
`Redactor` finds only the victim, suspect and officer names the import holds: full names in
any case, single name parts only where capitalised. Use `Scrubber` for anything new.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from audit_app.core.scrubbing import KnownName, pseudonym

MIN_PART_LENGTH = 3

__all__ = ["KnownName", "Redactor", "pseudonym"]


@dataclass
class Redactor:
    """Replaces known names in free text with a role placeholder and remembers what it found."""

    names: Iterable[KnownName]
    replacements: dict[str, str] = field(default_factory=dict)  # exact text -> replacement
    found: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        whole: dict[str, str] = {}
        parts: dict[str, str] = {}
        for name in self.names:
            cleaned = " ".join(name.text.split())
            if len(cleaned) < MIN_PART_LENGTH:
                continue
            whole.setdefault(cleaned.lower(), f"[{name.role}]")
            for part in re.split(r"[\s,]+", cleaned):
                if len(part) >= MIN_PART_LENGTH and part[:1].isupper():
                    parts.setdefault(part, f"[{name.role}]")
        self._whole = whole
        self._parts = parts
        self._whole_re = _alternation(whole, re.IGNORECASE)
        self._parts_re = _alternation(parts, 0)
        self._references: dict[str, str] = {}
        self._references_re: re.Pattern[str] | None = None

    def replace_references(self, mapping: dict[str, str]) -> None:
        """Also swap crime references for their pseudonyms wherever text mentions them."""
        self._references = dict(mapping)
        self._references_re = _alternation(self._references, re.IGNORECASE)

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self._whole_re is not None:
            text = self._whole_re.sub(lambda m: self._swap(m, self._whole[_squash(m.group(0)).lower()]),
                                      text)
        if self._parts_re is not None:
            text = self._parts_re.sub(lambda m: self._swap(m, self._parts[m.group(0)]), text)
        if self._references_re is not None:
            lowered = {k.lower(): v for k, v in self._references.items()}
            text = self._references_re.sub(lambda m: lowered[m.group(0).lower()], text)
        return text

    def _swap(self, match: re.Match[str], replacement: str) -> str:
        self.found.add(match.group(0))
        return replacement


def _squash(text: str) -> str:
    return " ".join(text.split())


def _alternation(words: dict[str, str], flags: int) -> re.Pattern[str] | None:
    if not words:
        return None
    # Longest first so "Jane Smith" wins over "Jane"; word boundaries keep "Ann" out of "Annual".
    ordered = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags)
