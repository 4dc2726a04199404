"""The database tables, as typed SQLAlchemy models.

Services read these inside short sessions and hand plain frozen dataclasses to the
fronts; no live ORM object ever leaves a session.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine.interfaces import ExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit_app.core.draw_rule2 import reference_digest
from audit_app.core.panel_record import DEFAULT_ACTION_DAYS, DEFAULT_ESCALATION_DAYS
from audit_app.core.statuses import ActionStatus, AuditStatus
from audit_app.db.base import Base, new_uid, utcnow

# The panel-work tables live apart; imported here so every table is known wherever models is.
from audit_app.db.models_meeting import MeetingRecord
from audit_app.db.models_panel import ImportedPackageRecord, MergeConflictRecord, PresenceRecord
from audit_app.db.models_record import (
    EscalationRecord,
    InformationRequestRecord,
    LearningTagRecord,
)
from audit_app.db.models_training import TrainingAnswerRecord

__all__ = ["EscalationRecord", "ImportedPackageRecord", "InformationRequestRecord",
           "LearningTagRecord", "MeetingRecord", "MergeConflictRecord", "PresenceRecord",
           "TrainingAnswerRecord"]


class FrameworkRecord(Base):
    """One version of a criteria framework; the full definition is frozen in `definition`."""

    __tablename__ = "framework"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    scale: Mapped[list[str]] = mapped_column(JSON)
    definition: Mapped[dict[str, object]] = mapped_column(JSON)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    sections: Mapped[list[SectionRecord]] = relationship(
        back_populates="framework", order_by="SectionRecord.position", cascade="all, delete-orphan"
    )


class SectionRecord(Base):
    __tablename__ = "framework_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"),
                                              index=True)
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)

    framework: Mapped[FrameworkRecord] = relationship(back_populates="sections")
    criteria: Mapped[list[CriterionRecord]] = relationship(
        back_populates="section", order_by="CriterionRecord.position", cascade="all, delete-orphan"
    )


class CriterionRecord(Base):
    __tablename__ = "criterion"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("framework_section.id", ondelete="CASCADE"),
                                            index=True)
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    note_required_for: Mapped[list[str]] = mapped_column(JSON, default=list)
    applies_when: Mapped[str] = mapped_column(Text, default="")

    section: Mapped[SectionRecord] = relationship(back_populates="criteria")
    framework: Mapped[FrameworkRecord] = relationship()


class AuditRecord(Base):
    """A review round: one population, one sample, one frozen framework version."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AuditStatus.OPEN.value)
    meeting_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Random secret behind the stable pseudonyms in partner exports; never exported itself.
    pseudonym_salt: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Review packages are encrypted with a key from the chair's passphrase; this holds a
    # salted scrypt check of that passphrase (never the passphrase), "" until one is set.
    package_key_check: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Identity across databases: a review package names the audit it belongs to by uid.
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, server_default="", index=True)
    # For an audit opened from a review package: the package and the answers it carried.
    origin: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # Retention: after `retain_until` a closed audit's case data may be purged; the
    # aggregate findings are kept in `findings_snapshot`.
    retain_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    purged_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    findings_snapshot: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    # The panel's RAG thresholds, whole percentages: Green from, Amber from (else Red).
    green_from: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    amber_from: Mapped[int] = mapped_column(Integer, default=75, server_default="75")
    # The panel's follow-up periods, in days: an escalation with no response after this
    # long is overdue, and so is an action with no due date this long after it was agreed.
    # (The server defaults are migration 0008's, fixed there; the Python ones follow core.)
    escalation_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_ESCALATION_DAYS,
                                                 server_default="7")
    action_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_ACTION_DAYS,
                                             server_default="28")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    framework: Mapped[FrameworkRecord] = relationship()


class PopulationImportRecord(Base):
    """One import of an extract into an audit: file, mapping, what was kept and skipped."""

    __tablename__ = "population_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    sheet: Mapped[str] = mapped_column(String(200), default="")
    header_row: Mapped[int] = mapped_column(Integer, default=1)
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    personal_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Default deny: only these extract columns (besides the known safe fields) may reach
    # a partner copy; `column_classes` is header -> "personal" / "free text" / "other".
    shareable_columns: Mapped[list[str] | None] = mapped_column(JSON, nullable=True, default=list)
    column_classes: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True, default=dict)
    valid_rows_only: Mapped[bool] = mapped_column(Boolean, default=False)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_removed: Mapped[int] = mapped_column(Integer, default=0)
    rows_skipped: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def _reference_digest(context: ExecutionContext) -> str | None:
    """Every insert stores the reference's digest (draw rule 2), whoever writes the case."""
    reference = context.get_current_parameters().get("reference")  # type: ignore[attr-defined]
    return reference_digest(reference) if isinstance(reference, str) else None


