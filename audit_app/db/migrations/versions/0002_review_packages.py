"""Review packages, retention and presence: audit identity across databases, imported packages,
merge conflicts; retention date, purge time and kept findings on an audit.

Revision ID: 0002_review_packages
Revises: 0001_initial
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002_review_packages"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=36), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("origin", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("retain_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("findings_snapshot", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_uid"), ["uid"], unique=False)
    connection = op.get_bind()
    audit = sa.table("audit", sa.column("id", sa.Integer), sa.column("uid", sa.String),
                     sa.column("origin", sa.JSON))
    for (audit_id,) in connection.execute(sa.select(audit.c.id)).all():
        connection.execute(sa.update(audit).where(audit.c.id == audit_id)
                           .values(uid=str(uuid.uuid4()), origin={}))
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.alter_column("origin", existing_type=sa.JSON(), nullable=False)

    op.create_table(
        "imported_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE",
                                name=op.f("fk_imported_package_audit_id_audit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_package")),
        sa.UniqueConstraint("package_id", name=op.f("uq_imported_package_package_id")),
    )
    with op.batch_alter_table("imported_package", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imported_package_audit_id"), ["audit_id"],
                              unique=False)
    op.create_table(
        "merge_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("base_value", sa.JSON(), nullable=True),
        sa.Column("master_value", sa.JSON(), nullable=True),
        sa.Column("package_value", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.Column("resolved_by", sa.String(length=200), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE",
                                name=op.f("fk_merge_conflict_audit_id_audit")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], ondelete="CASCADE",
                                name=op.f("fk_merge_conflict_case_id_case_file")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["reviewer.id"],
                                name=op.f("fk_merge_conflict_reviewer_id_reviewer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_conflict")),
    )
    with op.batch_alter_table("merge_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merge_conflict_audit_id"), ["audit_id"],
                              unique=False)


    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE",
                                name=op.f("fk_presence_audit_id_audit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presence")),
        sa.UniqueConstraint("audit_id", "user_name", "host", name=op.f("uq_presence_audit_id")),
    )


def downgrade() -> None:
    op.drop_table("presence")
    op.drop_table("merge_conflict")
    op.drop_table("imported_package")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_uid"))
        batch_op.drop_column("findings_snapshot")
        batch_op.drop_column("purged_at")
        batch_op.drop_column("retain_until")
        batch_op.drop_column("origin")
        batch_op.drop_column("uid")
