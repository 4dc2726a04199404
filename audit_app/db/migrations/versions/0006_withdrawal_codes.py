"""A review records when and why the victim stopped supporting action, as codes.

Both columns are empty on existing reviews: nothing was coded before.

Revision ID: 0006_withdrawal_codes
Revises: 0005_draw_rule_2
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_withdrawal_codes"
down_revision = "0005_draw_rule_2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawal_stage", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_reason", sa.String(length=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("withdrawal_reason")
        batch_op.drop_column("withdrawal_stage")
