"""Draw rule 2: each case keeps the SHA-256 of its reference; each draw records its rule.

Existing draws are rule 1 (the column's default), so they still re-check as they were
made. Existing cases get their digest here, a batch at a time.

Revision ID: 0005_draw_rule_2
Revises: 0004_thresholds
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005_draw_rule_2"
down_revision = "0004_thresholds"
branch_labels = None
depends_on = None

_BATCH = 10_000


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference_digest", sa.String(length=64), nullable=True))
    with op.batch_alter_table("sample_draw", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule_version", sa.Integer(), nullable=False,
                                      server_default="1"))
    connection = op.get_bind()
    cases = sa.table("case_file", sa.column("id", sa.Integer), sa.column("reference", sa.String),
                     sa.column("reference_digest", sa.String))
    update = sa.update(cases).where(cases.c.id == sa.bindparam("case_id")).values(
        reference_digest=sa.bindparam("digest"))
    last_id = -1
    while True:  # by id, a batch at a time: a million cases never sit in memory at once
        rows = connection.execute(sa.select(cases.c.id, cases.c.reference)
                                  .where(cases.c.id > last_id).order_by(cases.c.id)
                                  .limit(_BATCH)).all()
        if not rows:
            break
        connection.execute(update, [{"case_id": case_id,
                                     "digest": hashlib.sha256(reference.encode()).hexdigest()}
                                    for case_id, reference in rows])
        last_id = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("sample_draw", schema=None) as batch_op:
        batch_op.drop_column("rule_version")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_column("reference_digest")
