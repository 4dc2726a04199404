"""The demo audit: a synthetic population, a stratified sample and two reviewers' part-done scores.

It lets a panel chair try every screen without touching real data, and gives the tests
and screenshots a realistic audit to work on. Everything is derived from one seed, so
two demo audits made with the same seed hold the same cases, sample and scores.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert

from audit_app.core.answers import Answer, Verdict
from audit_app.core.framework import Framework
from audit_app.core.synthetic import synthetic_population
from audit_app.db.models import CaseRecord, PopulationImportRecord
from audit_app.services import scoring
from audit_app.services.audits import create_audit, get_audit, list_audits
from audit_app.services.cases import case_fields, require_case
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_actor
from audit_app.services.frameworks import get_framework
from audit_app.services.records import AuditSummary
from audit_app.services.sampling import SampleRow, draw_sample, get_sample

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
NOTES = ("No rationale recorded on the file for this decision.",
         "Recorded late and without the detail the guidance asks for.",
         "Nothing on file to show this was considered.",
         "Partly done: started but not followed up.")
LEARNING_POINTS = ("Supervisor endorsement should address the evidence available without the "
                   "victim, not only the victim's wishes.",
                   "Secure the 999 recording and body-worn video early, whatever the victim "
                   "decides.",
                   "Record when and why the victim withdrew, and whether pressure was explored.")
GOOD_PRACTICE = ("Thorough DASH with a clear MARAC referral the same day.",
                 "Victim told of the decision promptly, with VRR and support contacts.")


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
    """Answers for the criteria that apply; a second reviewer mostly agrees with the first."""
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
    return answers


def _verdict(answers: dict[str, Answer]) -> Verdict:
    shortfalls = sum(a in (Answer.NOT_MET, Answer.NOT_EVIDENCED) for a in answers.values())
    share = shortfalls / max(1, len(answers))
    if share > 0.2:
        return Verdict.INAPPROPRIATE
    if share > 0.04:
        return Verdict.APPROPRIATE_WITH_OBSERVATIONS
    return Verdict.APPROPRIATE


def _with_notes(framework: Framework, answers: dict[str, Answer],
                rng: random.Random) -> dict[str, tuple[Answer, str]]:
    return {code: (answer, rng.choice(NOTES) if framework.criterion(code).needs_note(answer)
                   else "") for code, answer in answers.items()}


@dataclass
class _Scored:
    """One reviewer's demo work, worked out first (the random draws in the same order as
    ever, so the demo is the same) and then written: every answer in one set."""

    answers: dict[int, dict[str, tuple[Answer, str]]] = field(default_factory=dict)
    details: dict[int, dict[str, Any]] = field(default_factory=dict)
    completed: list[int] = field(default_factory=list)


def _score_sample(db: Database, audit_id: int, sample: list[SampleRow], framework: Framework,
                  seed: int) -> None:
    rng = random.Random(seed)
    first_answers: dict[int, dict[str, Answer]] = {}
    urgent_case = next((row.case.id for row in sample
                        if row.case.fields.get("risk_level") == "high"), sample[0].case.id)
    for index, (name, organisation) in enumerate(REVIEWERS):
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
                verdict = _verdict(answers) if complete else None
                scored.details[row.case.id] = dict(
                    verdict=verdict, learning_points=rng.choice(LEARNING_POINTS) if verdict
                    and verdict is not Verdict.APPROPRIATE else None,
                    good_practice=rng.choice(GOOD_PRACTICE) if rng.random() < 0.3 else None,
                    urgent_safeguarding=True if urgent else None,
                    withdrawal=_withdrawal(row.case.id, fields) if complete else None)
            if complete:
                scored.completed.append(row.case.id)
        _write(db, audit_id, name, scored)


def _withdrawal(case_id: int, fields: dict[str, Any]) -> tuple[str, str] | None:
    """The same codes from every member (they read the same file), true to the extract:
    a victim who never supported stopped at the scene or before a statement."""
    supports = fields.get("victim_supports")
    if supports not in ("never", "withdrawn"):
        return None
    stages = ("S1", "S2") if supports == "never" else ("S2", "S3")
    reasons = ("R1", "R2", "R3", "R3", "R4", "R5", "R6", "R8")
    return stages[case_id % 2], reasons[case_id % len(reasons)]


def _write(db: Database, audit_id: int, reviewer: str, scored: _Scored) -> None:
    scoring.record_answer_sets(db, audit_id=audit_id, reviewer=reviewer, answers=scored.answers)
    for case_id, details in scored.details.items():
        scoring.set_case_details(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer,
                                 **details)
    for case_id in scored.completed:
        scoring.complete_review(db, audit_id=audit_id, case_id=case_id, reviewer=reviewer)


def create_demo(db: Database, *, seed: int = 2026, population: int = 2000,
                sample_size: int = 40) -> AuditSummary:
    """Create the demo audit and return it (a new audit each call)."""
    audit = create_audit(db, name=DEMO_AUDIT_NAME, framework=DEMO_FRAMEWORK,
                         description=DEMO_DESCRIPTION)
    _insert_population(db, audit.id, synthetic_population(population, seed=seed))
    draw_sample(db, audit_id=audit.id, size=sample_size, method="stratified",
                strata_fields=DEMO_STRATA, seed=seed, where=DEMO_SCOPE)
    framework = get_framework(db, f"{audit.framework_key}@{audit.framework_version}")
    sample = [row for row in get_sample(db, audit_id=audit.id) if row.status != "replaced"]
    _score_sample(db, audit.id, sample, framework, seed)
    return get_audit(db, audit.id)


def create_demo_if_empty(db: Database, *, seed: int = 2026) -> AuditSummary | None:
    """The demo audit, only when the database holds no audit at all (first run)."""
    if list_audits(db):
        return None
    return create_demo(db, seed=seed)
