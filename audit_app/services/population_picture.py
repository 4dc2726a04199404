"""Read the population picture of an audit: every imported case, not only the sample.

One read-only unit of work: the database counts (GROUP BY over the coded fields and over the
date pairs, and the references of each exception), since an audit may hold 1,000,000 cases;
`core.population_picture` turns the counts into figures. Cases removed by a later import
are left out, as the population page leaves them out. A purged audit has no case data: its
picture is the plain notice, never an error.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_app.core.case_fields import NFA_OUTCOME_CODES
from audit_app.core.consistency import NOT_SUPPORTING, OUTCOME_VICTIM_SUPPORTS
from audit_app.core.population_picture import (
    CODED_FIELDS,
    DATE_FIELDS,
    PopulationCounts,
    PopulationPicture,
    deleted_picture,
    fields_in_extract,
    listable_exceptions,
    picture_from_counts,
)
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.statuses import AuditStatus
from audit_app.db.audits import require_audit
from audit_app.db.models import CaseRecord, PopulationImportRecord
from audit_app.services.database import Database

CASE_DATA_DELETED = "The case data was deleted under the retention rule."


def get_population_picture(db: Database, *, audit_id: int,
                           progress: ProgressCallback | None = None,
                           cancelled: CancelCheck | None = None) -> PopulationPicture:
    """The outcome mix, rates, days to tell the victim and exception lists of the audit's
    whole population, with real references (a partner copy drops them:
    `PopulationPicture.without_references`)."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        if audit.status == AuditStatus.PURGED:
            return deleted_picture(CASE_DATA_DELETED)
        mapped: set[str] = set()
        for (mapping,) in session.execute(select(PopulationImportRecord.mapping)
                                          .where(PopulationImportRecord.audit_id == audit_id)):
            mapped.update(mapping or {})
        return picture_from_counts(_counts(session, audit_id, mapped, progress, cancelled),
                                   mapped_fields=mapped)


def _counts(session: Session, audit_id: int, mapped: set[str],
            progress: ProgressCallback | None, cancelled: CancelCheck | None
            ) -> PopulationCounts:
    """Two GROUP BY queries and three short lists, so the database does the counting."""
    in_audit = (CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(False))
    coded_columns = [getattr(CaseRecord, key) for key in CODED_FIELDS]
    coded = {tuple(row[:-1]): row[-1] for row in session.execute(
        select(*coded_columns, func.count()).where(*in_audit).group_by(*coded_columns))}
    report(progress, 1, 5)
    check_cancelled(cancelled)
    finalised, told = (getattr(CaseRecord, key) for key in DATE_FIELDS)
    dated = {(row[0], row[1]): row[2] for row in session.execute(
        select(finalised, told, func.count()).where(*in_audit).group_by(finalised, told))}
    report(progress, 2, 5)
    # The same tests as `core.population_picture.count_rows`, as SQL conditions.
    conditions = {
        "high_risk_without_marac": (CaseRecord.risk_level == "high",
                                    CaseRecord.marac_referral.is_(False)),
        "outcome_15_victim_not_supporting": (CaseRecord.outcome_code == OUTCOME_VICTIM_SUPPORTS,
                                             CaseRecord.victim_supports.in_(NOT_SUPPORTING)),
        "nfa_without_notification": (CaseRecord.nfa_notification_date.is_(None),
                                     CaseRecord.outcome_code.in_(sorted(NFA_OUTCOME_CODES))),
    }
    listable = listable_exceptions(fields_in_extract(coded, dated, mapped))
    exceptions: dict[str, list[str]] = {key: [] for key in conditions}
    for step, (key, tests) in enumerate(conditions.items(), start=3):
        check_cancelled(cancelled)
        if key in listable:  # a field not in the extract: nothing to list, nothing to read
            exceptions[key] = list(session.scalars(
                select(CaseRecord.reference).where(*in_audit, *tests)))
        report(progress, step, 5)
    return PopulationCounts(coded, dated, exceptions)
