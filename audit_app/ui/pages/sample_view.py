"""What the Sample page shows of one audit, read together off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from audit_app.services.audits import AuditStanding, audit_standing
from audit_app.services.cases import count_cases
from audit_app.services.database import Database
from audit_app.services.sampling import SampleRow, SampleSummary, get_sample, get_sample_summary
from audit_app.services.scoring import review_progress


@dataclass(frozen=True)
class SampleView:
    """All the page shows of one audit, read together in the background."""

    standing: AuditStanding
    summary: SampleSummary | None
    rows: list[SampleRow]
    case_count: int  # the population, for the Draw sample dialog
    scored: bool  # reviewers have scored cases in the current sample


def read_sample_view(db: Database, audit_id: int) -> SampleView:
    return SampleView(
        standing=audit_standing(db, audit_id=audit_id),
        summary=get_sample_summary(db, audit_id=audit_id), rows=get_sample(db, audit_id=audit_id),
        case_count=count_cases(db, audit_id=audit_id),
        scored=any(row.answered > 0 for row in review_progress(db, audit_id=audit_id)))
