"""Training answers: a member's scores of the shipped calibration cases, apart from every audit.

No audit, case or review row points here and nothing here points at one, so training can
never enter an audit's figures.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from audit_app.db.base import Base, utcnow


class TrainingAnswerRecord(Base):
    __tablename__ = "training_answer"
    __table_args__ = (UniqueConstraint("member", "framework_key", "framework_version",
                                       "case_reference", "criterion_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member: Mapped[str] = mapped_column(String(200), index=True)
    framework_key: Mapped[str] = mapped_column(String(100))
    framework_version: Mapped[int] = mapped_column(Integer)
    case_reference: Mapped[str] = mapped_column(String(50))
    criterion_code: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
