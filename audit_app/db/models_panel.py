"""The tables of a panel working on many laptops: merged packages, their conflicts, presence."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from audit_app.core.statuses import ConflictStatus
from audit_app.db.base import Base, utcnow


class ImportedPackageRecord(Base):
    """A review package merged into this database: importing it again changes nothing."""

    __tablename__ = "imported_package"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    package_id: Mapped[str] = mapped_column(String(36), unique=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    checksum: Mapped[str] = mapped_column(String(64))
    applied: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MergeConflictRecord(Base):
    """An answer both the master and a member's package changed: the chair decides."""

    __tablename__ = "merge_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewer.id"))
    package_id: Mapped[str] = mapped_column(String(36))
    item: Mapped[str] = mapped_column(String(100))  # criterion code, or a case-detail field
    base_value: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    master_value: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    package_value: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=ConflictStatus.OPEN.value)
    resolution: Mapped[str] = mapped_column(String(20), default="")  # package | master
    resolved_by: Mapped[str] = mapped_column(String(200), default="")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class PresenceRecord(Base):
    """Who has an audit open, refreshed by a heartbeat: shown to others on a shared server."""

    __tablename__ = "presence"
    __table_args__ = (UniqueConstraint("audit_id", "user_name", "host"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"))
    user_name: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
