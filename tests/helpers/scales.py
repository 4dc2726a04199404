"""Answers each criterion of a shipped framework may take, for tests that generate edits."""

from __future__ import annotations

from functools import cache

from hypothesis import strategies as st

from audit_app.core.answers import Answer
from audit_app.services.frameworks import builtin_framework_files, read_framework_file


@cache
def shipped_answers(key: str) -> dict[str, tuple[Answer, ...]]:
    """Criterion code -> the answers on its own scale, in the current shipped version."""
    path = next(p for p in builtin_framework_files() if p.stem == key)
    framework = read_framework_file(path)
    return {c.code: c.answers(framework.scale) for c in framework.criteria}


def edits_on_scale(codes: list[str], notes: list[str | None], *, key: str = "da-nfa-review",
                   clear: bool = True) -> st.SearchStrategy[tuple[str, Answer | None, str | None]]:
    """One edit (code, answer or None to clear, note) whose answer the criterion may take."""
    def for_code(code: str) -> st.SearchStrategy[tuple[str, Answer | None, str | None]]:
        answers: list[Answer | None] = [*shipped_answers(key)[code], *([None] if clear else [])]
        return st.tuples(st.just(code), st.sampled_from(answers), st.sampled_from(notes))
    return st.sampled_from(codes).flatmap(for_code)
