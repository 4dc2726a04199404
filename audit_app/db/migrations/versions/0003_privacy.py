"""Privacy by default: which extract columns may go to partners and how each was classified
at import; the check value for an audit's review-package passphrase.

Revision ID: 0003_privacy
Revises: 0002_review_packages
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_privacy"
down_revision = "0002_review_packages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("population_import", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shareable_columns", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("column_classes", sa.JSON(), nullable=True))
    with op.batch_alter_table("mapping_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shareable_columns", sa.JSON(), nullable=True))
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("package_key_check", sa.String(length=200), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_column("package_key_check")
    with op.batch_alter_table("mapping_profile", schema=None) as batch_op:
        batch_op.drop_column("shareable_columns")
    with op.batch_alter_table("population_import", schema=None) as batch_op:
        batch_op.drop_column("column_classes")
        batch_op.drop_column("shareable_columns")
