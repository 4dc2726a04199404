"""Training answers: members' scores of the calibration cases, kept apart from every audit.

Revision ID: 0007_training_answers
Revises: 0006_withdrawal_codes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_training_answers"
down_revision = "0006_withdrawal_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("framework_key", sa.String(length=100), nullable=False),
        sa.Column("framework_version", sa.Integer(), nullable=False),
        sa.Column("case_reference", sa.String(length=50), nullable=False),
        sa.Column("criterion_code", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_answer")),
        sa.UniqueConstraint("member", "framework_key", "framework_version", "case_reference",
                            "criterion_code",
                            name=op.f("uq_training_answer_member")),
    )
    op.create_index(op.f("ix_training_answer_member"), "training_answer", ["member"])


def downgrade() -> None:
    op.drop_index(op.f("ix_training_answer_member"), table_name="training_answer")
    op.drop_table("training_answer")
