"""The demo audit's parts: a synthetic population, a stratified sample and two reviewers'
part-done scores, true to the extract (`core.demo_rules`).

It lets a panel chair try every screen without touching real data, and gives the tests
and screenshots a realistic audit to work on. Everything is derived from one seed, so
two demo audits made with the same seed hold the same cases, sample and scores.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, update

from audit_app.core.answers import Answer, Verdict
from audit_app.core.consistency import OUTCOME_VICTIM_SUPPORTS
from audit_app.core.demo_rules import (
    fit_to_extract,
    good_practice_for,
    learning_for,
    outcome_contradicts,
)
from audit_app.core.framework import Framework
from audit_app.core.synthetic import synthetic_population
from audit_app.db.models import CaseRecord, PopulationImportRecord
from audit_app.services import scoring
from audit_app.services.audits import create_audit
from audit_app.services.cases import case_fields, require_case
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_actor
from audit_app.services.frameworks import get_framework
from audit_app.services.sampling import SampleRow, draw_sample, get_sample
from audit_app.services.themes import list_themes

DEMO_FRAMEWORK = "da-nfa-review"
DEMO_AUDIT_NAME = "Demo: DA NFA review (synthetic data)"
DEMO_DESCRIPTION = ("Invented cases for trying the app. No real person or crime is in this "
                    "audit; delete it before a real review round if you wish.")
DEMO_SCOPE = "outcome_code in (9, 10, 14, 15, 16, 17, 18, 21)"
DEMO_STRATA = ("risk_level",)
# Invented members, named so that nothing else in the demo shares a word with them (a
# partner copy scrubs members' names out of every text).
REVIEWERS: tuple[tuple[str, str], ...] = (("Avery Quillon", "Police"),
                                          ("Rowan Pennick", "IDVA service"))
# How many sample cases each reviewer has scored, and how many of those are complete.
SCORED_CASES = (12, 8)
COMPLETED_CASES = (8, 5)
# Files differ: some are well handled throughout, some poorly. Weights follow the scale:
# met, partly met, not met, not evidenced, N/A.
SCALE = (Answer.MET, Answer.PARTLY_MET, Answer.NOT_MET, Answer.NOT_EVIDENCED, Answer.NOT_APPLICABLE)
FILE_QUALITY: tuple[tuple[int, ...], ...] = ((92, 5, 1, 0, 2), (70, 16, 8, 4, 2), (40, 22, 22, 14, 2))
# Notes by answer. The draws index into lists the size the demo once used, so the random
# stream (and with it every demo answer) stays as it was.
NOTE_DRAW, LEARNING_DRAW, PRAISE_DRAW = 4, 3, 2
NOTES: dict[Answer, tuple[str, ...]] = {
    Answer.NOT_MET: ("Nothing on file to show this was done.",
                     "No rationale recorded on the file for this decision."),
    Answer.PARTLY_MET: ("Recorded late and without the detail the guidance asks for.",
                        "Partly done: started but not followed up."),
    Answer.NOT_EVIDENCED: ("Nothing on file to show this was considered.",
                           "The file pack does not hold the record this needs."),
}
OTHER_NOTE = "Checked against the file."


def _insert_population(db: Database, audit_id: int, population: Sequence[dict[str, Any]]) -> int:
    """Bulk insert (one statement per batch, not one ORM object per case)."""
    with db.transaction() as session:
        population_import = PopulationImportRecord(
            audit_id=audit_id, file_name="synthetic demo population", rows_read=len(population),
            rows_added=len(population), imported_by=current_actor())
        session.add(population_import)
        session.flush()
        rows = [{**case, "audit_id": audit_id, "import_id": population_import.id,
                 "source_row": index, "removed": False, "extra": {}}
                for index, case in enumerate(population, start=2)]
        if rows:
            session.execute(insert(CaseRecord), rows)
        log_change(session, actor=current_actor(), audit_id=audit_id, entity="population_import",
                   entity_id=population_import.id, field="imported",
                   new=f"{len(rows)} cases", detail="synthetic demo population")
        return population_import.id


def _answers_for(rng: random.Random, framework: Framework, fields: dict[str, Any],
                 earlier: dict[str, Answer] | None, *, share: float) -> dict[str, Answer]:
    """Answers for the criteria that apply; a second reviewer mostly agrees with the first.
    Drawn at random, then moved where the extract rules the drawn answer out."""
    answers: dict[str, Answer] = {}
    weights = rng.choice(FILE_QUALITY)
    applicable = [c for c in framework.criteria if c.applies_to(fields)]
    for criterion in applicable[:max(1, round(len(applicable) * share))]:
        if earlier and criterion.code in earlier and rng.random() < 0.85:
            answers[criterion.code] = earlier[criterion.code]
        else:
            # Only the answers this criterion can take (a yes/no item is never partly met).
            allowed = criterion.answers(framework.scale)
            choices = [(a, w) for a, w in zip(SCALE, weights, strict=True) if a in allowed]
            answers[criterion.code] = rng.choices([a for a, _ in choices],
                                                  weights=[w for _, w in choices])[0]
    return {code: fit_to_extract(code, answer, fields) for code, answer in answers.items()}


def demo_verdict(framework: Framework, answers: dict[str, Answer]) -> Verdict:
    """Inappropriate where a key criterion is not met (an appropriate verdict then would
    be a check for moderation), else by the share of shortfalls."""
    if any(answers.get(c.code) is Answer.NOT_MET for c in framework.criteria if c.key):
        return Verdict.INAPPROPRIATE
    shortfalls = sum(a in (Answer.NOT_MET, Answer.NOT_EVIDENCED) for a in answers.values())
    share = shortfalls / max(1, len(answers))
    if share > 0.2:
        return Verdict.INAPPROPRIATE
    if share > 0.04:
        return Verdict.APPROPRIATE_WITH_OBSERVATIONS
    return Verdict.APPROPRIATE


def _with_notes(framework: Framework, answers: dict[str, Answer],
                rng: random.Random) -> dict[str, tuple[Answer, str]]:
    noted = {}
    for code, answer in answers.items():
        note = ""
        if framework.criterion(code).needs_note(answer):
            draw = rng.randrange(NOTE_DRAW)
            choices = NOTES.get(answer, (OTHER_NOTE,))
            note = choices[draw % len(choices)]
        noted[code] = (answer, note)
    return noted


def demo_themes(framework_key: str = DEMO_FRAMEWORK) -> dict[str, str]:
    """Criterion code -> the first theme that names it (the theme its learning is tagged with)."""
    theme_of: dict[str, str] = {}
    for theme in list_themes():
        for code in theme.criteria_for(framework_key):
            theme_of.setdefault(code, theme.key)
    return theme_of


@dataclass(frozen=True)
class Written:
    """What the panel's record needs of a review the demo wrote: its number and themes."""

    review_id: int
    learning_themes: tuple[str, ...]
    praise_themes: tuple[str, ...]


