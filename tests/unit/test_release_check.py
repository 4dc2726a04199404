"""The release check: what the export scrubbed, counted, and laid out for the chair to read."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.release_check import (
    REPORT_HEADINGS,
    CheckedText,
    ReleaseCheck,
    ReleaseCheckBuilder,
    release_report_rows,
    release_summary,
)
from audit_app.core.scrubbing import KnownName, Replacement, Scrubber
from audit_app.io.word_lists import known_words

WORDS = known_words()


def _builder() -> ReleaseCheckBuilder:
    scrubber = Scrubber([KnownName("Jane Smith", "victim"), KnownName("Ali Qorvath", "suspect")],
                        {"DA/0001": "CASE-AAAA1111", "DA/0002": "CASE-BBBB2222"}, known_words=WORDS)
    return ReleaseCheckBuilder(scrubber)


def test_the_builder_scrubs_and_remembers_every_text_with_its_place() -> None:
    builder = _builder()
    assert builder.scrub("Answers sheet, note on criterion A3 for CASE-AAAA1111",
                         "Jane Smith rang 07700 900123") == "[victim] rang [phone]"
    assert builder.scrub("Learning sheet, learning point 2", "Qorvath seen by Zephyrine") == (
        "[suspect] seen by Zephyrine")
    assert builder.scrub("Cases sheet, comment for CASE-BBBB2222", "DASH done") == "DASH done"
    assert builder.scrub("Cases sheet, comment for CASE-AAAA1111", "   ") == "   "
    check = builder.build()
    assert [item.place for item in check.items] == [
        "Answers sheet, note on criterion A3 for CASE-AAAA1111",
        "Learning sheet, learning point 2",
        "Cases sheet, comment for CASE-BBBB2222",
    ]
    assert check.items[0] == CheckedText(
        "Answers sheet, note on criterion A3 for CASE-AAAA1111", "Jane Smith rang 07700 900123",
        "[victim] rang [phone]",
        (Replacement("Jane Smith", "[victim]", "victim's name held by the audit"),
         Replacement("07700 900123", "[phone]", "phone number")), ())
    assert check.text_count == 3
    assert check.replacement_count == 3
    assert check.suspect_count == 1
    assert check.suspect_words == ("Zephyrine",)


def test_pseudonyms_are_counted_together_as_references() -> None:
    builder = _builder()
    builder.scrub("Method sheet", "see DA/0001 and DA/0002, and Jane Smith's note on DA/0001")
    assert builder.build().counts_by_token == {"[reference]": 3, "[victim]": 1}


def test_the_report_shows_originals_and_what_became_of_them() -> None:
    builder = _builder()
    builder.scrub("Findings sheet, learning point 1", "Jane Smith and Zephyrine")
    builder.scrub("Findings sheet, learning point 2", "No concerns.")
    rows = release_report_rows(builder.build())
    assert rows[0] == REPORT_HEADINGS
    assert rows[1] == ("Findings sheet, learning point 1", "Jane Smith and Zephyrine",
                       "[victim] and Zephyrine",
                       "“Jane Smith” became [victim] (victim's name held by the audit)", "Zephyrine")
    assert rows[2] == ("Findings sheet, learning point 2", "No concerns.", "No concerns.",
                       "Nothing", "Nothing")
    for heading in REPORT_HEADINGS:
        assert "_" not in heading and heading[0].isupper()


def test_the_summary_is_one_plain_sentence() -> None:
    builder = _builder()
    builder.scrub("a", "Jane Smith rang 07700 900123 and 07700 900124")
    builder.scrub("b", "Zephyrine was there")
    assert release_summary(builder.build()) == (
        "2 texts checked; 3 replacements (2 [phone], 1 [victim]); "
        "1 text still holds words that may be names.")
    assert release_summary(ReleaseCheck(())) == (
        "0 texts checked; 0 replacements; nothing left that looks like a name.")


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=60)), max_size=12))
def test_counts_agree_with_the_items_and_the_report(entries: list[tuple[str, str]]) -> None:
    builder = _builder()
    outputs = [builder.scrub(place, text) for place, text in entries]
    check = builder.build()
    kept = [(place, text) for place, text in entries if text and not text.isspace()]
    assert check.text_count == len(kept)
    assert [(item.place, item.original) for item in check.items] == kept
    assert [item.scrubbed for item in check.items] == [o for o, (_, t) in zip(outputs, entries, strict=True)
                                                       if t and not t.isspace()]
    assert sum(check.counts_by_token.values()) == check.replacement_count
    assert check.suspect_count == sum(1 for item in check.items if item.suspects)
    assert len(release_report_rows(check)) == check.text_count + 1
