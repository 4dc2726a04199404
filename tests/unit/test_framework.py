"""Framework definitions: checking, clear errors for bad files, and the file round trip."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.core.answers import CLASSIC_SCALE, Answer
from audit_app.core.errors import InvalidFileError, ValidationError
from audit_app.core.framework import Criterion, Framework, Section, framework_from_dict, framework_to_dict
from audit_app.core.framework_fields import FILE_PACK_LABELS, Role, Source
from audit_app.services.frameworks import read_framework_file

GOOD: dict[str, Any] = {
    "id": "test-review", "version": 2, "title": "Test review",
    "sections": [{"code": "1", "title": "First", "criteria": [
        {"code": "1.1", "question": "Was it done?", "guidance": "Met: yes.\nNot met: no.",
         "source": "A code"},
        {"code": "1.2", "question": "Was the MARAC told?", "applies_when": "risk_level == 'high'",
         "note_required_for": ["partly_met", "not_met"]},
    ]}],
}


def _bad(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(GOOD)
    raw.update(changes)
    return raw


def _criterion(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(GOOD)
    raw["sections"][0]["criteria"][0].update(changes)
    return raw


def test_good_definition_builds() -> None:
    framework = framework_from_dict(GOOD)
    assert [c.code for c in framework.criteria] == ["1.1", "1.2"]
    assert framework.criterion("1.1").guidance == "Met: yes.\nNot met: no."  # line breaks kept
    assert framework.criterion("1.1").note_required_for == (Answer.NOT_MET, Answer.NOT_EVIDENCED)
    assert framework.criterion("1.2").needs_note(Answer.PARTLY_MET)
    assert framework.section_of("1.2").title == "First"
    assert not framework.criterion("1.2").applies_to({"risk_level": "standard"})


@pytest.mark.parametrize(("raw", "message"), [
    ([1, 2], "must be a mapping"),
    (_bad(id="Bad Id"), "must be lower-case letters"),
    (_bad(version="two"), "version must be a whole number"),
    (_bad(version=0), "version must be 1 or more"),
    (_bad(title=""), "'title' is missing"),
    (_bad(scale=["met", "na"]), "must include Met and Not met"),
    (_bad(scale=["met", "not_met", "maybe"]), "'maybe' is not an answer"),
    (_bad(sections=[]), "has no sections"),
    (_bad(sections=[{"code": "1", "title": "Empty", "criteria": []}]), "('Empty') has no criteria"),
    (_bad(sections=["text"]), "section 1: must be a mapping"),
    (_criterion(question=""), "Criterion 1.1: 'question' is missing"),
    (_criterion(code=""), "section 1, criterion 1: 'code' is missing"),
    (_criterion(code="1.2"), "criterion code '1.2' is used twice"),
    (_criterion(applies_when="risk_level =="), "Criterion 1.1: applies_when: The condition ends too soon"),
    (_criterion(applies_when="victim_name == 'x' or colour == 'red'"), "Unknown field 'colour'"),
    (_criterion(note_required_for=["sometimes"]), "'sometimes' is not an answer"),
    (_criterion(note_required_for={"a": 1}), "expected a list of answers"),
    (_criterion(applies_whn="outcome_code == 16"), "unknown key(s) applies_whn"),
    (_criterion(question=["a", "list"]), "'question' must be text"),
    (_criterion(scale=["met", "partly_met"]), "Criterion 1.1: its scale must include Met and Not met"),
    (_criterion(scale=["met", "not_met", "maybe"]), "'maybe' is not an answer"),
    (_bad(scale=["met", "not_met", "na"]) | {"sections": [{"code": "1", "title": "S", "criteria": [
        {"code": "1.1", "question": "Q?", "scale": ["met", "not_met", "partly_met"],
         "note_required_for": ["not_met"]}]}]},
     "its scale names answers the framework's scale does not have: Partly met"),
    (_criterion(scale=["met", "not_met"], note_required_for=["partly_met"]),
     "note_required_for names answers not on the scale: Partly met"),
    (_criterion(scale=["met", "not_met"], note_required_for=[], applies_when="arrested == true"),
     "Criterion 1.1: it applies only to some cases, so its scale must include N/A"),
    (_criterion(answered_by="judge"), "answered_by must be one of any, police, cps (not 'judge')"),
    (_criterion(file_pack=["incident_log", "diary"]), "file_pack names 'diary', which is not a known"),
    (_criterion(file_pack=["dash_form", "dash_form"]), "file_pack names 'dash_form' twice"),
    (_criterion(file_pack={"a": 1}), "file_pack must be a list of documents"),
    (_criterion(source={"document": "Victims' Code"}), "the source must say where in the document"),
    (_criterion(source={"where": "Right 6"}), "the source must name its document"),
    (_criterion(source={"document": "D", "where": "W", "page": 3}), "unknown part(s) page"),
    (_criterion(source=["a", "b"]), "give one source"),
])
def test_bad_definitions_say_where_and_why(raw: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        framework_from_dict(raw)
    assert message in str(caught.value)


def test_new_fields_build_and_read_back() -> None:
    raw = _criterion(scale=["not_met", "met", "not_evidenced"], answered_by="CPS or legal member",
                     file_pack=["dash_form", "victim_contact_log"],
                     source={"document": "Victims' Code (2020 edition)", "where": "Right 6",
                             "quote": "  told   within one day "})
    crit = framework_from_dict(raw).criterion("1.1")
    assert crit.scale == (Answer.MET, Answer.NOT_MET, Answer.NOT_EVIDENCED)  # scale order
    assert crit.answered_by is Role.CPS and crit.answered_by.label == "A CPS or legal member"
    assert crit.file_pack_labels() == ["DASH risk assessment", "Victim contact log"]
    assert crit.source == Source("Victims' Code (2020 edition)", "Right 6", "told within one day")
    assert str(crit.source) == "Victims' Code (2020 edition), Right 6: “told within one day”"
    # The framework's default note answers, less any this criterion cannot take.
    assert crit.note_required_for == (Answer.NOT_MET, Answer.NOT_EVIDENCED)
    other = framework_from_dict(raw).criterion("1.2")
    assert other.scale == () and other.answers(tuple(Answer)) == tuple(Answer)
    assert other.answered_by is Role.ANY and other.file_pack == ()
    assert framework_from_dict(framework_to_dict(framework_from_dict(raw))) == framework_from_dict(raw)


def test_a_plain_text_source_stays_plain_text() -> None:
    """Earlier versions give a source as one line; it reads and writes back as one line."""
    framework = framework_from_dict(GOOD)
    assert framework.criterion("1.1").source == Source("A code")
    assert str(framework.criterion("1.1").source) == "A code"
    assert not framework.criterion("1.2").source
    written = framework_to_dict(framework)["sections"][0]["criteria"]
    assert written[0]["source"] == "A code" and "source" not in written[1]
    assert "scale" not in written[0] and "answered_by" not in written[0]


def test_a_criterion_scale_equal_to_the_framework_scale_is_the_default() -> None:
    raw = _criterion(scale=[a.value for a in reversed(CLASSIC_SCALE)])
    assert framework_from_dict(raw).criterion("1.1").scale == ()


def test_every_problem_is_listed_at_once() -> None:
    raw = copy.deepcopy(GOOD)
    raw["title"] = ""
    raw["sections"][0]["criteria"][0]["question"] = ""
    raw["sections"][0]["criteria"][1]["applies_when"] = "nonsense_field == 1"
    with pytest.raises(ValidationError) as caught:
        framework_from_dict(raw)
    assert len(caught.value.problems) == 3
    assert "and 2 more problem(s)" in str(caught.value)


def test_note_answers_must_be_on_the_scale() -> None:
    raw = _bad(scale=["met", "not_met"])  # default note answers include not_evidenced
    with pytest.raises(ValidationError, match="not on the scale: Not evidenced on file"):
        framework_from_dict(raw)
    raw["note_required_for"] = ["not_met"]
    raw["sections"][0]["criteria"][1]["note_required_for"] = ["not_met"]
    assert framework_from_dict(raw).scale == (Answer.MET, Answer.NOT_MET)


def test_bad_files_name_the_file(tmp_path: Path) -> None:
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidFileError, match=re.escape("broken.yaml is not a valid framework file")):
        read_framework_file(broken_yaml)
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("id: ok-id\nversion: 1\ntitle: T\nsections: []\n", encoding="utf-8")
    expected = "invalid.yaml: Framework 'ok-id' is not valid: it has no sections"
    with pytest.raises(ValidationError, match=re.escape(expected)):
        read_framework_file(invalid)
    with pytest.raises(InvalidFileError, match="No such file"):
        read_framework_file(tmp_path / "missing.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InvalidFileError, match=re.escape("Cannot read binary.yaml")):
        read_framework_file(binary)


# --- round trip over generated frameworks ----------------------------------------------

_words = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]),
                 min_size=1, max_size=40).map(lambda s: " ".join(s.split())).filter(bool)
_guidance = st.lists(_words, min_size=0, max_size=4).map("\n".join)
_rules = st.sampled_from(["", "outcome_code in (14, 16)", "risk_level == 'high' or risk_level == null",
                          "interviewed == true and victim_supports != 'withdrawn'",
                          "not (elp_flag == true)", "date_finalised >= 2026-01-01"])
_answer_sets = st.lists(st.sampled_from(list(Answer)), unique=True, max_size=5).map(tuple)
_sources = st.one_of(st.just(Source()), _words.map(Source),
                     st.builds(Source, _words, _words, st.one_of(st.just(""), _words)))
# A criterion's own scale: Met and Not met with any of the rest, in scale order; the whole
# scale is written as no scale of its own.
_criterion_scales = st.sets(st.sampled_from([Answer.PARTLY_MET, Answer.NOT_APPLICABLE,
                                             Answer.NOT_EVIDENCED])).map(
    lambda extra: tuple(a for a in Answer if a in extra or a in (Answer.MET, Answer.NOT_MET)))


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    sections = []
    number = 0
    for s_index in range(draw(st.integers(min_value=1, max_value=4))):
        criteria = []
        for _ in range(draw(st.integers(min_value=1, max_value=5))):
            number += 1
            rule = draw(_rules)
            scale = draw(_criterion_scales)
            if rule:  # a criterion some cases skip can be answered N/A
                scale = tuple(a for a in Answer if a in scale or a is Answer.NOT_APPLICABLE)
            scale = () if scale == CLASSIC_SCALE else scale  # the default framework scale
            allowed = scale or CLASSIC_SCALE
            criteria.append(Criterion(
                code=f"{s_index + 1}.{number}", question=draw(_words), guidance=draw(_guidance),
                source=draw(_sources),
                note_required_for=tuple(a for a in draw(_answer_sets) if a in allowed),
                applies_when=rule, key=draw(st.booleans()), scale=scale,
                answered_by=draw(st.sampled_from(list(Role))),
                file_pack=tuple(draw(st.lists(st.sampled_from(sorted(FILE_PACK_LABELS)),
                                              unique=True, max_size=3)))))
        sections.append(Section(code=str(s_index + 1), title=draw(_words), criteria=tuple(criteria),
                                description=draw(st.one_of(st.just(""), _words))))
    return Framework(
        key=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{1,20}", fullmatch=True)),
        version=draw(st.integers(min_value=1, max_value=500)), title=draw(_words),
        sections=tuple(sections), description=draw(st.one_of(st.just(""), _words)),
        applies_to=draw(st.one_of(st.just(""), _words)), changes=draw(st.one_of(st.just(""), _words)))


@settings(max_examples=150, deadline=None)
@given(frameworks())
def test_to_dict_and_back_is_the_same_framework(framework: Framework) -> None:
    assert framework_from_dict(framework_to_dict(framework)) == framework


@settings(max_examples=50, deadline=None)
@given(frameworks())
def test_round_trip_survives_yaml(framework: Framework) -> None:
    import yaml

    from audit_app.services.frameworks import framework_to_yaml

    assert framework_from_dict(yaml.safe_load(framework_to_yaml(framework))) == framework
