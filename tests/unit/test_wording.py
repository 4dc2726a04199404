"""Counts in plain English: "1 member", "2 members", never "member(s)"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.wording import plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert plural(1, "member") == "1 member"
    assert plural(2, "member") == "2 members"
    assert plural(0, "disagreement") == "0 disagreements"
    assert plural(1204, "case") == "1,204 cases"
    assert plural(1, "person", "people") == "1 person"
    assert plural(3, "person", "people") == "3 people"


@given(st.integers(min_value=0, max_value=10**7))
def test_never_writes_an_optional_s(count: int) -> None:
    text = plural(count, "case")
    assert "(s)" not in text
    assert text.endswith("case" if count == 1 else "cases")
    assert text.replace(",", "").startswith(str(count))