class CaseRecord(Base):
    """One row of the imported population: the canonical fields typed, the rest in `extra`."""

    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("audit_id", "reference"),
        Index("ix_case_file_audit_outcome", "audit_id", "outcome_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"))
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("population_import.id", ondelete="SET NULL"), nullable=True, index=True)
    source_row: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)

    reference: Mapped[str] = mapped_column(String(100))
    offence_code: Mapped[str | None] = mapped_column(String(50), nullable=True)
    offence_description: Mapped[str | None] = mapped_column(String(300), nullable=True)
    da_flag: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    crime_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    date_recorded: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    date_finalised: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    outcome_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    risk_tool: Mapped[str | None] = mapped_column(String(50), nullable=True)
    risk_level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    marac_referral: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    children_referral: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    idva_referral: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    arrested: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    interviewed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    dvpn: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    dvpo: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    bwv_present: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    victim_supports: Mapped[str | None] = mapped_column(String(20), nullable=True)
    cps_referral: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    elp_flag: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    charge_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    court_outcome: Mapped[str | None] = mapped_column(String(200), nullable=True)
    officer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    team: Mapped[str | None] = mapped_column(String(200), nullable=True)
    area: Mapped[str | None] = mapped_column(String(200), nullable=True)
    supervisor: Mapped[str | None] = mapped_column(String(200), nullable=True)
    nfa_notification_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    victim_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    suspect_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    extra: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # SHA-256 of the reference in hex, made once at import: draw rule 2's keys come from it.
    reference_digest: Mapped[str | None] = mapped_column(String(64), nullable=True,
                                                         default=_reference_digest)


class SampleDrawRecord(Base):
    """How a sample was drawn: enough to re-draw it and prove it."""

    __tablename__ = "sample_draw"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    parameters: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    seed: Mapped[int] = mapped_column(Integer)
    population_fingerprint: Mapped[str] = mapped_column(String(64))
    population_size: Mapped[int] = mapped_column(Integer)
    sample_size: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    drawn_by: Mapped[str] = mapped_column(String(200), default="")
    drawn_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # How draw keys were made (core.draw_rule1 / core.draw_rule2): a re-check uses the same.
    rule_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    items: Mapped[list[SampleItemRecord]] = relationship(
        back_populates="draw", order_by="SampleItemRecord.position", cascade="all, delete-orphan"
    )


class SampleItemRecord(Base):
    __tablename__ = "sample_item"
    __table_args__ = (UniqueConstraint("draw_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("sample_draw.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    stratum: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="drawn")  # drawn|replaced|replacement
    replaced_reason: Mapped[str] = mapped_column(Text, default="")
    replaces_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("sample_item.id", ondelete="SET NULL"), nullable=True)

    draw: Mapped[SampleDrawRecord] = relationship(back_populates="items")


class ReviewerRecord(Base):
    __tablename__ = "reviewer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReviewRecord(Base):
    """One reviewer's scoring of one case, or (kind='consensus') the panel's agreed scoring."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("case_id", "reviewer_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="member")  # member | consensus
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    verdict: Mapped[str | None] = mapped_column(String(40), nullable=True)
    learning_points: Mapped[str] = mapped_column(Text, default="")
    good_practice: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    urgent_safeguarding: Mapped[bool] = mapped_column(Boolean, default=False)
    # When and why the victim stopped supporting action: core.withdrawal codes ("S2", "R6").
    withdrawal_stage: Mapped[str | None] = mapped_column(String(4), nullable=True)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(4), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    answers: Mapped[list[AnswerRecord]] = relationship(
        back_populates="review", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class AnswerRecord(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"), index=True)
    value: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)  # N/A set by applicability
    entered_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    review: Mapped[ReviewRecord] = relationship(back_populates="answers")


class ActionRecord(Base):
    """An action agreed by the panel, with an owner and due date."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="SET NULL"),
                                                nullable=True)
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criterion.id"), nullable=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.OPEN.value)
    response: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The agency the action is for and when it answered (panels publish the responses).
    agency: Mapped[str] = mapped_column(String(200), default="", server_default="")
    response_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    theme_key: Mapped[str] = mapped_column(String(64), default="", server_default="")


class ChangeLogRecord(Base):
    """Append-only history: who changed what, when, from what to what."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_audit_case", "audit_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"),
                                                 nullable=True)
    case_id: Mapped[int | None] = mapped_column(nullable=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(nullable=True)
    field: Mapped[str] = mapped_column(String(100), default="")
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class MappingProfileRecord(Base):
    """A named column mapping saved from one import and offered the next time."""

    __tablename__ = "mapping_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    personal_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    shareable_columns: Mapped[list[str] | None] = mapped_column(JSON, nullable=True, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
