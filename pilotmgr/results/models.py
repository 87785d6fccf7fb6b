from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, SmallInteger, String, Text
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
    #: A correction is a new value that points at the one it corrects; the old one stays.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("measurements.id"), nullable=True)
    correction_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

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


class CriterionWeights(db.Model):
    """How much each selection criterion counts in a programme (equal when no row)."""

    __tablename__ = "criterion_weights"

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    feasibility: Mapped[Decimal] = mapped_column(Numeric(6, 3), nullable=False, default=1)
    effectiveness: Mapped[Decimal] = mapped_column(Numeric(6, 3), nullable=False, default=1)
    needs_fit: Mapped[Decimal] = mapped_column(Numeric(6, 3), nullable=False, default=1)
    cost: Mapped[Decimal] = mapped_column(Numeric(6, 3), nullable=False, default=1)
    scalability: Mapped[Decimal] = mapped_column(Numeric(6, 3), nullable=False, default=1)


class PilotEvaluator(db.Model):
    """A user a head named to evaluate a pilot (besides the heads themselves)."""

    __tablename__ = "pilot_evaluators"

    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    named_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)


class KpiVerdict(TimestampMixin, db.Model):
    """The selecting head's confirmation or override of a KPI's computed verdict."""

    __tablename__ = "kpi_verdicts"

    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), primary_key=True)
    computed: Mapped[str] = mapped_column(String(16), nullable=False)
    verdict: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)


class Evidence(TimestampMixin, db.Model):
    """A file backing a pilot's results; its bytes are a `stored_files` row, under a random key."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), nullable=False, index=True)
    measurement_id: Mapped[int | None] = mapped_column(ForeignKey("measurements.id"), nullable=True)
    #: Set when the file backs one rollout target's progress (uploaded by the target unit).
    rollout_target_id: Mapped[int | None] = mapped_column(
        ForeignKey("rollout_targets.id"), nullable=True, index=True
    )
    #: Set when the file is a task's product, attached as it was marked done.
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), nullable=True, index=True)
    #: Set when the file was attached to a message in the pilot's discussion.
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id"), nullable=True, index=True
    )
    #: "regulation" for the file of the regulation that makes a rolled-out model mandatory.
    purpose: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    #: The key of the file's bytes in `stored_files` (see pilotmgr.core.storage).
    stored_name: Mapped[str] = mapped_column(
        ForeignKey("stored_files.key"), unique=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    size: Mapped[int] = mapped_column(nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    #: A file uploaded by mistake is retracted, not deleted: its name and hash stay on record.
    retracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retracted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    retraction_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Selection(TimestampMixin, db.Model):
    """One decision over a challenge's candidates: who was selected, what became of the others."""

    __tablename__ = "selections"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id"), nullable=False, index=True
    )
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    selected_ids: Mapped[str] = mapped_column(String(500), nullable=False)
    other_ids: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    others: Mapped[str] = mapped_column(String(16), nullable=False)
    rationale: Mapped[str] = mapped_column(Text, nullable=False)
    lessons: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The comparison as the decision saw it, best first: one entry per candidate with its
    #: pilot_id and figures (see results.selection.ranking_record). None for decisions
    #: recorded before it was kept.
    ranking: Mapped[list | None] = mapped_column(JSON, nullable=True)
