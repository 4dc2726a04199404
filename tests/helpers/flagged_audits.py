"""An audit whose cases trip each consistency check, for the check tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from audit_app.core.answers import Answer
from audit_app.db.models import CaseRecord
from audit_app.services import scoring
from audit_app.services.database import Database
from tests.helpers.audits import REVIEWERS, BuiltAudit, build_audit

CHAIR = "Chair Person"


@dataclass(frozen=True)
class FlaggedAudit:
    built: BuiltAudit
    key_case: str  # agreed appropriate, key criterion 5.2 agreed not met
    provisional_case: str  # both members appropriate, both 2.7 not met
    outcome_15_case: str  # outcome 15, victim withdrawn
    outcome_16_case: str  # outcome 16, victim supporting


def give_answer(db: Database, built: BuiltAudit, position: int, reviewer: str, code: str,
                value: Answer, kind: str = "member") -> None:
    scoring.record_answer(db, audit_id=built.audit_id, case_id=built.case_ids[position],
                          reviewer=reviewer, criterion_code=code, value=value,
                          note="Nothing on file", kind=kind)


def give_verdict(db: Database, built: BuiltAudit, position: int, reviewer: str, verdict: str,
                 kind: str = "member") -> None:
    scoring.set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[position],
                             reviewer=reviewer, kind=kind, verdict=verdict)


def flagged_audit(db: Database) -> FlaggedAudit:
    built = build_audit(db, cases=8, scored_criteria=1)
    # Case 0: the panel agrees Appropriate although it agreed key criterion 5.2 not met.
    give_answer(db, built, 0, CHAIR, "5.2", Answer.NOT_MET, kind="consensus")
    give_verdict(db, built, 0, CHAIR, "appropriate", kind="consensus")
    # Case 3: both members say appropriate with observations and 2.7 not met; not agreed yet.
    for reviewer in REVIEWERS:
        give_answer(db, built, 3, reviewer, "2.7", Answer.NOT_MET)
        give_verdict(db, built, 3, reviewer, "appropriate_with_observations")
    # Case 4: members differ on the verdict: nothing to flag on the key criterion.
    for reviewer, verdict in zip(REVIEWERS, ("appropriate", "inappropriate"), strict=True):
        give_answer(db, built, 4, reviewer, "5.2", Answer.NOT_MET)
        give_verdict(db, built, 4, reviewer, verdict)
    # Case 6: agreed inappropriate with key criteria not met: consistent.
    give_answer(db, built, 6, CHAIR, "6.1", Answer.NOT_MET, kind="consensus")
    give_verdict(db, built, 6, CHAIR, "inappropriate", kind="consensus")
    with db.transaction() as session:
        session.execute(update(CaseRecord).values(victim_supports=None))
        for position, outcome, support in ((5, 15, "withdrawn"), (1, 16, "yes"),
                                           (2, 15, "yes"), (7, 16, "never")):
            session.execute(update(CaseRecord).where(CaseRecord.id == built.case_ids[position])
                            .values(outcome_code=outcome, victim_supports=support))
    refs = built.references
    return FlaggedAudit(built, refs[0], refs[3], refs[5], refs[1])
