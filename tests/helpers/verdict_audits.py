"""An audit with panel-agreed and members' verdicts, for the verdict tests."""

from __future__ import annotations

from audit_app.core.answers import Verdict
from audit_app.services import scoring
from audit_app.services.database import Database
from tests.helpers.audits import REVIEWERS, BuiltAudit, build_audit

CHAIR = "Chair Person"
# Agreed verdicts on the hand-made audit's cases, by sample position.
AGREED = {0: Verdict.APPROPRIATE, 2: Verdict.APPROPRIATE_WITH_OBSERVATIONS,
          3: Verdict.APPROPRIATE, 4: Verdict.INAPPROPRIATE, 5: Verdict.APPROPRIATE,
          6: Verdict.MORE_INFORMATION, 7: Verdict.UNABLE_TO_AGREE}


def agreed_audit(db: Database) -> BuiltAudit:
    """Seven agreed verdicts (4 appropriate of 5 judged, one more-information, one unable);
    case 1 has one member's "inappropriate"; case 8 two members both "appropriate";
    case 9 two members who differ."""
    built = build_audit(db)
    for position, verdict in AGREED.items():
        scoring.set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[position],
                                 reviewer=CHAIR, kind="consensus", verdict=verdict)
    for position, verdicts in ((8, (Verdict.APPROPRIATE, Verdict.APPROPRIATE)),
                               (9, (Verdict.APPROPRIATE, Verdict.INAPPROPRIATE))):
        for reviewer, verdict in zip(REVIEWERS, verdicts, strict=True):
            scoring.set_case_details(db, audit_id=built.audit_id,
                                     case_id=built.case_ids[position], reviewer=reviewer,
                                     verdict=verdict)
    return built
