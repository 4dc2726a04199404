"""The current shipped frameworks trace to their sources, and cover what the inspections ask.

Quotes from the inspection reports (the seed documents) are checked word for word against
`../shared/seeds/` where that folder is present beside the repository (or where
AUDIT_APP_SEEDS_DIR points); other sources must name their edition and the section.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from audit_app.core.answers import Answer
from audit_app.core.framework import Criterion, Framework
from audit_app.core.framework_fields import Role
from audit_app.services.frameworks import builtin_framework_files, read_framework_file

# The seed documents as the frameworks name them, and the file each one is.
SEED_DOCUMENTS = {
    "Hampshire PCC response to the joint inspection 'Evidence-led domestic abuse prosecutions' "
    "(2020)": "000_",
    "Hampshire Constabulary statement on the HMIC domestic abuse inspection (2014)": "001_",
    "Cambridgeshire Constabulary response to the joint inspection 'Evidence led domestic abuse "
    "prosecutions' (26 March 2020)": "002_",
    "HMIC PEEL: Police effectiveness 2016, Hampshire Constabulary": "003_",
    "Hampshire PCC response to the joint thematic inspection of the police and CPS response to "
    "rape, phase one (2021)": "004_",
}
REPO = Path(__file__).resolve().parents[2]


def _seeds_dir() -> Path | None:
    named = os.environ.get("AUDIT_APP_SEEDS_DIR")
    # ../shared/seeds beside the repository; a worktree sits one folder further down.
    for candidate in ([Path(named)] if named else []) + [REPO.parent / "shared" / "seeds",
                                                        REPO.parent.parent / "shared" / "seeds"]:
        if candidate.is_dir():
            return candidate
    return None


def _words(text: str) -> str:
    return " ".join(text.split())


SHIPPED = {f.key: f for f in map(read_framework_file, builtin_framework_files())}
CRITERIA = [(key, c) for key, f in SHIPPED.items() for c in f.criteria]
IDS = [f"{key} {c.code}" for key, c in CRITERIA]


@pytest.mark.parametrize(("key", "criterion"), CRITERIA, ids=IDS)
def test_every_source_names_document_and_place(key: str, criterion: Criterion) -> None:
    source = criterion.source
    assert source.structured, "give document, where and (for a report) a quote"
    assert source.document and source.where
    if source.document in SEED_DOCUMENTS:
        assert len(source.quote.split()) >= 4, "quote the passage the criterion rests on"
    else:
        # Outside the seeds: no quote we cannot check, and the edition is named.
        assert not source.quote
        assert re.search(r"\b(19|20)\d\d\b|edition", source.document), source.document


def test_seed_quotes_appear_word_for_word() -> None:
    folder = _seeds_dir()
    if folder is None:
        pytest.skip("the seed documents (../shared/seeds/) are not beside this repository")
    texts = {}
    for document, prefix in SEED_DOCUMENTS.items():
        matches = sorted(folder.glob(f"{prefix}*.txt"))
        assert matches, f"no seed file {prefix}* in {folder}"
        texts[document] = _words(matches[0].read_text(encoding="utf-8"))
    quoted = [(key, c) for key, c in CRITERIA if c.source.document in SEED_DOCUMENTS]
    assert len(quoted) >= 60
    missing = [f"{key} {c.code}" for key, c in quoted
               if _words(c.source.quote) not in texts[c.source.document]]
    assert missing == []


def test_a_quote_that_is_not_in_the_seed_is_caught() -> None:
    # The check above would fail on an altered quote: a word changed is no longer found.
    folder = _seeds_dir()
    if folder is None:
        pytest.skip("the seed documents are not beside this repository")
    text = _words(next(folder.glob("004_*.txt")).read_text(encoding="utf-8"))
    assert _words("considering early investigative advice in every case") in text
    assert _words("considering early investigative advice in most cases") not in text


def _find(framework: Framework, *words: str) -> Criterion:
    found = [c for c in framework.criteria
             if all(w.lower() in c.question.lower() for w in words)]
    assert len(found) == 1, (words, [c.code for c in found])
    return found[0]


def test_protective_measures_are_four_criteria() -> None:
    nfa = SHIPPED["da-nfa-review"]
    parts = [_find(nfa, "bail conditions"), _find(nfa, "DVPN"), _find(nfa, "Clare's Law"),
             _find(nfa, "safety plan")]
    assert len({c.code for c in parts}) == 4


def test_marac_does_not_rest_on_the_grading_under_review() -> None:
    nfa = SHIPPED["da-nfa-review"]
    marac = _find(nfa, "MARAC")
    assert not marac.applies_when
    assert marac.applies_to({"risk_level": "standard"})
    assert _find(nfa, "grading right").code != marac.code
    assert _find(nfa, "face to face").scale == (Answer.MET, Answer.NOT_MET, Answer.NOT_EVIDENCED,
                                                Answer.NOT_IN_FILE)


def test_gaps_named_by_the_inspections_are_criteria() -> None:
    nfa = SHIPPED["da-nfa-review"]
    for words in (("stage", "reason"), ("repeat",), ("protected characteristics",),
                  ("informal advice",), ("recorded as crimes",), ("updated during",),
                  ("digital evidence",), ("honour-based",), ("early investigative advice",),
                  ("body-worn video passed",), ("asked for the decision to be reviewed",),
                  ("evidence-led", "charging decision"), ("before the victim was asked",)):
        _find(nfa, *words)
    cps = [c for c in nfa.criteria if c.code.startswith("7.")]
    assert len(cps) == 4 and all(c.applies_when for c in cps)
    assert _find(nfa, "prosecutor consider").answered_by is Role.CPS
    assert "one working day" in _find(nfa, "told of the decision").question


def test_yes_no_criteria_cannot_be_partly_met() -> None:
    for framework in SHIPPED.values():
        outcome = [c for c in framework.criteria if "outcome code" in c.question]
        assert all(c.scale and Answer.PARTLY_MET not in c.scale for c in outcome)
    assert any(c.scale and Answer.PARTLY_MET not in c.scale for _, c in CRITERIA)


@pytest.mark.parametrize(("key", "criterion"), CRITERIA, ids=IDS)
def test_every_criterion_names_its_file_pack(key: str, criterion: Criterion) -> None:
    assert criterion.file_pack, "name the documents the panel needs"
    assert all(label and "_" not in label for label in criterion.file_pack_labels())


def test_legal_judgements_are_for_a_cps_member() -> None:
    elp = SHIPPED["evidence-led-review"]
    assert _find(elp, "Full Code Test").answered_by is Role.CPS
    assert _find(elp, "hearsay and bad character").answered_by is Role.CPS
    assert not [c for c in elp.criteria if "learning" in c.question.lower()]  # a debrief is not on file


def test_the_rape_review_follows_the_thematic_inspection() -> None:
    rape = SHIPPED["rape-nfa-review"]
    assert rape.version == 2
    for words in (("protected characteristics",), ("stage", "reason"), ("target and review dates",),
                  ("early investigative advice",), ("direct telephone",), ("meet",),
                  ("escalation route",), ("Right to Review",), ("asked for the decision",)):
        _find(rape, *words)
    cited = {c.source.document for c in rape.criteria}
    assert sum(SEED_DOCUMENTS.get(d) == "004_" for d in cited) == 1
    assert sum(c.source.document.startswith("Hampshire PCC response to the joint thematic")
               for c in rape.criteria) >= 10