def review_texts(answers: dict[str, Answer], fields: dict[str, Any],
                 verdict: Verdict | None, learning_draw: int | None, praise_draw: int | None,
                 theme_of: dict[str, str]) -> tuple[dict[str, Any], tuple[str, ...],
                                                     tuple[str, ...]]:
    """The learning and good practice these answers earn, and their themes."""
    learning, learning_themes = "", tuple[str, ...]()
    if verdict is not None and (verdict is not Verdict.APPROPRIATE
                                or Answer.NOT_MET in answers.values()):
        learning, learning_themes = learning_for(
            answers, theme_of, learning_draw if learning_draw is not None else len(answers))
    praise = (good_practice_for(answers, fields, praise_draw) if praise_draw is not None
              else None)
    texts = dict(learning_points=learning or None,
                 good_practice=praise.text if praise else None)
    return texts, learning_themes, (theme_of[praise.criterion],) if praise else ()


@dataclass
class _Scored:
    """One reviewer's demo work, worked out first (the random draws in the same order as
    ever, so the demo is the same) and then written: every answer in one set."""

    answers: dict[int, dict[str, tuple[Answer, str]]] = field(default_factory=dict)
    details: dict[int, dict[str, Any]] = field(default_factory=dict)
    themes: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    completed: list[int] = field(default_factory=list)


