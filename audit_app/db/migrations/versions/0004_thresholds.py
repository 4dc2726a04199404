"""The panel's RAG thresholds on each audit: Green from (default 90%) and Amber from (75%).

Revision ID: 0004_thresholds
Revises: 0003_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_thresholds"
down_revision = "0003_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("green_from", sa.Integer(), nullable=False,
                                      server_default="90"))
        batch_op.add_column(sa.Column("amber_from", sa.Integer(), nullable=False,
                                      server_default="75"))


def downgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_column("amber_from")
        batch_op.drop_column("green_from")
