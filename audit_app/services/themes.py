"""Learning themes: the taxonomy, tagging a review's learning and good practice, counts
per theme in an audit and across the audits of its framework, and good practice to share.

Tags are allowed on closed audits too (themes are drawn up after the meeting) but a tag
names a review, so a purged audit has none left. One call, one transaction; every change
in the change log.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.answers import ReviewKind
from audit_app.core.errors import NotFoundError, UserError
from audit_app.core.panel_record import (
    GoodPracticeEntry,
    TagKind,
    ThemeCount,
    ThemeTrend,
    check_tag_kind,
    count_themes,
    theme_trends,
)
from audit_app.core.themes import Theme, theme_name, theme_names
from audit_app.db.audits import require_audit
from audit_app.db.cases import find_case_by_reference
from audit_app.db.change_log import log_change
from audit_app.db.models import LearningTagRecord, ReviewerRecord, ReviewRecord
from audit_app.db.panel_record import audit_tags, earlier_in_family, references_of, review_tags
from audit_app.io.theme_files import learning_themes
from audit_app.services.database import Database, current_actor

ENTITY = "learning tag"


def list_themes() -> tuple[Theme, ...]:
    """The shipped themes with the panel's own file laid over them."""
    return learning_themes()


def _check_theme(theme_key: str) -> str:
    key = theme_key.strip().lower()
    if key not in theme_names(list_themes()):
        raise UserError(f"'{theme_key}' is not a theme. See the list with: audit-app theme list")
    return key


def _review_of(session: Session, audit_id: int, case_reference: str, member: str) -> int:
    case = find_case_by_reference(session, audit_id, case_reference.strip())
    query = select(ReviewRecord.id).where(ReviewRecord.case_id == case.id)
    if member.strip():
        query = query.join(ReviewerRecord).where(ReviewerRecord.name == member.strip(),
                                                 ReviewRecord.kind == ReviewKind.MEMBER)
    else:
        query = query.where(ReviewRecord.kind == ReviewKind.CONSENSUS)
    review_id = session.scalar(query)
    if review_id is None:
        raise NotFoundError("That case has no " + ("review by that member" if member.strip()
                                                  else "agreed (panel) review") + " yet")
    return review_id


def set_review_tags(db: Database, *, review_id: int, kind: str, theme_keys: list[str],
                    actor: str | None = None) -> None:
    """Make a review's tags of one kind exactly `theme_keys` (the theme picker's save)."""
    tag_kind = check_tag_kind(kind)
    wanted = list(dict.fromkeys(_check_theme(key) for key in theme_keys))
    who = actor or current_actor()
    with db.transaction() as session:
        review = session.get(ReviewRecord, review_id)
        if review is None:
            raise NotFoundError(f"No review with number {review_id}")
        held = {tag.theme_key: tag for tag in session.scalars(select(LearningTagRecord).where(
            LearningTagRecord.review_id == review_id, LearningTagRecord.kind == tag_kind))}
        for key in wanted:
            if key not in held:
                session.add(LearningTagRecord(review_id=review_id, kind=tag_kind,
                                              theme_key=key, created_by=who))
                log_change(session, actor=who, audit_id=review.audit_id, entity=ENTITY,
                           entity_id=review_id, case_id=review.case_id, field=tag_kind.label,
                           new=key)
        for key, tag in held.items():
            if key not in wanted:
                session.delete(tag)
                log_change(session, actor=who, audit_id=review.audit_id, entity=ENTITY,
                           entity_id=review_id, case_id=review.case_id, field=tag_kind.label,
                           old=key)


def tag(db: Database, *, audit_id: int, case_reference: str, theme_key: str, kind: str,
        member: str = "", remove: bool = False, actor: str | None = None) -> None:
    """Tag (or untag) a case's agreed review, or a member's review if `member` is named."""
    tag_kind = check_tag_kind(kind)
    key = _check_theme(theme_key)
    with db.reading() as session:
        require_audit(session, audit_id)
        review_id = _review_of(session, audit_id, case_reference, member)
        held = review_tags(session, {review_id}).get((review_id, tag_kind.value), [])
    keys = [k for k in held if k != key] if remove else [*held, key]
    set_review_tags(db, review_id=review_id, kind=tag_kind, theme_keys=keys, actor=actor)


def tags_of_review(db: Database, *, review_id: int) -> dict[TagKind, tuple[str, ...]]:
    with db.reading() as session:
        held = review_tags(session, {review_id})
    return {kind: tuple(held.get((review_id, kind.value), ())) for kind in TagKind}


def theme_counts(db: Database, *, audit_id: int) -> tuple[ThemeCount, ...]:
    """Cases per theme in this audit, as learning and as good practice."""
    names = theme_names(list_themes())
    with db.reading() as session:
        require_audit(session, audit_id)
        tags = audit_tags(session, [audit_id])
    return count_themes(((case, kind, theme) for _a, case, kind, theme in tags), names)


def theme_trend(db: Database, *, audit_id: int) -> tuple[tuple[str, ...], tuple[ThemeTrend, ...]]:
    """The audit names of this audit's framework family up to it (oldest first), and each
    theme's learning cases in each."""
    names = theme_names(list_themes())
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        family = {**earlier_in_family(session, audit), audit.id: audit.name}
        tags = audit_tags(session, list(family))
    return tuple(family.values()), theme_trends(tags, list(family), names)


def good_practice_to_share(db: Database, *, audit_id: int) -> tuple[GoodPracticeEntry, ...]:
    """Every piece of good practice recorded in the audit, the panel's agreed text first."""
    names = theme_names(list_themes())
    with db.reading() as session:
        require_audit(session, audit_id)
        reviews = list(session.execute(
            select(ReviewRecord.id, ReviewRecord.case_id, ReviewRecord.kind,
                   ReviewRecord.good_practice, ReviewerRecord.name).join(ReviewerRecord)
            .where(ReviewRecord.audit_id == audit_id, ReviewRecord.good_practice != "")))
        references = references_of(session, {case_id for _r, case_id, *_ in reviews})
        tags = review_tags(session, {review_id for review_id, *_ in reviews})
    entries = [GoodPracticeEntry(
        references.get(case_id, ""), reviewer, kind, text.strip(),
        tuple(theme_name(names, key) for key in tags.get((review_id, TagKind.GOOD_PRACTICE), [])))
        for review_id, case_id, kind, text, reviewer in reviews if text.strip()]
    return tuple(sorted(entries, key=lambda e: (e.review_kind != ReviewKind.CONSENSUS,
                                                e.case_reference, e.reviewer)))
