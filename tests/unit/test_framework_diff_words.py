"""How the diff view words each change, and how audits compare across the versions."""

from __future__ import annotations

from audit_app.core.answers import Answer
from audit_app.core.framework_diff import Rescaled, pairing_in_words, scale_change_words
from audit_app.core.version_mapping import VersionMapping

MAPPING = VersionMapping("x@1", "x@2", {"1.1": ("1.1", "Same measure."),
                                         "2.1": ("2.4", "Renumbered.")},
                         {"3.1": "Split in two."})


def test_each_kind_of_change_says_whether_audits_compare_it() -> None:
    assert pairing_in_words("1.1", "reworded", MAPPING) == "Compared: Same measure."
    assert pairing_in_words("3.1", "reworded", MAPPING) == "Not compared: Split in two."
    assert pairing_in_words("5.5", "reworded", MAPPING).startswith(
        "Not compared: the wording changed")
    assert pairing_in_words("5.5", "reworded", None).startswith("Not compared: the wording")
    assert pairing_in_words("2.4", "added", MAPPING) == (
        "Compared with earlier criterion 2.1: Renumbered.")
    assert pairing_in_words("9.9", "added", MAPPING) == "New: nothing earlier to compare with."
    assert pairing_in_words("2.1", "removed", MAPPING) == "Compared with criterion 2.4: Renumbered."
    assert pairing_in_words("8.8", "removed", None) == "Not compared: no longer asked."
    assert pairing_in_words("3.1", "rescaled", MAPPING) == "Compared: the question is the same."


def test_a_scale_change_names_the_answers_gained_and_lost() -> None:
    old = (Answer.MET, Answer.PARTLY_MET, Answer.NOT_MET, Answer.NOT_APPLICABLE)
    new = (Answer.MET, Answer.NOT_MET, Answer.NOT_IN_FILE)
    assert scale_change_words(Rescaled("5.4", old, new)) == (
        "Now also: Not in the file pack. No longer: Partly met, N/A.")
    assert scale_change_words(Rescaled("5.4", new, tuple(reversed(new)))) == (
        "Answers reordered: Not in the file pack, Not met, Met.")
