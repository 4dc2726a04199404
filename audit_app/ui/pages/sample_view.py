"""What the Sample page shows of one audit, read together off the GUI thread, and its columns."""

from __future__ import annotations

from dataclasses import dataclass

from audit_app.services.audits import AuditStanding, audit_standing
from audit_app.services.cases import count_cases
from audit_app.services.database import Database
from audit_app.services.sampling import SampleRow, SampleSummary, get_sample, get_sample_summary
from audit_app.services.scoring import ProgressRow, review_progress
from audit_app.ui.models.formatting import display_value, stratum_text
from audit_app.ui.models.row_table import Column

REPLACED_COLOUR = "#e4e7ea"  # a replaced case stays listed, greyed, for the record
SAMPLE_COLUMNS: list[Column[SampleRow]] = [
    Column("#", lambda r: str(r.position), sort_key=lambda r: r.position, align_right=True),
    Column("Reference", lambda r: r.case.reference),
    Column("Stratum", lambda r: stratum_text(r.stratum)),
    Column("Status", lambda r: r.status.replace("_", " ").capitalize(),
           highlight=lambda r: REPLACED_COLOUR if r.status == "replaced" else None),
    Column("Outcome", lambda r: display_value("outcome_code", r.case.fields.get("outcome_code"))),
    Column("Area", lambda r: display_value("area", r.case.fields.get("area"))),
    Column("Risk", lambda r: display_value("risk_level", r.case.fields.get("risk_level"))),
]
STRATA_COLUMNS: list[Column[tuple[str, int, int]]] = [
    Column("Stratum", lambda s: stratum_text(s[0], "All cases")),
    Column("Population", lambda s: f"{s[1]:,}", sort_key=lambda s: s[1], align_right=True),
    Column("Sample", lambda s: str(s[2]), sort_key=lambda s: s[2], align_right=True),
]



@dataclass(frozen=True)
class SampleView:
    """All the page shows of one audit, read together in the background."""

    standing: AuditStanding
    summary: SampleSummary | None
    rows: list[SampleRow]
    case_count: int  # the population, for the Draw sample dialog
    progress: tuple[ProgressRow, ...]  # each review's progress: replacing a case asks first

    @property
    def scored(self) -> bool:
        """Reviewers have scored cases in the current sample (a new draw asks first)."""
        return any(row.answered > 0 for row in self.progress)


def read_sample_view(db: Database, audit_id: int) -> SampleView:
    return SampleView(
        standing=audit_standing(db, audit_id=audit_id),
        summary=get_sample_summary(db, audit_id=audit_id), rows=get_sample(db, audit_id=audit_id),
        case_count=count_cases(db, audit_id=audit_id),
        progress=tuple(review_progress(db, audit_id=audit_id)))
