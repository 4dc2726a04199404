"""The shipped vocabularies the scrubber judges words by: ordinary English and policing terms.

Both lists live in `resources/privacy/` (see its README for where the English list comes from)
and are read once per process; the scrubber takes their union as `known_words`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ENGLISH_WORDS_FILE = "english-words.txt"
POLICING_TERMS_FILE = "policing-terms.txt"


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
def known_words() -> frozenset[str]:
    """Every word the scrubber should not report as a possible name."""
    return english_words() | policing_terms()


def _read_words(path: Path) -> frozenset[str]:
    text = path.read_text(encoding="utf-8")
    return frozenset(
        stripped.lower() for line in text.splitlines()
        if (stripped := line.strip()) and not stripped.startswith("#")
    )
