"""Read the population picture of an audit: every imported case, not only the sample.

One read-only unit of work: the fields the picture needs are streamed from the database in
batches (an audit may hold 1,000,000 cases) into `core.population_picture`. Cases removed
by a later import are left out, as the population page leaves them out. A purged audit has
no case data: its picture is the plain notice, never an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.population_picture import (
    ROW_FIELDS,
    PopulationPicture,
    PopulationRow,
    deleted_picture,
    population_picture,
)
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.db.models import CaseRecord, PopulationImportRecord
from audit_app.services.audits import PURGED, require_audit
from audit_app.services.database import Database

CASE_DATA_DELETED = "The case data was deleted under the retention rule."
BATCH = 10_000


def get_population_picture(db: Database, *, audit_id: int,
                           progress: ProgressCallback | None = None,
                           cancelled: CancelCheck | None = None) -> PopulationPicture:
    """The outcome mix, rates, days to tell the victim and exception lists of the audit's
    whole population, with real references (a partner copy drops them:
    `PopulationPicture.without_references`)."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        if audit.status == PURGED:
            return deleted_picture(CASE_DATA_DELETED)
        mapped: set[str] = set()
        for (mapping,) in session.execute(select(PopulationImportRecord.mapping)
                                          .where(PopulationImportRecord.audit_id == audit_id)):
            mapped.update(mapping or {})
        return population_picture(_rows(session, audit_id, progress, cancelled),
                                  mapped_fields=mapped)


def _rows(session: Session, audit_id: int, progress: ProgressCallback | None,
          cancelled: CancelCheck | None) -> Iterator[PopulationRow]:
    columns = [getattr(CaseRecord, key) for key in ROW_FIELDS]
    result = session.execute(
        select(*columns).where(CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(False))
        .execution_options(yield_per=BATCH))
    done = 0
    for batch in result.partitions():
        check_cancelled(cancelled)
        for values in batch:
            yield PopulationRow(*values)
        done += len(batch)
        report(progress, done, 0)
