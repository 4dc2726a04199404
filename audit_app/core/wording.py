"""Small pieces of plain English shared by the screens, the command line and the workbook."""

from __future__ import annotations


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """"1 member", "2 members", "1,204 cases"; `plural_noun` where adding "s" is wrong
    ("1 person", "3 people")."""
    word = noun if count == 1 else (plural_noun or f"{noun}s")
    return f"{count:,} {word}"
