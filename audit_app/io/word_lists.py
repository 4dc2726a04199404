"""The shipped vocabularies the scrubber judges words by: ordinary English, policing terms, and
ordinary words that are also names.

Both lists live in `resources/privacy/` (see its README for where the English list comes from)
and are read once per process; the scrubber takes their union as `known_words`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ENGLISH_WORDS_FILE = "english-words.txt"
POLICING_TERMS_FILE = "policing-terms.txt"
NAME_WORDS_FILE = "name-words.txt"


def privacy_resources_dir() -> Path:
    from audit_app.paths import resources_dir  # paths sits beside the layers; read lazily

    return resources_dir() / "privacy"


@cache
def english_words() -> frozenset[str]:
    """Lower-case ordinary English words (no proper nouns)."""
    # The file is already one clean lower-case word a line: a plain split keeps loading quick.
    return frozenset((privacy_resources_dir() / ENGLISH_WORDS_FILE).read_text(encoding="utf-8").split())


@cache
def policing_terms() -> frozenset[str]:
    """Lower-case policing and criminal justice terms, days, months and the like."""
    return _read_words(privacy_resources_dir() / POLICING_TERMS_FILE)


@cache
def name_words() -> frozenset[str]:
    """Capitalised words that are ordinary in lower case but also names: "Rose", "Mark", "Brown"."""
    return frozenset((privacy_resources_dir() / NAME_WORDS_FILE).read_text(encoding="utf-8").split())


@cache
def known_words() -> frozenset[str]:
    """The scrubber's vocabulary: ordinary words and policing terms in lower case, plus the
    capitalised name words, which it reports when they appear capitalised mid-sentence."""
    return english_words() | policing_terms() | name_words()


def _read_words(path: Path) -> frozenset[str]:
    text = path.read_text(encoding="utf-8")
    return frozenset(
        stripped.lower() for line in text.splitlines()
        if (stripped := line.strip()) and not stripped.startswith("#")
    )