def _score_sample(db: Database, audit_id: int, sample: list[SampleRow], framework: Framework,
                  seed: int) -> dict[tuple[str, int], Written]:
    """Both members' scores; returns (member, case id) -> the review written."""
    rng = random.Random(seed)
    theme_of = demo_themes(framework.key)
    first_answers: dict[int, dict[str, Answer]] = {}
    urgent_case = next((row.case.id for row in sample
                        if row.case.fields.get("risk_level") == "high"), sample[0].case.id)
    written: dict[tuple[str, int], Written] = {}
    for index, (name, organisation) in enumerate(REVIEWERS):
        if name not in {row.name for row in scoring.list_reviewers(db)}:
            scoring.add_reviewer(db, name=name, organisation=organisation, is_chair=index == 0)
        scored = _Scored()
        for position, row in enumerate(sample[:SCORED_CASES[index]]):
            complete = position < COMPLETED_CASES[index]
            with db.reading() as session:
                fields = case_fields(require_case(session, audit_id, row.case.id))
            answers = _answers_for(rng, framework, fields, first_answers.get(row.case.id),
                                   share=1.0 if complete else 0.5)
            first_answers.setdefault(row.case.id, answers)
            scored.answers[row.case.id] = _with_notes(framework, answers, rng)
            urgent = index == 0 and row.case.id == urgent_case
            if complete or urgent:
                verdict = demo_verdict(framework, answers) if complete else None
                learning_draw = (rng.randrange(LEARNING_DRAW) if verdict
                                 and verdict is not Verdict.APPROPRIATE else None)
                praise_draw = rng.randrange(PRAISE_DRAW) if rng.random() < 0.3 else None
                texts, learned, praised = review_texts(
                    answers, fields, verdict, learning_draw,
                    praise_draw if complete else None, theme_of)
                scored.details[row.case.id] = dict(
                    verdict=verdict, **texts, urgent_safeguarding=True if urgent else None,
                    withdrawal=_withdrawal(row.case.id, fields) if complete else None)
                scored.themes[row.case.id] = (learned, praised)
            if complete:
                scored.completed.append(row.case.id)
        for case_id, review_id in _write(db, audit_id, name, scored).items():
            learned, praised = scored.themes.get(case_id, ((), ()))
            written[(name, case_id)] = Written(review_id, learned, praised)
    return written


def _withdrawal(case_id: int, fields: dict[str, Any]) -> tuple[str, str] | None:
    """The same codes from every member (they read the same file), true to the extract:
    a victim who never supported stopped at the scene or before a statement."""
    supports = fields.get("victim_supports")
    if supports not in ("never", "withdrawn"):
        return None
    stages = ("S1", "S2") if supports == "never" else ("S2", "S3")
    reasons = ("R1", "R2", "R3", "R3", "R4", "R5", "R6", "R8")
    return stages[case_id % 2], reasons[case_id % len(reasons)]


def _write(db: Database, audit_id: int, reviewer: str, scored: _Scored) -> dict[int, int]:
    """Write one member's work; returns case id -> review number for the detailed ones."""
    scoring.record_answer_sets(db, audit_id=audit_id, reviewer=reviewer, answers=scored.answers)
    reviews = {}
    for case_id, details in scored.details.items():
        view = scoring.set_case_details(db, audit_id=audit_id, case_id=case_id,
                                        reviewer=reviewer, **details)
        assert view.review_id is not None
        reviews[case_id] = view.review_id
    for case_id in scored.completed:
        scoring.complete_review(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer)
    return reviews


def _record_an_extract_error(db: Database, audit_id: int, sample: list[SampleRow]) -> bool:
    """Real extracts hold recording errors and the panel's checks should find one: where no
    scored case has one, the first scored outcome 15 case ("victim supports") is recorded
    as the victim having withdrawn. Its members then score the outcome code not met."""
    scored = sample[:SCORED_CASES[0]]
    if any(outcome_contradicts(row.case.fields) for row in scored):
        return False
    case_id = next((row.case.id for row in scored
                    if row.case.fields.get("outcome_code") == OUTCOME_VICTIM_SUPPORTS), None)
    if case_id is None:
        return False
    with db.transaction() as session:
        session.execute(update(CaseRecord).where(CaseRecord.id == case_id)
                        .values(victim_supports="withdrawn"))
    return True


@dataclass(frozen=True)
class DemoAudit:
    """One demo audit as built: what the panel's record is added to."""

    audit_id: int
    framework: Framework
    sample: list[SampleRow]
    reviews: dict[tuple[str, int], Written]


def build_audit(db: Database, *, name: str, seed: int, population: int, sample_size: int,
                description: str = DEMO_DESCRIPTION, first_number: int = 1) -> DemoAudit:
    """A demo audit: population, stratified sample and both members' part-done scores."""
    audit = create_audit(db, name=name, framework=DEMO_FRAMEWORK, description=description)
    _insert_population(db, audit.id, synthetic_population(population, seed=seed,
                                                         first_number=first_number))
    draw_sample(db, audit_id=audit.id, size=sample_size, method="stratified",
                strata_fields=DEMO_STRATA, seed=seed, where=DEMO_SCOPE)
    framework = get_framework(db, f"{audit.framework_key}@{audit.framework_version}")
    sample = [row for row in get_sample(db, audit_id=audit.id) if row.status != "replaced"]
    if _record_an_extract_error(db, audit.id, sample):
        sample = [row for row in get_sample(db, audit_id=audit.id) if row.status != "replaced"]
    reviews = _score_sample(db, audit.id, sample, framework, seed)
    return DemoAudit(audit.id, framework, sample, reviews)
