from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilotmgr.core.models import TimestampMixin, VersionedMixin
from pilotmgr.extensions import db
from pilotmgr.units.models import Unit

TARGET_STATUSES = ("planned", "in_progress", "done", "blocked")


class RolloutTarget(VersionedMixin, TimestampMixin, db.Model):
    """One unit the selected model must reach, with the person answerable for it."""

    __tablename__ = "rollout_targets"
    __table_args__ = (UniqueConstraint("pilot_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), nullable=False, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, index=True
    )
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="planned")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: Targets are opened wave by wave: one whose wave is above the pilot's
    #: `rollout_open_wave` stays planned and gets no reminders.
    wave: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    #: Why the target is blocked; required while status is "blocked".
    blocked_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The local day the target was marked done (cleared if it is reopened).
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    #: Many-to-one by primary key: read from the identity map when the pilot is loaded.
    pilot = relationship("Pilot", lazy="select")
