"""The audit's findings use case: read the audit's rows once, as plain rows, in one
read-only snapshot, and work the findings out from them (`core.findings_compute`).

The same load feeds both `compute_findings` and the workbook export. The rules (which
answer counts, awaiting moderation, purged audits' kept findings) are in core.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer
from audit_app.core.audit_rows import (
    AnswerEntry,
    AuditData,
    CaseDataDeleted,
    ReviewEntry,
    SampledCase,
)
from audit_app.core.dates import local_date
from audit_app.core.findings import Findings
from audit_app.core.findings_compute import findings_from_data
from audit_app.core.framework import framework_from_dict
from audit_app.core.panel_record import ordered_register
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.statuses import AuditStatus
from audit_app.core.thresholds import Thresholds
from audit_app.db.audits import require_audit
from audit_app.db.cases import case_fields
from audit_app.db.models import (
    AnswerRecord,
    CaseRecord,
    CriterionRecord,
    PopulationImportRecord,
    ReviewerRecord,
    ReviewRecord,
    SampleDrawRecord,
    SampleItemRecord,
)
from audit_app.db.panel_record import register_rows
from audit_app.services.database import Database


def compute_findings(db: Database, *, audit_id: int) -> Findings:
    return findings_from_data(load_audit_data(db, audit_id=audit_id))


def load_audit_data(db: Database, *, audit_id: int, progress: ProgressCallback | None = None,
                    cancelled: CancelCheck | None = None) -> AuditData:
    """Everything findings and exports need, read in one short session as plain rows."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        framework = framework_from_dict(audit.framework.definition)
        cases = _sampled_cases(session, audit_id)
        check_cancelled(cancelled)
        report(progress, 1, 4)
        reviews = _reviews(session, audit_id, {case.case_id for case in cases})
        report(progress, 2, 4)
        check_cancelled(cancelled)
        answers = _answers(session, audit_id, {review.review_id for review in reviews})
        report(progress, 3, 4)
        # With open ones brought forward; open first and overdue at the top, as everywhere.
        actions = ordered_register(register_rows(session, audit), dt.date.today())
        personal, shareable, classes = _population_columns(session, audit_id)
        report(progress, 4, 4)
        design = session.scalar(select(SampleDrawRecord.parameters).where(
            SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True)))
        deleted = (CaseDataDeleted(local_date(audit.purged_at), audit.retain_until,
                                   audit.findings_snapshot is not None)
                   if audit.status == AuditStatus.PURGED else None)
        return AuditData(audit_id, audit.name, audit.description, audit.meeting_date, framework,
                         cases, reviews, answers, actions, personal, deleted,
                         audit.findings_snapshot if deleted else None, shareable,
                         classes, design, Thresholds(audit.green_from, audit.amber_from))


def _reviews(session: Session, audit_id: int, case_ids: set[int]) -> tuple[ReviewEntry, ...]:
    return tuple(
        ReviewEntry(r.id, r.case_id, name, organisation, r.kind, r.status, r.verdict,
                    r.learning_points, r.good_practice, r.feedback, r.rationale,
                    r.urgent_safeguarding, r.withdrawal_stage, r.withdrawal_reason)
        for r, name, organisation in session.execute(
            select(ReviewRecord, ReviewerRecord.name, ReviewerRecord.organisation)
            .join(ReviewerRecord).where(ReviewRecord.audit_id == audit_id)
            .order_by(ReviewRecord.id))
        if r.case_id in case_ids)


def _answers(session: Session, audit_id: int, review_ids: set[int]) -> tuple[AnswerEntry, ...]:
    # Column tuples, not ORM objects: an audit can hold hundreds of thousands of answers.
    by_value = {answer.value: answer for answer in Answer}  # a dict beats Enum() 300,000 times
    return tuple(
        AnswerEntry(review_id, code, by_value[value], note or "", bool(automatic))
        for review_id, code, value, note, automatic in session.execute(
            select(AnswerRecord.review_id, CriterionRecord.code, AnswerRecord.value,
                   AnswerRecord.note, AnswerRecord.automatic)
            .join(CriterionRecord, AnswerRecord.criterion_id == CriterionRecord.id)
            .join(ReviewRecord, AnswerRecord.review_id == ReviewRecord.id)
            .where(ReviewRecord.audit_id == audit_id).order_by(AnswerRecord.id))
        if review_id in review_ids)


def _population_columns(session: Session, audit_id: int
                        ) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """The extract's personal columns (every import's), the columns opened to partners (the
    latest import's choice stands) and each column's class."""
    personal: list[str] = []
    shareable: list[str] = []
    classes: dict[str, str] = {}
    for columns, shared, classed in session.execute(select(
            PopulationImportRecord.personal_columns, PopulationImportRecord.shareable_columns,
            PopulationImportRecord.column_classes).where(
            PopulationImportRecord.audit_id == audit_id)
            .order_by(PopulationImportRecord.id)):
        personal.extend(c for c in columns or [] if c not in personal)
        shareable = list(shared or [])
        classes.update(classed or {})
    return tuple(personal), tuple(shareable), classes


def _sampled_cases(session: Session, audit_id: int) -> tuple[SampledCase, ...]:
    rows = session.execute(
        select(SampleItemRecord.position, SampleItemRecord.stratum, CaseRecord)
        .join(SampleDrawRecord, SampleItemRecord.draw_id == SampleDrawRecord.id)
        .join(CaseRecord, SampleItemRecord.case_id == CaseRecord.id)
        .where(SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True),
               SampleItemRecord.status != "replaced")
        .order_by(SampleItemRecord.position)).all()
    return tuple(SampledCase(case.id, case.reference, position, stratum, case_fields(case),
                             dict(case.extra or {})) for position, stratum, case in rows)


