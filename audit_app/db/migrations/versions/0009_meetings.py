"""Meetings: attendance, declarations of interest, the agenda, and dissent from a verdict.

Revision ID: 0009_meetings
Revises: 0008_panel_record
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_meetings"
down_revision = "0008_panel_record"
branch_labels = None
depends_on = None


def _meeting() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("chair", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE",
                                name=op.f("fk_meeting_audit_id_audit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    op.create_index(op.f("ix_meeting_audit_id"), "meeting", ["audit_id"])
    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("guest", sa.Boolean(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE",
                                name=op.f("fk_meeting_attendance_meeting_id_meeting")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance")),
        sa.UniqueConstraint("meeting_id", "member", name=op.f("uq_meeting_attendance_meeting_id")),
    )


def _agenda() -> None:
    op.create_table(
        "interest_declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE",
                                name=op.f("fk_interest_declaration_audit_id_audit")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="SET NULL",
                                name=op.f("fk_interest_declaration_meeting_id_meeting")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE",
                                name=op.f("fk_interest_declaration_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest_declaration")),
        sa.UniqueConstraint("audit_id", "case_id", "member",
                            name=op.f("uq_interest_declaration_audit_id")),
    )
    op.create_index(op.f("ix_interest_declaration_audit_id"), "interest_declaration",
                    ["audit_id"])
    op.create_table(
        "meeting_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("carried_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE",
                                name=op.f("fk_meeting_case_meeting_id_meeting")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE",
                                name=op.f("fk_meeting_case_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_case")),
        sa.UniqueConstraint("meeting_id", "case_id", name=op.f("uq_meeting_case_meeting_id")),
    )
    op.create_index(op.f("ix_meeting_case_case_id"), "meeting_case", ["case_id"])
    op.create_table(
        "verdict_dissent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE",
                                name=op.f("fk_verdict_dissent_review_id_review")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdict_dissent")),
    )
    op.create_index(op.f("ix_verdict_dissent_review_id"), "verdict_dissent", ["review_id"])


def upgrade() -> None:
    _meeting()
    _agenda()


def downgrade() -> None:
    op.drop_index(op.f("ix_verdict_dissent_review_id"), table_name="verdict_dissent")
    op.drop_table("verdict_dissent")
    op.drop_index(op.f("ix_meeting_case_case_id"), table_name="meeting_case")
    op.drop_table("meeting_case")
    op.drop_index(op.f("ix_interest_declaration_audit_id"), table_name="interest_declaration")
    op.drop_table("interest_declaration")
    op.drop_table("meeting_attendance")
    op.drop_index(op.f("ix_meeting_audit_id"), table_name="meeting")
    op.drop_table("meeting")
