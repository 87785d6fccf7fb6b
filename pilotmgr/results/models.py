from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotmgr.core.models import TimestampMixin, UTCDateTime, VersionedMixin
from pilotmgr.extensions import db

MEASUREMENT_STATUSES = ("submitted", "approved", "rejected")
CRITERIA = ("feasibility", "effectiveness", "needs_fit", "cost", "scalability")


class Measurement(VersionedMixin, TimestampMixin, db.Model):
    """One recorded KPI value; it counts only once approved."""

    __tablename__ = "measurements"
    __table_args__ = (Index("ix_measurements_kpi_status", "kpi_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), nullable=False, index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4), nullable=False)
    measured_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="submitted")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")

    kpi = relationship("Kpi", lazy="raise")


class Evaluation(TimestampMixin, db.Model):
    """An evaluator's 1–5 scores of a pilot on the selection criteria."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), nullable=False, index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    feasibility: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    effectiveness: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    needs_fit: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    cost: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    scalability: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
