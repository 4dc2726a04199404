"""The panel's record beyond scores: urgent safeguarding escalations, requests for more
information that carry a case to the next audit, and the themes learning is tagged with.

The review's `urgent_safeguarding` tick stays where it is (it is what a member marks); an
escalation is what the panel then did about it. Actions keep their table in `models`;
migration 0008 gave them an agency, a response date and a theme.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from audit_app.db.base import Base, utcnow


class EscalationRecord(Base):
    """An urgent safeguarding concern passed on: to whom, when, their response, its closure."""

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    # SET NULL: a retention purge deletes the case, the record of what was done stays.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="SET NULL"),
                                                nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    sent_to_role: Mapped[str] = mapped_column(String(200), default="")
    sent_to_agency: Mapped[str] = mapped_column(String(200), default="")
    sent_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    response: Mapped[str] = mapped_column(Text, default="")
    response_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closed_by: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InformationRequestRecord(Base):
    """A "More information needed" verdict's question: who will answer it, and the answer.
    Until it is settled the case is carried to later audits of the same framework."""

    __tablename__ = "information_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="SET NULL"),
                                                nullable=True)
    question: Mapped[str] = mapped_column(Text)
    answerer_role: Mapped[str] = mapped_column(String(200), default="")
    answerer_agency: Mapped[str] = mapped_column(String(200), default="")
    answerer_name: Mapped[str] = mapped_column(String(200), default="")
    asked_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    settled_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    settled_by: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LearningTagRecord(Base):
    """One theme on one review's learning points or good practice (`kind`)."""

    __tablename__ = "learning_tag"
    __table_args__ = (UniqueConstraint("review_id", "kind", "theme_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(20))  # core.panel_record.TagKind
    theme_key: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
