"""Reads of the panel's record shared by its use cases: an audit's framework family, its
escalations, its actions register (with those carried forward), learning tags and the
requests for more information carried from earlier audits.

Each takes the caller's session; nothing here commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.audit_rows import ActionRow
from audit_app.core.dates import local_date
from audit_app.core.panel_record import (
    CarriedRequest,
    EscalationRow,
    FollowUpPeriods,
    follow_up_by,
    respond_by,
)
from audit_app.core.statuses import ActionStatus
from audit_app.db.frameworks import criterion_codes
from audit_app.db.models import (
    ActionRecord,
    AuditRecord,
    CaseRecord,
    EscalationRecord,
    FrameworkRecord,
    InformationRequestRecord,
    LearningTagRecord,
    ReviewRecord,
)

OPEN_ACTION_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)


def periods_of(audit: AuditRecord) -> FollowUpPeriods:
    return FollowUpPeriods(audit.escalation_days, audit.action_days)


def earlier_in_family(session: Session, audit: AuditRecord) -> dict[int, str]:
    """Audit id -> name of the audits before this one on the same framework (any version):
    a later audit picks up their open actions and unsettled questions."""
    family_key = select(FrameworkRecord.key).where(FrameworkRecord.id == audit.framework_id)
    return {audit_id: name for audit_id, name in session.execute(
        select(AuditRecord.id, AuditRecord.name)
        .join(FrameworkRecord, AuditRecord.framework_id == FrameworkRecord.id)
        .where(FrameworkRecord.key == family_key.scalar_subquery(), AuditRecord.id < audit.id)
        .order_by(AuditRecord.id))}


def references_of(session: Session, case_ids: set[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    return {case_id: reference for case_id, reference in session.execute(
        select(CaseRecord.id, CaseRecord.reference).where(CaseRecord.id.in_(case_ids)))}


def escalation_rows(session: Session, audit: AuditRecord) -> list[EscalationRow]:
    records = list(session.scalars(select(EscalationRecord)
                                   .where(EscalationRecord.audit_id == audit.id)))
    references = references_of(session, {r.case_id for r in records if r.case_id})
    days = audit.escalation_days
    rows = []
    for r in records:
        created = local_date(r.created_at) or dt.date.today()
        rows.append(EscalationRow(
            r.id, r.audit_id, references.get(r.case_id, "") if r.case_id else "", r.reason,
            r.sent_to_role, r.sent_to_agency, r.sent_on, r.response, r.response_on,
            r.closed_on, r.closed_by, r.created_by, created,
            respond_by(r.sent_on, created, days)))
    return rows


def register_rows(session: Session, audit: AuditRecord) -> list[ActionRow]:
    """This audit's actions, then the still-open actions of earlier audits of its family,
    each marked with the audit it was brought forward from."""
    earlier = earlier_in_family(session, audit)
    records = list(session.scalars(
        select(ActionRecord).where(ActionRecord.audit_id == audit.id).order_by(ActionRecord.id)))
    if earlier:
        records += session.scalars(
            select(ActionRecord).where(ActionRecord.audit_id.in_(earlier),
                                       ActionRecord.status.in_(OPEN_ACTION_STATUSES))
            .order_by(ActionRecord.audit_id, ActionRecord.id))
    references = references_of(session, {r.case_id for r in records if r.case_id})
    codes: dict[int, dict[int, str]] = {}
    frameworks = {audit_id: framework_id for audit_id, framework_id in session.execute(
        select(AuditRecord.id, AuditRecord.framework_id).where(
            AuditRecord.id.in_({r.audit_id for r in records} | {audit.id})))}
    rows = []
    for r in records:
        framework_id = frameworks[r.audit_id]
        if framework_id not in codes:
            codes[framework_id] = criterion_codes(session, framework_id)
        created = local_date(r.created_at) or dt.date.today()
        rows.append(ActionRow(
            r.id, references.get(r.case_id, "") if r.case_id else "",
            codes[framework_id].get(r.criterion_id, "") if r.criterion_id else "",
            r.description, r.owner, r.due_date, r.status, r.response, r.agency,
            r.response_date, r.theme_key, earlier.get(r.audit_id, ""),
            follow_up_by(r.due_date, created, audit.action_days)))
    return rows


def audit_tags(session: Session, audit_ids: list[int]) -> list[tuple[int, int, str, str]]:
    """(audit id, case id, kind, theme key) for every tag on the audits' reviews."""
    if not audit_ids:
        return []
    return [(audit_id, case_id, kind, theme) for audit_id, case_id, kind, theme in
            session.execute(select(ReviewRecord.audit_id, ReviewRecord.case_id,
                                   LearningTagRecord.kind, LearningTagRecord.theme_key)
                            .join(ReviewRecord, LearningTagRecord.review_id == ReviewRecord.id)
                            .where(ReviewRecord.audit_id.in_(audit_ids)))]


def review_tags(session: Session, review_ids: set[int]) -> dict[tuple[int, str], list[str]]:
    """(review id, kind) -> theme keys, in the order they were tagged."""
    tags: dict[tuple[int, str], list[str]] = {}
    if review_ids:
        for review_id, kind, theme in session.execute(
                select(LearningTagRecord.review_id, LearningTagRecord.kind,
                       LearningTagRecord.theme_key)
                .where(LearningTagRecord.review_id.in_(review_ids))
                .order_by(LearningTagRecord.id)):
            tags.setdefault((review_id, kind), []).append(theme)
    return tags


def request_rows(session: Session, audit_ids: dict[int, str], *, unsettled_only: bool
                 ) -> list[CarriedRequest]:
    query = select(InformationRequestRecord).where(
        InformationRequestRecord.audit_id.in_(audit_ids))
    if unsettled_only:
        query = query.where(InformationRequestRecord.settled_on.is_(None))
    records = list(session.scalars(query.order_by(InformationRequestRecord.audit_id,
                                                  InformationRequestRecord.id)))
    references = references_of(session, {r.case_id for r in records if r.case_id})
    return [CarriedRequest(r.id, r.audit_id, audit_ids[r.audit_id],
                           references.get(r.case_id, "") if r.case_id else "", r.question,
                           r.answerer_role, r.answerer_agency, r.answerer_name, r.asked_on,
                           r.answer, r.settled_on) for r in records]
