"""The panel's record as the findings workbook shows it, read in the export's snapshot:
escalations (open first), theme counts in this audit and across its framework's audits,
and each review's theme tags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from audit_app.core.panel_record import (
    CarriedRequest,
    EscalationRow,
    RecordForBook,
    ordered_escalations,
)
from audit_app.core.themes import theme_name, theme_names
from audit_app.db.audits import require_audit
from audit_app.db.models import ReviewerRecord, ReviewRecord
from audit_app.db.panel_record import (
    escalation_rows,
    references_of,
    request_rows,
    review_tags,
)
from audit_app.services.database import Database
from audit_app.services.themes import list_themes, theme_counts, theme_trend


def record_for_book(db: Database, *, audit_id: int, today: dt.date | None = None
                    ) -> RecordForBook:
    day = today or dt.date.today()
    names = theme_names(list_themes())
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        escalations = ordered_escalations(escalation_rows(session, audit), day)
        reviews = {review_id: (case_id, kind, reviewer) for review_id, case_id, kind, reviewer
                   in session.execute(select(ReviewRecord.id, ReviewRecord.case_id,
                                             ReviewRecord.kind, ReviewerRecord.name)
                                      .join(ReviewerRecord)
                                      .where(ReviewRecord.audit_id == audit_id))}
        held = review_tags(session, set(reviews))
        references = references_of(session, {reviews[review_id][0] for review_id, _ in held})
    tags = {}
    for (review_id, tag_kind), keys in held.items():
        case_id, kind, reviewer = reviews[review_id]
        tags[(references.get(case_id, ""), reviewer, kind, tag_kind)] = tuple(
            theme_name(names, key) for key in keys)
    family, trends = theme_trend(db, audit_id=audit_id)
    return RecordForBook(day, escalations, theme_counts(db, audit_id=audit_id), family, trends,
                         names, tags)


@dataclass(frozen=True)
class CaseRecord:
    """One case's part of the record, as the review screen's conclusion shows it."""

    escalations: tuple[EscalationRow, ...]
    requests: tuple[CarriedRequest, ...]
    tags: dict[str, tuple[str, ...]]  # tag kind -> theme keys, for the review shown


def case_record(db: Database, *, audit_id: int, case_reference: str, review_id: int | None
                ) -> CaseRecord:
    today = dt.date.today()
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        escalations = ordered_escalations(
            [row for row in escalation_rows(session, audit)
             if row.case_reference == case_reference], today)
        requests = tuple(row for row in request_rows(session, {audit.id: audit.name},
                                                     unsettled_only=False)
                         if row.case_reference == case_reference)
        held = review_tags(session, {review_id}) if review_id is not None else {}
    return CaseRecord(escalations, requests,
                      {kind: tuple(keys) for (_review, kind), keys in held.items()})
