"""A review's state for a write: the checks a kept state must pass, and reading one afresh."""

from __future__ import annotations

from sqlalchemy.orm import Session

from audit_app.core.scoring import on_criterion_scale, own_scales
from audit_app.db.review_rows import ReviewState, WantedAnswer, review_state
from audit_app.services import review_states
from audit_app.services.database import Database
from audit_app.services.review_access import OpenReview


def fits(state: ReviewState, wanted: list[WantedAnswer]) -> bool:
    """Every answer is for a criterion of the framework and on its scale (else the full
    path gives the refusal, after the same checks in the same order as always)."""
    return all(item.code in state.criterion_ids
               and (item.answer is None or on_criterion_scale(
                   item.answer.value, item.code, state.scale, state.scales)) for item in wanted)


def state_of(db: Database, session: Session, opened: OpenReview) -> ReviewState:
    """The review's state; an audit's criteria and scale are read once per database."""
    framework_id = opened.audit.framework_id
    scale = review_states.scale_of(db, framework_id)
    if scale is None:
        scale = frozenset(opened.audit.framework.scale)
    review_states.keep_terms(db, framework_id, opened.criterion_ids, scale)
    return review_state(session, opened.review, opened.criterion_ids, scale,
                        started_now=opened.started_now,
                        scales=own_scales(opened.audit.framework.definition))
