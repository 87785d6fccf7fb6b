from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotmgr.auth.models import User
from pilotmgr.core.models import TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from pilotmgr.core.text import fold
from pilotmgr.extensions import db
from pilotmgr.pilots.stages import Stage
from pilotmgr.units.models import Unit

PRIORITIES = ("high", "normal", "low")
TASK_STATUSES = ("todo", "in_progress", "done", "cancelled")
OPEN_TASK_STATUSES = ("todo", "in_progress")
DIRECTIONS = ("increase", "decrease")


class Programme(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class Challenge(VersionedMixin, TimestampMixin, db.Model):
    """A problem that one or more pilots attack; selection compares its pilots."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    problem: Mapped[str] = mapped_column(Text, nullable=False, default="")

    programme: Mapped[Programme] = relationship(lazy="joined", innerjoin=True)


class Pilot(VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "pilots"
    __table_args__ = (
        #: Filters by stage and unit, and covers "awaiting my decision" (stage, subtree, oldest first) without touching rows.
        Index("ix_pilots_stage_unit_changed", "stage", "unit_id", "stage_changed_at"),
        # The database refuses a stage the lifecycle does not know (migration 0017).
        CheckConstraint(
            "stage IN (" + ", ".join(f"'{stage}'" for stage in Stage) + ")", name="stage_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id"), nullable=True, index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    partner: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    stage: Mapped[str] = mapped_column(String(16), nullable=False, default=Stage.draft, index=True)
    #: Why a closed pilot was closed: rejected, not_selected or stopped.
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    #: Folded (lower-case, no diacritics) title + summary + partner for accent-blind search.
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The short, essential recipe that made the pilot work ("đúng, đủ, sạch, sống").
    success_formula: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lessons: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The regulation that makes the rolled-out model mandatory.
    regulation_number: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    regulation_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    regulation_issuer: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    regulation_title: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    #: The head's decision approving the rollout (selected → rolling_out).
    rollout_decision_number: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    rollout_decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: Step-by-step instructions for target units ("hướng dẫn cầm tay chỉ việc").
    rollout_guide: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: Rollout targets in waves up to this one are open (see RolloutTarget.wave).
    rollout_open_wave: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: The pilot's own reference in an imported spreadsheet: a re-import matches on it.
    reference: Mapped[str | None] = mapped_column(String(80), nullable=True, unique=True)

    challenge: Mapped[Challenge | None] = relationship(lazy="raise")
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined", innerjoin=True)
    kpis: Mapped[list[Kpi]] = relationship(
        back_populates="pilot", lazy="raise", order_by="Kpi.id", cascade="all, delete-orphan"
    )
    tasks: Mapped[list[Task]] = relationship(
        back_populates="pilot",
        lazy="raise",
        order_by="Task.due_date, Task.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Pilot {self.id} {self.stage}>"


class Kpi(VersionedMixin, TimestampMixin, db.Model):
    """A key performance indicator of a pilot: where it starts, where it should get to."""

    __tablename__ = "kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    #: The unit of measure, e.g. "%", "hồ sơ", "ngày".
    unit: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(18, 4), nullable=True)
    target: Mapped[Decimal | None] = mapped_column(Numeric(18, 4), nullable=True)
    direction: Mapped[str] = mapped_column(String(8), nullable=False, default="increase")

    pilot: Mapped[Pilot] = relationship(back_populates="kpis", lazy="raise")


class Task(VersionedMixin, TimestampMixin, db.Model):
    """Clear person, clear task, clear priority, clear time, clear result."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_assignee_status_due", "assignee_id", "status", "due_date"),
        # The reminder scan reads the open tasks due on each day from this index alone.
        Index("ix_tasks_due_status", "due_date", "status", "assignee_id", "pilot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    #: How the work is to be done (the "what, how" of an assignment).
    how: Mapped[str] = mapped_column(Text, nullable=False, default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    priority: Mapped[str] = mapped_column(String(8), nullable=False, default="normal")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: The expected product: "once done, it must have a product".
    deliverable: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="todo")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: What the assignee said of the product on marking the task done (its file is evidence).
    completion_note: Mapped[str] = mapped_column(
        Text, nullable=False, default="", server_default=""
    )

    pilot: Mapped[Pilot] = relationship(back_populates="tasks", lazy="raise")
    assignee: Mapped[User | None] = relationship(lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES


class TaskDueChange(db.Model):
    """Every change of a task's due date, with the reason given."""

    __tablename__ = "task_due_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), nullable=False, index=True)
    old_due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    new_due_date: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


DUE_REQUEST_STATUSES = ("pending", "approved", "declined")


class TaskDueRequest(TimestampMixin, db.Model):
    """An assignee's request for a new due date, with the reason; the pilot's editors decide."""

    __tablename__ = "task_due_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), nullable=False, index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    old_due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    new_due_date: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decision_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")


@event.listens_for(Pilot, "before_insert")
@event.listens_for(Pilot, "before_update")
def _fold_search_text(_mapper, _connection, pilot: Pilot) -> None:
    """Keep the diacritics-free search column in step with the texts it is made from."""
    words = (
        pilot.title or "",
        pilot.summary or "",
        pilot.partner or "",
        pilot.success_formula or "",
        pilot.lessons or "",
    )
    pilot.search_text = fold(" ".join(words))
