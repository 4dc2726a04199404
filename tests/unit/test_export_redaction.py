"""Pseudonyms and name redaction for partner exports (pure functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.redaction import KnownName, Redactor, pseudonym


def test_pseudonyms_are_stable_per_secret_and_differ_between_secrets() -> None:
    assert pseudonym("DA/0001", "secret-a") == pseudonym(" DA/0001 ", "secret-a")
    assert pseudonym("DA/0001", "secret-a") != pseudonym("DA/0001", "secret-b")
    assert pseudonym("DA/0001", "secret-a") != pseudonym("DA/0002", "secret-a")
    assert pseudonym("DA/0001", "s").startswith("CASE-") and len(pseudonym("DA/0001", "s")) == 13


@given(st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=40, unique=True))
def test_distinct_references_get_distinct_pseudonyms(references: list[str]) -> None:
    stripped = {reference.strip() for reference in references}
    assert len({pseudonym(r, "k") for r in stripped}) == len(stripped)


def test_full_names_in_any_case_and_spacing_are_redacted() -> None:
    redact = Redactor([KnownName("Jane Smith", "victim"), KnownName("PC Will Lee", "officer")])
    text = redact("JANE  smith said PC Will Lee attended")
    assert text == "[victim] said [officer] attended"
    assert redact.found == {"JANE  smith", "PC Will Lee"}


def test_name_parts_only_where_capitalised_and_whole_words() -> None:
    redact = Redactor([KnownName("Will Rose", "suspect")])
    assert redact("Rose was seen; we will see the roses") == "[suspect] was seen; we will see the roses"
    assert redact("Annual review by Ann") == "Annual review by Ann"


def test_references_in_text_become_pseudonyms() -> None:
    redact = Redactor([])
    redact.replace_references({"DA/0001": "CASE-AAAA1111"})
    assert redact("see da/0001 and DA/00012") == "see CASE-AAAA1111 and DA/00012"


def test_nothing_known_changes_nothing() -> None:
    redact = Redactor([KnownName("Al", "victim")])  # too short to match safely
    assert redact("Al went home") == "Al went home"
    assert redact("") == ""
