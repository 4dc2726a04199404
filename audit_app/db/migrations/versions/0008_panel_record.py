"""The panel's record: escalations, requests for more information, learning themes; actions
gain an agency, a response date and a theme; the audit holds the follow-up periods.

Revision ID: 0008_panel_record
Revises: 0007_training_answers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_panel_record"
down_revision = "0007_training_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalation_days", sa.Integer(), nullable=False,
                                      server_default="7"))
        batch_op.add_column(sa.Column("action_days", sa.Integer(), nullable=False,
                                      server_default="28"))
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency", sa.String(length=200), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("response_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("theme_key", sa.String(length=64), nullable=False,
                                      server_default=""))
    op.create_table(
        "escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("sent_to_role", sa.String(length=200), nullable=False),
        sa.Column("sent_to_agency", sa.String(length=200), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("response_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE",
                                name=op.f("fk_escalation_audit_id_audit")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="SET NULL",
                                name=op.f("fk_escalation_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation")),
    )
    op.create_index(op.f("ix_escalation_audit_id"), "escalation", ["audit_id"])
    op.create_table(
        "information_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answerer_role", sa.String(length=200), nullable=False),
        sa.Column("answerer_agency", sa.String(length=200), nullable=False),
        sa.Column("answerer_name", sa.String(length=200), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("settled_by", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE",
                                name=op.f("fk_information_request_audit_id_audit")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="SET NULL",
                                name=op.f("fk_information_request_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_information_request")),
    )
    op.create_index(op.f("ix_information_request_audit_id"), "information_request",
                    ["audit_id"])
    op.create_table(
        "learning_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("theme_key", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE",
                                name=op.f("fk_learning_tag_review_id_review")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_tag")),
        sa.UniqueConstraint("review_id", "kind", "theme_key",
                            name=op.f("uq_learning_tag_review_id")),
    )
    op.create_index(op.f("ix_learning_tag_review_id"), "learning_tag", ["review_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_learning_tag_review_id"), table_name="learning_tag")
    op.drop_table("learning_tag")
    op.drop_index(op.f("ix_information_request_audit_id"), table_name="information_request")
    op.drop_table("information_request")
    op.drop_index(op.f("ix_escalation_audit_id"), table_name="escalation")
    op.drop_table("escalation")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_column("theme_key")
        batch_op.drop_column("response_date")
        batch_op.drop_column("agency")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_column("action_days")
        batch_op.drop_column("escalation_days")
